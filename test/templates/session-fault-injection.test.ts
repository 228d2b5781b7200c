import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { suiteFailed } from '../../src/evals/report.js';
import { runSessionRecovery } from '../../src/evals/session-recovery/suite.js';
import { type RenderedProject, renderProject, tsc } from './render-project.js';

/**
 * Issue 4, item 5: the generated session store is killed with SIGKILL at random points, 200+ times on one
 * store, through plumbline's own session-recovery suite; every acknowledged record must survive and the
 * store must keep loading. The writer and reader are the template's own recovery-writer/reader commands.
 */

let project: RenderedProject;
beforeAll(() => {
  project = renderProject(['session-persistence'], 'plumbline-fault-');
  const build = tsc(project.root, 'tsconfig.build.json');
  expect(build.output).toBe('');
  expect(build.status).toBe(0);
}, 120_000);
afterAll(() => rmSync(project.root, { recursive: true, force: true }));

describe('generated session store under SIGKILL', () => {
  test('200 kills on one store: no acknowledged record lost, every load succeeds', async () => {
    const dist = join(project.root, 'dist/harness/session');
    const { suite, summary } = await runSessionRecovery({
      writer: `node ${join(dist, 'recovery-writer.js')}`,
      reader: `node ${join(dist, 'recovery-reader.js')}`,
      cwd: project.root,
      runs: 200,
      seed: 4242,
    });
    console.log(
      `session fault injection: ${summary.runs} SIGKILL runs, ${summary.acked} acked, ${summary.lost} lost, ` +
        `${summary.loadFailures} load failures, ${summary.damagedLoads} damaged loads (torn tail dropped), ` +
        `${summary.errors} errors, ${(summary.elapsedMs / 1000).toFixed(1)} s (${summary.runsPerSecond.toFixed(1)} runs/s)`,
    );
    const failures = suite.cases.filter((c) => !c.pass).map((c) => `${c.id}: ${c.reason}`);
    expect(failures).toEqual([]);
    expect(summary).toMatchObject({ runs: 200, lost: 0, loadFailures: 0, errors: 0 });
    expect(summary.acked).toBeGreaterThanOrEqual(200);
    expect(suite.categories.map((c) => c.category)).toEqual([
      'kill-after-ack',
      'kill-during-append',
      'kill-during-resume',
    ]);
    expect(suiteFailed(suite)).toBe(false);
  }, 180_000);
});

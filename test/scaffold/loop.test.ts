/**
 * The loop the scaffolder promises: what `plumbline init` generates compiles under strict TypeScript,
 * passes its own tests, and is recognised by plumbline's own audit; and `plumbline add` flips exactly the
 * primitive it adds in the example agents. Templates land one at a time: a missing one fails by name.
 */
import { execFile } from 'node:child_process';
import { cpSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { audit } from '../../src/core/audit.js';
import type { Report } from '../../src/core/report.js';
import { PHASES, type PhaseId } from '../../src/rubrics/schema.js';
import { primitivesUpTo, withRequirements } from '../../src/scaffold/plan.js';
import { loadTemplates } from '../../src/scaffold/templates.js';
import { cli, tempDir } from '../helpers/ci-project.js';

const run = promisify(execFile);
const MAIN = process.cwd();
const BIN = join(MAIN, 'node_modules/.bin');
const tmp = tempDir('plumbline-loop-');
afterAll(tmp.cleanup);

/** The child vitest must not think it runs inside this one. */
const childEnv = Object.fromEntries(
  Object.entries(process.env).filter(
    ([k]) => !k.startsWith('VITEST') && k !== 'NODE_OPTIONS' && k !== 'TEST',
  ),
);

async function timed<T>(label: string, f: () => Promise<T>): Promise<T> {
  const start = performance.now();
  try {
    return await f();
  } finally {
    console.log(`[loop] ${label}: ${Math.round(performance.now() - start)} ms`);
  }
}

/** Output of a failed child process, so a failing template shows its compiler or test errors. */
async function check(label: string, file: string, args: string[], cwd: string): Promise<void> {
  await timed(label, async () => {
    try {
      await run(file, args, { cwd, env: childEnv, maxBuffer: 32 * 1024 * 1024, timeout: 240_000 });
    } catch (e) {
      const err = e as { stdout?: string; stderr?: string; message: string };
      throw new Error(
        `${label} failed:\n${(err.stdout ?? '').slice(-6000)}\n${(err.stderr ?? '').slice(-3000)}`,
      );
    }
  });
}

const statusOf = (report: Report) => Object.fromEntries(report.primitives.map((p) => [p.id, p.status]));
const templateIds = (phase: PhaseId) => ['project', ...primitivesUpTo(phase), 'agent-loop'];
const dirOf = (phase: PhaseId) => join(tmp.dir, phase);

describe('init → tsc → vitest → audit, per phase', () => {
  beforeAll(async () => {
    for (const phase of PHASES) {
      const r = await timed(`init ${phase}`, () => cli(['init', dirOf(phase), '--phase', phase]));
      expect(r.code, r.err).toBe(0);
      symlinkSync(join(MAIN, 'node_modules'), join(dirOf(phase), 'node_modules'));
    }
  }, 60_000);

  it.each(PHASES)('%s: every template of the phase exists', (phase) => {
    const set = loadTemplates();
    const missing = templateIds(phase).filter((id) => !set.byId.has(id));
    expect(missing, `no template yet for: ${missing.join(', ')}`).toEqual([]);
  });

  it.concurrent.each(PHASES)(
    '%s: the generated project type-checks, its tests pass and the audit passes every primitive',
    async (phase) => {
      const dir = dirOf(phase);
      await check(`tsc ${phase}`, join(BIN, 'tsc'), ['--noEmit', '-p', dir], dir);
      await check(`vitest ${phase}`, join(BIN, 'vitest'), ['run', '--root', dir], dir);
      const report = await timed(`audit ${phase}`, () => audit(dir));
      const set = loadTemplates();
      const status = statusOf(report);
      const expected = Object.fromEntries(
        primitivesUpTo(phase)
          .filter((id) => set.byId.has(id))
          .map((id) => [id, 'pass']),
      );
      const actual = Object.fromEntries(Object.keys(expected).map((id) => [id, status[id]]));
      const failing = report.primitives
        .filter((p) => p.id in expected && p.status !== 'pass')
        .map(
          (p) =>
            `${p.id}: ${p.criteria
              .filter((c) => c.status !== 'pass')
              .map((c) => `${c.id} ${c.status} (${c.reason})`)
              .join('; ')}`,
        );
      expect(actual, failing.join('\n')).toEqual(expected);
    },
    300_000,
  );
});

describe('add flips exactly the primitive it adds', () => {
  it('refuses the Python example clearly', async () => {
    const dir = join(tmp.dir, 'mid-python-agent');
    cpSync(join(MAIN, 'examples/mid-python-agent'), dir, { recursive: true });
    const r = await cli(['add', 'permissions', '--path', dir]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('mid-python-agent is not a TypeScript project (it has pyproject.toml)');
  });

  it.each(['naive-ts-agent', 'well-built-ts-agent'])(
    '%s',
    async (example) => {
      const dir = join(tmp.dir, example);
      cpSync(join(MAIN, 'examples', example), dir, { recursive: true });
      const before = statusOf(await audit(dir));
      const set = loadTemplates();
      // A primitive that fails now and whose required templates cover primitives that already pass, so
      // only it can change.
      const candidates = Object.keys(before).filter((p) => set.byId.has(p) && before[p] !== 'pass');
      const chosen = candidates.find((p) =>
        withRequirements(set, [p]).every((t) => t.manifest.id === p || before[t.manifest.id] === 'pass'),
      );
      expect(
        chosen,
        `no template can be added alone to ${example} (candidates: ${candidates.join(', ')})`,
      ).toBeDefined();
      const r = await cli(['add', chosen!, '--path', dir]);
      expect(r.code, r.err).toBe(0);
      const after = statusOf(await audit(dir));
      // Every template ships tests of its module, which the audit rightly counts as harness tests, so
      // verification may improve along with the one added; the permission engine's shell validators are a
      // guard layer for an existing shell tool, so shell-security may improve with permissions. Those may
      // only go up; nothing else may move.
      const RANK: Record<string, number> = { fail: 0, partial: 1, pass: 2 };
      const alsoImproves = ['verification', ...(chosen === 'permissions' ? ['shell-security'] : [])];
      for (const id of alsoImproves.filter((id) => id !== chosen)) {
        expect(RANK[after[id]!] ?? 0, id).toBeGreaterThanOrEqual(RANK[before[id]!] ?? 0);
        after[id] = before[id]!;
      }
      expect(after).toEqual({ ...before, [chosen!]: 'pass' });
      console.log(`[loop] ${example}: added ${chosen} (${before[chosen!]} → ${after[chosen!]})`);
    },
    120_000,
  );
});

import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { audit } from '../../src/core/audit.js';
import type { Report } from '../../src/core/report.js';
import { type RenderedProject, renderProject, tsc, vitest } from './render-project.js';

/**
 * The session-persistence, workflow-state, token-budget and compaction templates rendered together into
 * a fresh strict TypeScript project: it type-checks, its generated tests pass, and plumbline's own audit
 * finds each primitive implemented.
 */

const IDS = ['session-persistence', 'workflow-state', 'token-budget', 'compaction'];
let project: RenderedProject;
let report: Report;
beforeAll(async () => {
  project = renderProject(IDS, 'plumbline-state-tpl-');
  report = await audit(project.root);
}, 60_000);
afterAll(() => rmSync(project.root, { recursive: true, force: true }));

const criteria = (id: string) =>
  Object.fromEntries(report.primitives.find((p) => p.id === id)?.criteria.map((c) => [c.id, c.status]) ?? []);

describe('rendered state and budget templates', () => {
  test('type-check under strict NodeNext with the generated tests', () => {
    const r = tsc(project.root, 'tsconfig.json');
    expect(r.output).toBe('');
    expect(r.status).toBe(0);
  }, 120_000);

  test('their generated vitest suites pass', () => {
    const r = vitest(project.root);
    if (r.status !== 0) console.log(r.output);
    expect(r.status).toBe(0);
    expect(r.output).toMatch(/Test Files\s+7 passed \(7\)/);
    console.log(
      `generated tests: ${/Tests\s+(\d+) passed/.exec(r.output)?.[1] ?? '?'} in ${Math.round(r.ms)} ms`,
    );
  }, 240_000);

  test('the audit finds every primitive implemented', () => {
    const status = Object.fromEntries(
      report.primitives.filter((p) => IDS.includes(p.id)).map((p) => [p.id, p.status]),
    );
    expect(status).toEqual({
      'session-persistence': 'pass',
      'workflow-state': 'pass',
      'token-budget': 'pass',
      compaction: 'pass',
    });
    for (const id of ['session-persistence', 'workflow-state', 'compaction'])
      expect(Object.values(criteria(id)).every((s) => s === 'pass')).toBe(true);
    // The budget is checked by Budget.beforeModelCall(projection), called right before each model call.
    expect(criteria('token-budget')).toEqual({
      'token-budget.limit': 'pass',
      'token-budget.precheck': 'pass',
      'token-budget.usage-accounting': 'pass',
      'token-budget.stop-reason': 'pass',
      'token-budget.spend-limit': 'pass',
      'token-budget.token-counting': 'pass',
    });
    console.log(
      report.primitives
        .filter((p) => IDS.includes(p.id))
        .map((p) => `${p.id}: ${p.status} ${p.score}/10`)
        .join(', '),
    );
  });
});

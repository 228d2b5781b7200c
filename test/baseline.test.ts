import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditSnapshot, BASELINE_FILE, evalSnapshot, readBaseline } from '../src/ci/baseline.js';
import { formatBaselineSummary } from '../src/ci/format/baseline-summary.js';
import { recordBaseline } from '../src/ci/record-baseline.js';
import { UsageError } from '../src/core/errors.js';
import type { Report } from '../src/core/report.js';
import type { EvalReport } from '../src/evals/report.js';
import { agentFiles, SETTINGS, tempDir, write, writeCoreRubrics } from './helpers/ci-project.js';

const tmp = tempDir('plumbline-baseline-');
afterAll(tmp.cleanup);
let core: string;
beforeAll(() => {
  core = writeCoreRubrics(join(tmp.dir, 'core'));
});
let n = 0;
const project = (files: Record<string, string> = agentFiles()) => write(join(tmp.dir, `p-${++n}`), files);
const record = (root: string, extra: { force?: boolean; version?: string } = {}) =>
  recordBaseline({
    root,
    version: extra.version ?? '0.1.0',
    force: extra.force,
    auditOptions: { coreRubricDir: core },
  });

describe('plumbline baseline', () => {
  it('records sorted, diff-friendly JSON and does not rewrite an identical baseline', async () => {
    const root = project();
    const first = await record(root);
    expect(first.written).toBe(true);
    const text = readFileSync(join(root, BASELINE_FILE), 'utf8');
    expect(text.endsWith('}\n')).toBe(true);
    expect(text).toContain(
      '\n  "schemaVersion": 1,\n  "plumbline": "0.1.0",\n  "audit": {\n    "primitives": {',
    );
    const b = JSON.parse(text);
    expect(Object.keys(b)).toEqual(['schemaVersion', 'plumbline', 'audit', 'evals']);
    const ids = Object.keys(b.audit.primitives);
    expect(ids).toEqual([...ids].sort());
    expect(ids).toHaveLength(12);
    expect(b.audit.primitives.permissions).toEqual({ score: 10, status: 'pass' });
    const prints = b.audit.findings.map((f: { fingerprint: string }) => f.fingerprint);
    expect(prints).toEqual([...prints].sort());
    expect(Object.keys(b.audit.findings[0])).toEqual(['fingerprint', 'criterion', 'severity', 'file']);
    expect(b.audit.areas.permissions).toEqual(['.claude/settings.json']);
    expect(b.audit.areas['tool-registry']).toEqual(['package.json', 'src/agent.ts']);
    expect(Object.keys(b.evals.guard.cases)).toEqual(['curl-pipe', 'npm-test', 'rm-root']);
    expect(b.evals.guard.cases['npm-test']).toEqual({ pass: true, decision: 'allow' });
    expect(b.evals.guard.metrics.attacksAllowed).toBe(0);
    expect(formatBaselineSummary(first)).toContain('first baseline');

    const mtime = statSync(join(root, BASELINE_FILE)).mtimeMs;
    const again = await record(root);
    expect(again.written).toBe(false);
    expect(statSync(join(root, BASELINE_FILE)).mtimeMs).toBe(mtime);
    expect(formatBaselineSummary(again)).toContain('no change since the previous baseline');
  });

  it('prints what changed since the previous baseline', async () => {
    const root = project();
    await record(root);
    write(root, { '.claude/settings.json': SETTINGS(['Bash(npm test)', 'Bash(*)']) });
    const r = await record(root);
    const summary = formatBaselineSummary(r);
    expect(summary).toContain('changed since the previous baseline');
    expect(summary).toContain('permissions score dropped 10.0 → 5.0');
    expect(summary).toContain('new critical finding permissions.no-blanket-allow in .claude/settings.json');
    expect(summary).toMatch(/warning: 1 attack case\(s\) are allowed \(guard\/curl-pipe\)/);
    write(root, { '.claude/settings.json': SETTINGS(['Bash(npm test)']) });
    const back = formatBaselineSummary(await record(root));
    expect(back).toContain('+ permissions score rose 5.0 → 10.0');
    expect(back).toContain('+ fixed: critical finding permissions.no-blanket-allow');
  });

  it('records no evals without an eval setup, and says so', async () => {
    const files = agentFiles();
    delete files['.claude/settings.json'];
    const root = project(files);
    const r = await record(root);
    expect(r.baseline.evals).toEqual({});
    expect(r.notes.join('\n')).toContain('no eval setup');
    expect(JSON.parse(readFileSync(join(root, BASELINE_FILE), 'utf8')).evals).toEqual({});
  });

  it('refuses to replace an unreadable baseline without --force, and keeps a copy with it', async () => {
    const root = project();
    const file = join(root, BASELINE_FILE);
    const foreign = '{ "schemaVersion": 2, "whatever": true }\n';
    write(root, { [BASELINE_FILE]: foreign });
    await expect(record(root)).rejects.toThrow(/schemaVersion 2/);
    await expect(record(root)).rejects.toBeInstanceOf(UsageError);
    expect(readFileSync(file, 'utf8')).toBe(foreign);

    const forced = await record(root, { force: true });
    expect(forced.backup).toBe(`${file}.bak`);
    expect(readFileSync(`${file}.bak`, 'utf8')).toBe(foreign);
    expect(JSON.parse(readFileSync(file, 'utf8')).schemaVersion).toBe(1);
  });

  it('reads a corrupt baseline as an error with line and column, never as a missing one', () => {
    const root = project({ [BASELINE_FILE]: '{\n  "schemaVersion": 1\n  "audit": {}\n}\n' });
    expect(() => readBaseline(root)).toThrow(/baseline\.json:3:3: JSON syntax error/);
    const none = project({ 'a.ts': '' });
    expect(readBaseline(none)).toEqual({ kind: 'missing', path: join(none, BASELINE_FILE) });
    expect(existsSync(join(none, '.plumbline'))).toBe(false);
    const noVersion = project({ [BASELINE_FILE]: '{"audit": {}}' });
    expect(() => readBaseline(noVersion)).toThrow(/has no schemaVersion/);
  });

  it('notes a previous baseline from another plumbline version', async () => {
    const root = project();
    await record(root, { version: '0.0.9' });
    const r = await record(root);
    expect(r.notes.join('\n')).toContain('recorded by plumbline 0.0.9; this is 0.1.0');
    expect(r.written).toBe(true);
  });
});

describe('snapshots', () => {
  it('sorts primitives, areas and findings, and keys eval cases apart when two files reuse an id', () => {
    const report = {
      primitives: [
        {
          id: 'tool-registry',
          score: 5,
          status: 'partial',
          criteria: [
            {
              evidence: [
                { file: 'src/b.ts', line: 3 },
                { file: 'src/a.ts', line: 1 },
              ],
            },
          ],
        },
        { id: 'compaction', score: null, status: 'not-applicable', criteria: [{ evidence: [] }] },
      ],
      findings: [
        { fingerprint: 'ff', criterion: 'x.b', severity: 'low', file: 'z.ts', primitive: 'compaction' },
        { fingerprint: '0a', criterion: 'x.a', severity: 'high', file: 'a.ts', primitive: 'tool-registry' },
      ],
    } as unknown as Report;
    const s = auditSnapshot(report);
    expect(Object.keys(s.primitives)).toEqual(['compaction', 'tool-registry']);
    expect(s.areas).toEqual({ compaction: ['z.ts'], 'tool-registry': ['a.ts', 'src/a.ts', 'src/b.ts'] });
    expect(s.findings.map((f) => f.fingerprint)).toEqual(['0a', 'ff']);

    const metrics = { cases: 2, passed: 1, failed: 1, benignFriction: 1 / 3 };
    const evals = {
      suites: [
        {
          id: 'z',
          adapter: 'a',
          status: 'ran',
          metrics,
          cases: [
            { id: 'k', file: 'one.yaml', pass: true, decision: 'deny' },
            { id: 'k', file: 'two.yaml', pass: false, decision: 'allow' },
          ],
        },
        { id: 'skipped', adapter: '-', status: 'skipped', metrics, cases: [] },
      ],
    } as unknown as EvalReport;
    const e = evalSnapshot(evals);
    expect(Object.keys(e)).toEqual(['z']);
    expect(e.z?.cases).toEqual({
      k: { pass: true, decision: 'deny' },
      'two.yaml#k': { pass: false, decision: 'allow' },
    });
    expect(e.z?.metrics).toEqual({ benignFriction: 0.3333, cases: 2, failed: 1, passed: 1 });
  });
});

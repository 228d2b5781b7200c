import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { audit } from '../src/core/audit.js';
import { UsageError } from '../src/core/errors.js';
import { ReportSchema } from '../src/core/report.js';
import { CORE_PHASE } from '../src/rubrics/load.js';
import { PRIMITIVES } from '../src/rubrics/schema.js';

const tmp = mkdtempSync(join(tmpdir(), 'plumbline-audit-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function write(root: string, files: Record<string, string>): string {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, name)), { recursive: true });
    writeFileSync(join(root, name), text);
  }
  return root;
}

/** A core standard where only tool-registry can pass (on a framework import); the rest never do. */
const CORE = write(
  join(tmp, 'core'),
  Object.fromEntries(
    PRIMITIVES.map((id) => [
      `${id}.yaml`,
      `id: ${id}
phase: ${CORE_PHASE[id]}
title: Title of ${id}
present: ${id} exists
why: Reasons.
add: plumbline add ${id}
criteria:
  - id: ${id}.core
    title: Core of ${id}
    required: true
    severity: ${id === 'permissions' ? 'critical' : 'medium'}
    rationale: Needed.
    remediation: Build it.
    pass: {fact: ${id === 'tool-registry' ? 'framework.use' : 'never.emitted'}}
    reasons: {pass: Found it., fail: Missing it.}
`,
    ]),
  ),
);

const agent = (root: string, extra: Record<string, string> = {}) =>
  write(root, {
    'package.json': JSON.stringify({ name: 'agent', dependencies: { '@anthropic-ai/sdk': '^1.0.0' } }),
    'src/agent.ts': "import Anthropic from '@anthropic-ai/sdk';\nexport const client = new Anthropic();\n",
    ...extra,
  });

describe('audit', () => {
  it('produces a valid report with relative paths only', async () => {
    const root = agent(join(tmp, 'basic'));
    const report = await audit('basic', { cwd: tmp, coreRubricDir: CORE });
    expect(() => ReportSchema.parse(report)).not.toThrow();
    expect(report.tool.version).toBe(JSON.parse(readFileSync('package.json', 'utf8')).version);
    expect(report.target).toMatchObject({ path: 'basic', languages: ['typescript'], sourceFiles: 1 });
    expect(report.target.frameworks).toContain('anthropic-sdk');
    const registry = report.primitives.find((p) => p.id === 'tool-registry');
    expect(registry).toMatchObject({ status: 'pass', score: 10 });
    expect(report.primitives.find((p) => p.id === 'permissions')).toMatchObject({ status: 'fail', score: 0 });
    expect(report.maturity).toBe('none');
    const gate = report.findings.find((f) => f.criterion === 'permissions.core');
    expect(gate).toMatchObject({ file: 'package.json', line: 1, severity: 'critical' });
    expect(report.nextSteps[0]).toMatchObject({
      primitive: 'permissions',
      command: 'plumbline add permissions',
    });
    expect(report.gate).toEqual({ failed: false, reasons: [] });
    expect(JSON.stringify(report)).not.toContain(tmp);
    expect((await audit(root, { cwd: root, coreRubricDir: CORE })).target.path).toBe('.');
    expect((await audit(root, { cwd: join(tmp, 'core'), coreRubricDir: CORE })).target.path).toBe('../basic');
  });

  it('applies the project config, and command-line thresholds override it', async () => {
    const root = agent(join(tmp, 'configured'), {
      'plumbline.config.yaml': `failOn: critical
phase: day-one
waivers:
  - criterion: session-persistence.core
    reason: Stateless by design
criteria:
  workflow-state.core: {enabled: false}
  token-budget.core: {severity: critical}
`,
    });
    const report = await audit(root, { coreRubricDir: CORE, now: new Date('2025-01-01') });
    expect(report.targetPhase).toBe('day-one');
    expect(report.gate.failed).toBe(true);
    expect(report.gate.reasons).toEqual([
      '2 findings at severity critical or above',
      'target phase day-one not reached: day-one incomplete (permissions fail)',
    ]);
    const crit = (id: string) => report.primitives.flatMap((p) => p.criteria).find((c) => c.id === id);
    expect(crit('session-persistence.core')?.waived).toEqual({ reason: 'Stateless by design' });
    expect(crit('workflow-state.core')?.status).toBe('not-applicable');
    expect(report.findings.some((f) => f.criterion === 'session-persistence.core')).toBe(false);

    const relaxed = await audit(root, { coreRubricDir: CORE, failOn: 'info', phase: undefined });
    expect(relaxed.gate.reasons[0]).toMatch(/^\d+ findings at severity info or above$/);
  });

  it('uses an explicit config file and extra rubric packs', async () => {
    const root = agent(join(tmp, 'packs'));
    write(tmp, {
      'elsewhere/custom.yaml': 'failUnder: 9\nrubrics: [acme.yaml]\n',
      'elsewhere/acme.yaml': `pack: acme
extends:
  - primitive: permissions
    criteria:
      - id: permissions.acme
        title: Acme
        severity: low
        rationale: r
        remediation: r
        pass: {fact: framework.use}
        reasons: {pass: Yes., fail: No.}
`,
    });
    const report = await audit(root, { coreRubricDir: CORE, configPath: join(tmp, 'elsewhere/custom.yaml') });
    const permissions = report.primitives.find((p) => p.id === 'permissions');
    expect(permissions?.criteria.map((c) => [c.id, c.status])).toEqual([
      ['permissions.core', 'fail'],
      ['permissions.acme', 'pass'],
    ]);
    expect(permissions?.status).toBe('fail');
    expect(report.gate.reasons[0]).toMatch(/^overall score [\d.]+ is below 9$/);
  });

  it('is inconclusive with nothing to analyse', async () => {
    const root = write(join(tmp, 'empty'), { 'README.md': '# just docs\n' });
    const report = await audit(root, { coreRubricDir: CORE });
    expect(report.primitives.every((p) => p.status === 'inconclusive')).toBe(true);
    expect(report.findings).toEqual([]);
  });

  it('rejects a missing target and unknown criteria in the config', async () => {
    await expect(audit(join(tmp, 'nope'), { coreRubricDir: CORE })).rejects.toBeInstanceOf(UsageError);
    const root = agent(join(tmp, 'typo'), {
      'plumbline.config.yaml': 'criteria:\n  permissions.cor: {enabled: false}\n',
    });
    await expect(audit(root, { coreRubricDir: CORE })).rejects.toThrow(
      /plumbline\.config\.yaml:2:3: unknown criterion "permissions.cor"/,
    );
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { analyze } from '../src/core/analyze.js';
import { evaluate, indexFacts } from '../src/core/conditions.js';
import { eventLoggingDetector, FACT_KINDS as LOGGING_KINDS } from '../src/detectors/event-logging.js';
import { FACT_KINDS as FRAMEWORK_KINDS } from '../src/detectors/frameworks.js';
import { FACT_KINDS as SHELL_KINDS, shellSecurityDetector } from '../src/detectors/shell-security.js';
import { FACT_KINDS as EVENT_KINDS, streamingEventsDetector } from '../src/detectors/streaming-events.js';
import { FACT_KINDS as VERIFY_KINDS, verificationDetector } from '../src/detectors/verification.js';
import { type Condition, type PrimitiveRubric, PrimitiveRubricSchema } from '../src/rubrics/schema.js';
import { projectFromFiles } from './helpers/project.js';

const RUBRICS = ['streaming-events', 'event-logging', 'verification', 'shell-security'] as const;
// Applicability reads the framework facts (a tool server has no run to stream).
const KNOWN_KINDS = new Set<string>([...EVENT_KINDS, ...LOGGING_KINDS, ...VERIFY_KINDS, ...SHELL_KINDS, ...FRAMEWORK_KINDS]);
const DETECTORS = [
  streamingEventsDetector,
  eventLoggingDetector,
  verificationDetector,
  shellSecurityDetector,
];

function load(id: string): PrimitiveRubric {
  const text = readFileSync(join(import.meta.dirname, '..', 'rubrics', 'core', `${id}.yaml`), 'utf8');
  return PrimitiveRubricSchema.parse(parse(text));
}

function kindsIn(cond: Condition | undefined, out: string[] = []): string[] {
  if (!cond) return out;
  if ('fact' in cond) out.push(cond.fact);
  else if ('every' in cond) out.push(cond.every);
  else if ('all' in cond) for (const c of cond.all) kindsIn(c, out);
  else if ('any' in cond) for (const c of cond.any) kindsIn(c, out);
  else kindsIn(cond.not, out);
  return out;
}

const factsOf = (files: Record<string, string>) =>
  indexFacts(analyze(projectFromFiles(files), DETECTORS).facts);

describe('rubrics for events, logging, verification and shell security', () => {
  for (const id of RUBRICS) {
    it(`${id}.yaml parses, is well-formed and references only known fact kinds`, () => {
      const rubric = load(id);
      expect(rubric.id).toBe(id);
      expect(rubric.add).toBe(`plumbline add ${id}`);
      expect(rubric.criteria.filter((c) => c.required).length).toBeGreaterThanOrEqual(1);
      for (const c of rubric.criteria) {
        expect(c.id.startsWith(`${id}.`)).toBe(true);
        if (c.partial) expect(c.reasons.partial).toBeDefined();
        const kinds = [...kindsIn(c.pass), ...kindsIn(c.partial), ...kindsIn(c.applicable)];
        for (const k of kinds) expect(KNOWN_KINDS, `${c.id} uses ${k}`).toContain(k);
      }
      for (const k of kindsIn(rubric.applicable)) expect(KNOWN_KINDS).toContain(k);
    });
  }

  it('shell-security applies only when the model can drive a shell', () => {
    const rubric = load('shell-security');
    expect(rubric.notApplicableReason).toBeTruthy();
    const harnessOnly = factsOf({
      'src/git.ts':
        "import { execFileSync } from 'node:child_process';\nexport const sha = () => execFileSync('git', ['rev-parse', 'HEAD']);",
    });
    expect(evaluate(rubric.applicable!, harnessOnly).holds).toBe(false);
    const withTool = factsOf({
      'src/tools/bash.ts':
        "import { exec } from 'node:child_process';\nexport function runBash(command: string) { return exec(command, { timeout: 1000 }); }",
    });
    expect(evaluate(rubric.applicable!, withTool).holds).toBe(true);
    const guarded = rubric.criteria.find((c) => c.id === 'shell-security.guarded')!;
    expect(evaluate(guarded.pass, withTool).holds).toBe(false);
    expect(evaluate(guarded.partial!, withTool).holds).toBe(true);
  });

  it('streaming-events gives SDK stream consumption partial credit only', () => {
    const delivered = load('streaming-events').criteria.find((c) => c.id === 'streaming-events.delivered')!;
    const consuming = factsOf({ 'src/a.ts': 'const s = client.messages.stream({ model, messages });' });
    expect(evaluate(delivered.pass, consuming).holds).toBe(false);
    expect(evaluate(delivered.partial!, consuming).holds).toBe(true);
  });

  it('verification counts harness tests from test files and CI from workflows', () => {
    const rubric = load('verification');
    const facts = factsOf({
      'test/permissions.test.ts':
        "import { it } from 'vitest';\nimport { decide } from '../src/permissions.js';\nit('denies', () => decide('rm'));",
      '.github/workflows/ci.yml': 'jobs:\n  t:\n    steps:\n      - run: npm test\n',
    });
    const byId = (id: string) => rubric.criteria.find((c) => c.id === id)!;
    expect(evaluate(byId('verification.harness-tests').pass, facts).holds).toBe(true);
    expect(evaluate(byId('verification.ci').pass, facts).holds).toBe(true);
    expect(evaluate(byId('verification.output-check').pass, facts).holds).toBe(false);
  });

  it('event-logging does not pass on plain console text', () => {
    const structured = load('event-logging').criteria.find((c) => c.id === 'event-logging.structured')!;
    expect(evaluate(structured.pass, factsOf({ 'src/a.ts': "console.log('tool ran', name);" })).holds).toBe(
      false,
    );
    expect(
      evaluate(
        structured.pass,
        factsOf({ 'src/a.ts': "console.log(JSON.stringify({ msg: 'tool ran', name }));" }),
      ).holds,
    ).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { analyze } from '../src/core/analyze.js';
import { evaluate, indexFacts } from '../src/core/conditions.js';
import { eventLoggingDetector } from '../src/detectors/event-logging.js';
import { shellSecurityDetector } from '../src/detectors/shell-security.js';
import { streamingEventsDetector } from '../src/detectors/streaming-events.js';
import { verificationDetector } from '../src/detectors/verification.js';
import { projectFromFiles } from './helpers/project.js';
import { loadCoreRubric } from './helpers/rubrics.js';

const DETECTORS = [
  streamingEventsDetector,
  eventLoggingDetector,
  verificationDetector,
  shellSecurityDetector,
];

const factsOf = (files: Record<string, string>) =>
  indexFacts(analyze(projectFromFiles(files), DETECTORS).facts);

describe('rubrics for events, logging, verification and shell security', () => {
  it('shell-security applies only when the model can drive a shell', () => {
    const rubric = loadCoreRubric('shell-security');
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
    const delivered = loadCoreRubric('streaming-events').criteria.find(
      (c) => c.id === 'streaming-events.delivered',
    )!;
    const consuming = factsOf({ 'src/a.ts': 'const s = client.messages.stream({ model, messages });' });
    expect(evaluate(delivered.pass, consuming).holds).toBe(false);
    expect(evaluate(delivered.partial!, consuming).holds).toBe(true);
  });

  it('verification counts harness tests from test files and CI from workflows', () => {
    const rubric = loadCoreRubric('verification');
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
    const structured = loadCoreRubric('event-logging').criteria.find(
      (c) => c.id === 'event-logging.structured',
    )!;
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

import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/core/analyze.js';
import type { Fact } from '../../src/core/types.js';
import { FACT_KINDS, verificationDetector } from '../../src/detectors/verification.js';
import { projectFromFiles } from '../helpers/project.js';

const run = (files: Record<string, string>) => analyze(projectFromFiles(files), [verificationDetector]).facts;
const ofKind = (facts: Fact[], kind: string) => facts.filter((f) => f.kind === kind);

describe('verification detector', () => {
  it('sees a verifier model call, a reviewer agent and schema validation of model output', () => {
    const facts = run({
      'src/verify.ts': [
        "import Anthropic from '@anthropic-ai/sdk';",
        "import { z } from 'zod';",
        'const Verdict = z.object({ ok: z.boolean() });',
        'export async function verifyResult(task: string, result: string) {',
        '  const res = await client.messages.create({ model, messages: [{ role: "user", content: task + result }] });',
        '  return Verdict.parse(JSON.parse(res.content[0].text));',
        '}',
        "export const reviewer = new Agent({ name: 'code-reviewer', instructions: 'review the diff' });",
      ].join('\n'),
    });
    expect(ofKind(facts, 'verify.step').map((f) => [f.line, f.data.kind])).toEqual([
      [4, 'model-verifier'],
      [8, 'reviewer'],
      [6, 'schema-validation'],
    ]);
  });

  it('takes a schema parse in the function that called the model as validation of its output', () => {
    const facts = run({
      'src/extract.ts': [
        "import Anthropic from '@anthropic-ai/sdk';",
        "import { z } from 'zod';",
        'const Invoice = z.object({ total: z.number() });',
        'export async function extract(doc: string) {',
        '  const res = await client.messages.create({ model, messages: [{ role: "user", content: doc }] });',
        '  const raw = JSON.parse(firstText(res));',
        '  return Invoice.parse(raw);',
        '}',
        'export const readConfig = (raw: unknown) => Invoice.parse(raw);',
      ].join('\n'),
    });
    // The parse on line 7 reads no model field itself, but shares its function with the model call; the one
    // on line 9 does neither.
    expect(ofKind(facts, 'verify.step').map((f) => [f.line, f.data.kind])).toEqual([
      [7, 'schema-validation'],
    ]);
  });

  it('does not take a config parse or a model call in a non-verifier as verification', () => {
    const facts = run({
      'src/config.ts': [
        "import { z } from 'zod';",
        'const ConfigSchema = z.object({ model: z.string() });',
        'export const load = (raw: unknown) => ConfigSchema.parse(raw);',
        'export async function answer(q: string) { return client.messages.create({ model, messages: [] }); }',
        'export async function checkPermission(t: string) { return client.messages.create({ model, messages: [] }); }',
      ].join('\n'),
    });
    expect(ofKind(facts, 'verify.step')).toHaveLength(0);
  });

  it('sees the agent running the project tests, but not a build script doing so', () => {
    const facts = run({
      'src/tools/run-tests.ts':
        "import { execSync } from 'node:child_process';\nexport const runTests = () => execSync('npm test');",
      'scripts/release.ts': "import { execSync } from 'node:child_process';\nexecSync('npm test');",
      'agent/check.py':
        'import subprocess\ndef check():\n    return subprocess.run(["pytest", "-q"], capture_output=True)\n',
    });
    expect(ofKind(facts, 'verify.step').map((f) => `${f.file}:${f.line}:${f.data.kind}`)).toEqual([
      'src/tools/run-tests.ts:2:tests',
      'agent/check.py:3:tests',
    ]);
  });

  it('classifies harness tests by the harness modules they import, and ignores util tests', () => {
    const facts = run({
      'test/permissions.test.ts': [
        "import { describe, expect, it } from 'vitest';",
        "import { decide } from '../src/permissions/engine.js';",
        "describe('rules', () => { it('denies rm', () => expect(decide('rm -rf /')).toBe('deny')); });",
      ].join('\n'),
      'test/strings.test.ts': [
        "import { expect, it } from 'vitest';",
        "import { slugify } from '../src/utils/strings.js';",
        "it('slugifies', () => expect(slugify('A b')).toBe('a-b'));",
      ].join('\n'),
      'agent/session.py': 'def save(): pass\n',
      'tests/test_session.py':
        'from agent.session import save\n\ndef test_save():\n    save()\n\ndef test_again():\n    save()\n',
    });
    expect(
      ofKind(facts, 'verify.harness-test').map((f) => [f.file, f.line, f.data.area, f.data.cases, f.role]),
    ).toEqual([
      ['test/permissions.test.ts', 3, 'permissions', 1, 'test'],
      ['tests/test_session.py', 3, 'session', 2, 'test'],
    ]);
  });

  it('reads eval suites: promptfoo configs, case corpora, datasets and custom runners', () => {
    const facts = run({
      'promptfooconfig.yaml': 'prompts: [p.txt]\nproviders: [openai:gpt-4o]\ntests:\n  - vars: {q: hi}\n',
      'evals/permissions.yaml':
        'cases:\n  - id: rm\n    tool: Bash\n    input: {command: "rm -rf /"}\n    expect: deny\n',
      'evals/golden.jsonl': '{"input": "a", "expected": "b"}\n',
      'evals/run.py': 'from inspect_ai import task\n@task\ndef suite():\n    return 1\n',
      'evals/README.md': '# how to run\n',
    });
    expect(
      ofKind(facts, 'verify.eval-suite')
        .map((f) => `${f.file}:${f.line}:${f.data.kind}`)
        .sort(),
    ).toEqual([
      'evals/golden.jsonl:1:dataset',
      'evals/permissions.yaml:1:corpus',
      'evals/run.py:1:custom',
      'promptfooconfig.yaml:3:promptfoo',
    ]);
  });

  it('reads what a GitHub workflow runs', () => {
    const facts = run({
      '.github/workflows/ci.yml': [
        'name: ci',
        'on: [push]',
        'jobs:',
        '  test:',
        '    runs-on: ubuntu-latest',
        '    steps:',
        '      - uses: actions/checkout@v4',
        '      - run: npm ci && npm run lint',
        '      - run: npm test',
        '      - run: npx promptfoo eval -c evals/promptfooconfig.yaml',
        '      - run: npx plumbline ci',
      ].join('\n'),
      '.github/workflows/release.yml':
        'on: [push]\njobs:\n  pub:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npm publish\n',
    });
    expect(ofKind(facts, 'verify.ci').map((f) => [f.file, f.line, f.data.runs])).toEqual([
      ['.github/workflows/ci.yml', 3, ['tests', 'evals', 'plumbline', 'lint']],
      ['.github/workflows/release.yml', 2, []],
    ]);
  });

  it('sees a reviewer role run and an output guardrail', () => {
    const facts = run({
      'harness/agent.py': 'def finish(draft):\n    return run_role("reviewer", draft)\n',
      'src/agents.ts': "export const a = Agent.create({ name: 'Triage', outputGuardrails: [noPromises] });",
    });
    expect(ofKind(facts, 'verify.step').map((f) => `${f.file}:${f.line}:${f.data.kind}`)).toEqual([
      'harness/agent.py:2:reviewer',
      'src/agents.ts:1:output-guardrail',
    ]);
  });

  it('declares every kind it emits', () => {
    const facts = run({
      '.github/workflows/ci.yml': 'jobs:\n  t:\n    steps:\n      - run: pytest\n',
      'evals/x.jsonl': '{}\n',
    });
    expect(facts.length).toBe(2);
    for (const f of facts) expect(FACT_KINDS).toContain(f.kind);
  });
});

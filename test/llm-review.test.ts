import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { run } from '../src/commands/run.js';
import { analyze } from '../src/core/analyze.js';
import { audit } from '../src/core/audit.js';
import { discover } from '../src/core/discover.js';
import type { Report } from '../src/core/report.js';
import { formatHtml } from '../src/formatters/html.js';
import { formatJson } from '../src/formatters/json.js';
import { formatMarkdown } from '../src/formatters/markdown.js';
import { formatSarif } from '../src/formatters/sarif.js';
import { formatText } from '../src/formatters/text.js';
import { estimateCost, priceFor } from '../src/llm/budget.js';
import { collect } from '../src/llm/collect.js';
import { loadLlmCriteria } from '../src/llm/criteria.js';
import { parseVerdict } from '../src/llm/grade.js';
import type { LlmOptions } from '../src/llm/review.js';
import {
  type StubReply,
  type StubRequest,
  type StubServer,
  startStubAnthropic,
} from './helpers/stub-anthropic.js';

const EXAMPLE = resolve(import.meta.dirname, '../examples/well-built-ts-agent');
const NOW = new Date('2026-01-15T00:00:00Z');
const LLM_IDS = [
  'tool-registry.llm-descriptions',
  'permissions.llm-prompt-consistency',
  'verification.llm-verifier-checks-task',
];

type Answer = (criterion: string, req: StubRequest) => string;

const VERDICTS: Record<string, object> = {
  'tool-registry.llm-descriptions': {
    status: 'partial',
    reason: 'Purposes are clear; two tools lack failure modes.',
    items: [
      { name: 'read_file', status: 'partial', reason: 'says nothing about a missing file' },
      { name: 'search', status: 'pass', reason: 'complete' },
      { name: 'fetch_url', status: 'fail', reason: 'no failure mode, no example' },
    ],
  },
  'permissions.llm-prompt-consistency': {
    status: 'fail',
    reason: 'The prompt invites edits anywhere while the policy only allows docs/ and notes/.',
  },
  'verification.llm-verifier-checks-task': { status: 'pass', reason: 'Task, checks and a JSON verdict.' },
};
const fine: Answer = (criterion) => `Here is my grade:\n${JSON.stringify(VERDICTS[criterion])}`;

const criterionOf = (req: StubRequest): string => {
  const user = req.messages[0]?.content;
  return /Grade criterion (\S+)/.exec(typeof user === 'string' ? user : '')?.[1] ?? '';
};
const systemText = (req: StubRequest): string => (req.system as { text: string }[])[0]!.text;

/**
 * A model behind the stub that bills like the real API with prompt caching: the first request with a given
 * cached system block writes it (cache_creation_input_tokens), later ones read it (cache_read_input_tokens),
 * and `input_tokens` counts only the uncached rest.
 */
let written = new Set<string>();
let outputTokens = 80;
function cachingModel(answer: () => Answer) {
  return (req: StubRequest): StubReply => {
    const system = systemText(req);
    const systemTokens = Math.ceil(system.length / 4);
    const hit = written.has(system);
    written.add(system);
    return {
      text: answer()(criterionOf(req), req),
      usage: {
        input_tokens: Math.ceil(JSON.stringify(req.messages).length / 4),
        output_tokens: outputTokens,
        cache_creation_input_tokens: hit ? 0 : systemTokens,
        cache_read_input_tokens: hit ? systemTokens : 0,
      },
    };
  };
}

let stub: StubServer;
let answer: Answer = fine;
let project: string;
beforeAll(async () => {
  stub = await startStubAnthropic(cachingModel(() => answer));
});
afterAll(async () => {
  await stub.close();
});
beforeEach(() => {
  answer = fine;
  written = new Set();
  outputTokens = 80;
  project = mkdtempSync(join(tmpdir(), 'plumbline-llm-'));
  cpSync(EXAMPLE, project, { recursive: true });
});
afterEach(() => {
  rmSync(project, { recursive: true, force: true });
});

const env = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
  ANTHROPIC_API_KEY: 'test-key',
  ANTHROPIC_BASE_URL: stub.url,
  ...extra,
});
const llmAudit = (llm: LlmOptions, extra: Parameters<typeof audit>[1] = {}) =>
  audit(project, { now: NOW, cwd: project, ...extra, llm: { env: env(), ...llm } });
const plainAudit = () => audit(project, { now: NOW, cwd: project });

const llmCriteria = (report: Report) =>
  report.primitives.flatMap((p) =>
    p.criteria.filter((c) => c.grader === 'llm').map((c) => ({ p: p.id, ...c })),
  );
const criterion = (report: Report, id: string) => llmCriteria(report).find((c) => c.id === id)!;

/** The report as the deterministic audit alone would have written it. */
function deterministic(report: Report): string {
  const { llm: _llm, ...rest } = report;
  return formatJson({
    ...rest,
    primitives: rest.primitives.map((p) => ({
      ...p,
      criteria: p.criteria.filter((c) => c.grader !== 'llm'),
    })),
    findings: rest.findings.filter((f) => !f.llm),
    gate: { failed: rest.gate.failed, reasons: rest.gate.reasons.filter((r) => !r.includes('(--llm)')) },
  });
}

/** Sonnet 5.5 list prices (USD per million tokens) applied to the usage blocks the stub sent back. */
function expectedCost(requests: StubRequest[]): number {
  const p = priceFor('claude-sonnet-5-5');
  expect(p).toEqual({ input: 2, output: 10, cacheWrite: 2.5, cacheRead: 0.2 });
  let total = 0;
  const written = new Set<string>();
  for (const req of requests) {
    const system = systemText(req);
    const tokens = Math.ceil(system.length / 4);
    const hit = written.has(system);
    written.add(system);
    total +=
      Math.ceil(JSON.stringify(req.messages).length / 4) * p.input +
      80 * p.output +
      (hit ? tokens * p.cacheRead : tokens * p.cacheWrite);
  }
  return total / 1e6;
}

describe('audit --llm against the real SDK and a stub Messages API', () => {
  it('grades the three criteria into their primitives, marked as LLM, without touching scores', async () => {
    const before = stub.requests.length;
    const plain = await plainAudit();
    const report = await llmAudit({});
    const sent = stub.requests.slice(before);

    expect(sent).toHaveLength(3);
    expect(sent.map(criterionOf).sort()).toEqual([...LLM_IDS].sort());
    expect(llmCriteria(report).map((c) => `${c.p}/${c.id}`)).toEqual([
      'tool-registry/tool-registry.llm-descriptions',
      'permissions/permissions.llm-prompt-consistency',
      'verification/verification.llm-verifier-checks-task',
    ]);
    const tools = criterion(report, 'tool-registry.llm-descriptions');
    expect(tools.status).toBe('partial');
    expect(tools.reason).toBe('Purposes are clear; two tools lack failure modes.');
    expect(tools.weight).toBe(0);
    expect(tools.evidence[0]).toEqual({ file: 'src/tools/registry.ts', line: 77 });
    expect(criterion(report, 'permissions.llm-prompt-consistency').status).toBe('fail');
    expect(criterion(report, 'verification.llm-verifier-checks-task').status).toBe('pass');

    // Flagged tools become findings at their own definitions; a passing item does not.
    const llmFindings = report.findings.filter((f) => f.llm);
    expect(llmFindings.map((f) => `${f.id} ${f.file}:${f.line}`).sort()).toEqual([
      'permissions.llm-prompt-consistency src/agent.ts:139',
      'tool-registry.llm-descriptions:fetch_url src/tools/registry.ts:117',
      'tool-registry.llm-descriptions:read_file src/tools/registry.ts:77',
    ]);
    expect(llmFindings.every((f) => f.excerpt !== undefined && f.remediation.length > 0)).toBe(true);

    // The deterministic audit is exactly what it was: scores, statuses, phases, maturity, findings.
    expect(deterministic(report)).toBe(formatJson(plain));
    expect(report.llm).toMatchObject({ model: 'claude-sonnet-5-5', calls: 3, cacheHits: 0, budgetUsd: 0.5 });
  });

  it('sends what it grades: the project material, a cached system block, no tools', async () => {
    const before = stub.requests.length;
    await llmAudit({});
    const sent = stub.requests.slice(before);
    const byId = new Map(sent.map((r) => [criterionOf(r), r]));
    for (const req of sent) {
      expect(req.model).toBe('claude-sonnet-5-5');
      expect(req.tools).toBeUndefined();
      const system = req.system as { type: string; text: string; cache_control?: unknown }[];
      expect(system).toHaveLength(1);
      expect(system[0]!.cache_control).toEqual({ type: 'ephemeral' });
      // One system block for every criterion, so the second and third calls hit the prompt cache.
      expect(system[0]!.text).toBe(systemText(sent[0]!));
    }
    const user = (id: string) => String(byId.get(id)!.messages[0]!.content);
    expect(user('tool-registry.llm-descriptions')).toContain('### fetch_url  (src/tools/registry.ts:117)');
    expect(user('permissions.llm-prompt-consistency')).toContain(
      'You are a careful research and editing assistant',
    );
    expect(user('permissions.llm-prompt-consistency')).toContain('deny: Read(.env)');
    // The reviewer's own prompt is the verifier's material, not the agent's system prompt.
    expect(user('permissions.llm-prompt-consistency')).not.toContain('You review the final answer');
    expect(user('verification.llm-verifier-checks-task')).toContain('You review the final answer');
    expect(user('verification.llm-verifier-checks-task')).toContain('<task>');
  });

  it('prices usage with prompt-cache writes and reads, and a second identical run is all cache hits at $0', async () => {
    const before = stub.requests.length;
    const first = await llmAudit({});
    const sent = stub.requests.slice(before);
    const systemTokens = Math.ceil(systemText(sent[0]!).length / 4);
    expect(first.llm).toMatchObject({
      calls: 3,
      cacheHits: 0,
      outputTokens: 240,
      cacheCreationTokens: systemTokens,
      cacheReadTokens: 2 * systemTokens,
    });
    expect(first.llm!.costUsd).toBeCloseTo(expectedCost(sent), 6);
    // Reads at a tenth of the input price: cheaper than paying full input for the same tokens.
    expect(first.llm!.costUsd).toBeLessThan(
      (first.llm!.inputTokens * 2 + 3 * systemTokens * 2 + first.llm!.outputTokens * 10) / 1e6,
    );
    const cache = join(project, '.plumbline', 'cache', 'llm');
    expect(readdirSync(cache).filter((n) => n.endsWith('.json'))).toHaveLength(3);

    const second = await llmAudit({});
    expect(stub.requests.length - before).toBe(3);
    expect(second.llm).toMatchObject({ calls: 0, cacheHits: 3, costUsd: 0, inputTokens: 0, outputTokens: 0 });
    expect(llmCriteria(second)).toEqual(llmCriteria(first));
    // The cache folder never becomes part of what the next audit analyses.
    expect(deterministic(second)).toBe(deterministic(first));
    expect(readFileSync(join(project, '.plumbline', 'cache', '.gitignore'), 'utf8')).toMatch(/^\*$/m);
  });

  it('keys the cache on the content and the model', async () => {
    await llmAudit({});
    const before = stub.requests.length;
    const other = await llmAudit({ model: 'claude-haiku-4-5' });
    expect(other.llm).toMatchObject({ model: 'claude-haiku-4-5', calls: 3, cacheHits: 0 });
    expect(stub.requests.slice(before).every((r) => r.model === 'claude-haiku-4-5')).toBe(true);

    const fromEnv = await audit(project, {
      now: NOW,
      cwd: project,
      llm: { env: env({ PLUMBLINE_LLM_MODEL: 'claude-haiku-4-5' }) },
    });
    expect(fromEnv.llm).toMatchObject({ model: 'claude-haiku-4-5', calls: 0, cacheHits: 3 });

    const registry = join(project, 'src/tools/registry.ts');
    const text = readFileSync(registry, 'utf8');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(registry, text.replace('Fetch a web page', 'Fetch one web page'));
    const edited = await llmAudit({});
    expect(edited.llm).toMatchObject({ calls: 1, cacheHits: 2 });
  });

  it('honours PLUMBLINE_CACHE_DIR', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plumbline-llm-cache-'));
    try {
      await audit(project, { now: NOW, cwd: project, llm: { env: env({ PLUMBLINE_CACHE_DIR: dir }) } });
      expect(readdirSync(join(dir, 'llm')).filter((n) => n.endsWith('.json'))).toHaveLength(3);
      expect(existsSync(join(project, '.plumbline', 'cache'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the budget is a hard stop', () => {
  it('refuses a call it cannot afford before sending it: inconclusive "budget", nothing reaches the stub', async () => {
    const before = stub.requests.length;
    const report = await llmAudit({ budgetUsd: 0.001 });
    expect(stub.requests.length).toBe(before);
    for (const c of llmCriteria(report)) {
      expect(c.status).toBe('inconclusive');
      expect(c.reason).toMatch(/^Not graded: budget\./);
    }
    expect(report.llm).toMatchObject({ calls: 0, costUsd: 0, budgetUsd: 0.001 });
    expect(report.findings.some((f) => f.llm)).toBe(false);
  });

  it('stops once the spending so far leaves no room for the next worst case', async () => {
    const before = stub.requests.length;
    // A worst-case call costs about $0.027 at Sonnet 5.5 prices; the first uses half its output tokens,
    // so what is left of $0.03 cannot cover a second worst case.
    outputTokens = 1000;
    const report = await llmAudit({ budgetUsd: 0.03 });
    expect(stub.requests.length - before).toBe(1);
    const statuses = llmCriteria(report).map((c) => c.status);
    expect(statuses.filter((s) => s === 'inconclusive')).toHaveLength(2);
    expect(report.llm!.calls).toBe(1);
    expect(report.llm!.costUsd).toBeGreaterThan(0);
    expect(report.llm!.costUsd).toBeLessThanOrEqual(0.03);
  });

  it('spends nothing on a cached grade, so a re-run under a tiny budget is still complete', async () => {
    await llmAudit({});
    const report = await llmAudit({ budgetUsd: 0 });
    expect(report.llm).toMatchObject({ calls: 0, cacheHits: 3, costUsd: 0 });
    expect(llmCriteria(report).map((c) => c.status)).toEqual(['partial', 'fail', 'pass']);
  });
});

describe('bad answers and failures are results, not crashes', () => {
  it('makes a criterion with an unreadable answer inconclusive, and does not cache it', async () => {
    answer = (id) =>
      id === 'permissions.llm-prompt-consistency'
        ? 'Looks consistent to me!'
        : id === 'verification.llm-verifier-checks-task'
          ? '{"status": "great", "reason": "x"}'
          : fine(id, {} as StubRequest);
    const report = await llmAudit({});
    expect(criterion(report, 'tool-registry.llm-descriptions').status).toBe('partial');
    const prompt = criterion(report, 'permissions.llm-prompt-consistency');
    expect(prompt.status).toBe('inconclusive');
    expect(prompt.reason).toMatch(/no JSON object: "Looks consistent to me!"/);
    const verifier = criterion(report, 'verification.llm-verifier-checks-task');
    expect(verifier.status).toBe('inconclusive');
    expect(verifier.reason).toMatch(/verdict shape \(status:/);
    // The failed calls were still paid for.
    expect(report.llm!.calls).toBe(3);

    answer = fine;
    const before = stub.requests.length;
    const again = await llmAudit({});
    expect(stub.requests.length - before).toBe(2);
    expect(again.llm).toMatchObject({ calls: 2, cacheHits: 1 });
  });

  it('reports an unreachable API per criterion', async () => {
    const closed = await startStubAnthropic(() => ({ text: '{}' }));
    await closed.close();
    const report = await audit(project, {
      now: NOW,
      cwd: project,
      llm: { env: env({ ANTHROPIC_BASE_URL: closed.url }) },
    });
    for (const c of llmCriteria(report)) {
      expect(c.status).toBe('inconclusive');
      expect(c.reason).toMatch(/^Not graded: the model call failed/);
    }
  }, 60_000);

  it('parses the verdict out of surrounding prose', () => {
    expect(parseVerdict('Sure. {"status":"pass","reason":"ok"} Hope that helps.')).toEqual({
      verdict: { status: 'pass', reason: 'ok' },
    });
    expect(parseVerdict('{"status":"pass"')).toMatchObject({
      error: expect.stringMatching(/no JSON object/),
    });
    expect(parseVerdict('{"status": pass}')).toMatchObject({
      error: expect.stringMatching(/not valid JSON/),
    });
  });
});

describe('without a key', () => {
  it('skips the review and leaves the report byte-identical apart from the llm notice', async () => {
    const before = stub.requests.length;
    const plain = await plainAudit();
    const report = await audit(project, {
      now: NOW,
      cwd: project,
      llm: { env: { ANTHROPIC_BASE_URL: stub.url } },
    });
    expect(stub.requests.length).toBe(before);
    expect(report.llm).toMatchObject({ skipped: 'no ANTHROPIC_API_KEY', calls: 0, costUsd: 0 });
    const { llm: _llm, ...rest } = report;
    expect(formatJson(rest)).toBe(formatJson(plain));
  });

  describe('on the command line', () => {
    const capture = (into: string[]) => (chunk: unknown) => {
      into.push(String(chunk));
      return true;
    };
    let saved: string | undefined;
    beforeEach(() => {
      saved = process.env.ANTHROPIC_API_KEY;
      delete process.env.ANTHROPIC_API_KEY;
    });
    afterEach(() => {
      if (saved !== undefined) process.env.ANTHROPIC_API_KEY = saved;
      vi.restoreAllMocks();
    });

    it('prints the notice on stderr and the report on stdout', async () => {
      const out: string[] = [];
      const err: string[] = [];
      vi.spyOn(process.stdout, 'write').mockImplementation(capture(out));
      vi.spyOn(process.stderr, 'write').mockImplementation(capture(err));
      const code = await run(['audit', project, '--llm', '--format', 'json'], '0.0.0');
      vi.restoreAllMocks();
      expect(err.join('')).toContain(
        '--llm skipped: no ANTHROPIC_API_KEY; the deterministic audit is unchanged',
      );
      const report = JSON.parse(out.join('')) as Report;
      expect(report.llm?.skipped).toBe('no ANTHROPIC_API_KEY');
      expect(code).toBe(0);
    });

    it('rejects a negative budget as a usage error', async () => {
      const err: string[] = [];
      vi.spyOn(process.stderr, 'write').mockImplementation(capture(err));
      const code = await run(['audit', project, '--llm', '--llm-budget-usd', '-1'], '0.0.0');
      vi.restoreAllMocks();
      expect(code).toBe(2);
      expect(err.join('')).toMatch(/--llm-budget-usd/);
    });
  });
});

describe('every format marks the LLM criteria', () => {
  it('text [llm], markdown 🤖, sarif grader/tag, html badge, json grader and llm', async () => {
    const report = await llmAudit({});
    const options = { color: false, verbose: true };

    const text = formatText(report, options);
    expect(text).toMatch(/✖ The system prompt agrees with the permission policy \[llm\]/);
    expect(text).toMatch(/LLM review \[llm\] {2}1 pass · 1 partial · 1 fail/);
    expect(text).toMatch(/claude-sonnet-5-5 · 3 calls · 0 cache hits · \$0\.\d{4} of \$0\.50/);
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(100);

    const md = formatMarkdown(report, options);
    expect(md).toContain('### 🤖 LLM review');
    expect(md).toMatch(
      /❌ The system prompt agrees with the permission policy \(`permissions\.llm-prompt-consistency`\) 🤖 \(LLM\)/,
    );
    expect(md).toMatch(/\*\*medium\*\* 🤖 \(LLM\) fetch\\_url: no failure mode/);

    const sarif = JSON.parse(formatSarif(report));
    const rules = sarif.runs[0].tool.driver.rules as {
      id: string;
      properties: { grader?: string; tags: string[] };
    }[];
    for (const id of LLM_IDS) {
      const rule = rules.find((r) => r.id === id)!;
      expect(rule.properties.grader).toBe('llm');
      expect(rule.properties.tags).toContain('llm');
    }
    expect(rules.find((r) => r.id === 'tool-registry.declared')!.properties.grader).toBeUndefined();
    const results = sarif.runs[0].results as { ruleId: string; properties: { llm?: boolean } }[];
    expect(
      results
        .filter((r) => r.properties.llm)
        .map((r) => r.ruleId)
        .sort(),
    ).toEqual([
      'permissions.llm-prompt-consistency',
      'tool-registry.llm-descriptions',
      'tool-registry.llm-descriptions',
    ]);

    const html = formatHtml(report, options);
    expect(html).toMatch(
      /data-criterion="permissions\.llm-prompt-consistency">\n<div class="crit-head">.*class="pill plain llm"/,
    );
    expect(html).toContain('LLM review by <code>claude-sonnet-5-5</code>: 3 calls, 0 cache hits');

    const json = JSON.parse(formatJson(report));
    expect(json.llm.calls).toBe(3);
    expect(json.findings.filter((f: { llm?: boolean }) => f.llm)).toHaveLength(3);
  });

  it('--fail-on catches an LLM finding, and says it was one', async () => {
    const plain = await audit(project, { now: NOW, cwd: project, failOn: 'medium' });
    const report = await llmAudit({}, { failOn: 'medium' });
    expect(plain.gate.reasons.some((r) => r.includes('LLM'))).toBe(false);
    expect(report.gate.failed).toBe(true);
    expect(report.gate.reasons).toContain('3 LLM findings at severity medium or above (--llm)');
  });
});

describe('what is collected and what it costs', () => {
  it('finds a Python system prompt and, with no rules as data, the decision function as the policy', async () => {
    const root = resolve(import.meta.dirname, '../examples/mid-python-agent');
    const project = await discover(root, {});
    const analysis = analyze(project);
    const subjects = collect({ files: project.files, facts: analysis.facts, inventory: analysis.inventory });
    const prompt = subjects['prompt-and-policy'];
    if ('missing' in prompt) throw new Error(prompt.missing);
    expect(prompt.text).toContain('### system prompt at agent/loop.py:');
    expect(prompt.text).toContain('You help with a software project in the current workspace.');
    expect(prompt.text).toContain('### agent/permissions.py');
    expect(prompt.text).toContain('def check_permission(');
    const tools = subjects['tool-descriptions'];
    if ('missing' in tools) throw new Error(tools.missing);
    expect([...tools.named.keys()]).toEqual(['read_file', 'write_file', 'run_command']);
    expect(subjects['verifier-prompt']).toEqual({
      missing: 'No model-verifier function with literal prompt strings was found.',
    });
  });

  it('prices by model family, unknown models dearest, with an override', () => {
    expect(priceFor('claude-haiku-4-5-20251001')).toMatchObject({ input: 1, output: 5 });
    expect(priceFor('claude-opus-4-1')).toMatchObject({ input: 15, output: 75 });
    expect(priceFor('some-new-model')).toMatchObject({ input: 15, output: 75 });
    expect(priceFor('claude-sonnet-5-5', '{"input":1,"output":2}')).toEqual({
      input: 1,
      output: 2,
      cacheWrite: 1.25,
      cacheRead: 0.1,
    });
    expect(() => priceFor('x', '{"input":"cheap"}')).toThrow(/PLUMBLINE_LLM_PRICE/);
    // The worst case: the system block written to the cache, every output token used.
    expect(
      estimateCost(priceFor('claude-sonnet-5-5'), {
        systemChars: 3000,
        userChars: 300,
        maxOutputTokens: 1000,
      }),
    ).toBeCloseTo((1000 * 2.5 + 100 * 2 + 1000 * 10) / 1e6, 9);
  });
});

describe('criteria as data and lazy loading', () => {
  it('loads three criteria from rubrics/llm, each marked grader: llm', () => {
    const criteria = loadLlmCriteria();
    expect(criteria.map((c) => c.id).sort()).toEqual([...LLM_IDS].sort());
    expect(criteria.every((c) => c.grader === 'llm' && c.instructions.length > 100)).toBe(true);
  });

  it('imports the SDK at run time only, from src/llm', () => {
    const src = resolve(import.meta.dirname, '../src');
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (path.endsWith('.ts')) {
          const text = readFileSync(path, 'utf8');
          if (/^import\s+(?!type\b)[^;]*from\s+'@anthropic-ai\/sdk'/m.test(text)) offenders.push(path);
          if (/^import\s+(?!type\b)[^;]*from\s+'\.\.\/llm\//m.test(text) && !path.includes('/llm/'))
            offenders.push(path);
        }
      }
    };
    walk(src);
    expect(offenders).toEqual([]);
    expect(readFileSync(join(src, 'llm/review.ts'), 'utf8')).toContain("await import('@anthropic-ai/sdk')");
  });
});

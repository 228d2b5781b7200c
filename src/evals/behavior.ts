import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { UsageError } from '../core/errors.js';
import { parseYamlDocument } from '../core/source-map.js';
import { scrubbedEnv } from './adapters/scrubbed-env.js';
import type { EvalConfig } from './config.js';
import type { SuiteResult } from './report.js';
import { type CaseResult, metricsOf } from './run-corpus.js';

/** plumbline's own promptfoo suite, shipped in the package. */
export const BUILTIN_PROMPTFOO_DIR = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '../../evals/promptfoo',
);
const DEFAULT_KEY_ENV = ['ANTHROPIC_API_KEY', 'OPENAI_API_KEY'];
/** What the agent under test may see: its model endpoint and keys, nothing else of ours. */
const AGENT_ENV = [
  'ANTHROPIC_API_KEY',
  'ANTHROPIC_BASE_URL',
  'ANTHROPIC_MODEL',
  'OPENAI_API_KEY',
  'OPENAI_BASE_URL',
];

type PromptfooModule = {
  evaluate: (
    suite: unknown,
    options: unknown,
  ) => Promise<{ toEvaluateSummary?: () => Promise<PromptfooSummary> } & Partial<PromptfooSummary>>;
};
interface PromptfooResult {
  success: boolean;
  testIdx?: number;
  error?: string | null;
  testCase?: { description?: string; metadata?: { category?: string } };
  description?: string;
  gradingResult?: { reason?: string; componentResults?: { pass: boolean; reason?: string }[] } | null;
  response?: { output?: unknown; error?: string };
}
interface PromptfooSummary {
  results: PromptfooResult[];
}

export class PromptfooMissing extends Error {}

/** Loads promptfoo only here: it is large and optional, and nothing else in plumbline needs it. */
async function loadPromptfoo(): Promise<PromptfooModule> {
  process.env.PROMPTFOO_DISABLE_TELEMETRY ??= '1';
  process.env.PROMPTFOO_DISABLE_UPDATE ??= '1';
  // promptfoo logs progress to stdout, which would corrupt --format json output.
  process.env.LOG_LEVEL ??= 'error';
  process.env.PROMPTFOO_CONFIG_DIR ??= mkdtempSync(join(tmpdir(), 'plumbline-promptfoo-'));
  try {
    const mod = (await import('promptfoo')) as unknown as { default?: PromptfooModule } & PromptfooModule;
    return mod.default ?? mod;
  } catch {
    throw new PromptfooMissing('promptfoo is not installed');
  }
}

export interface BehaviorRun {
  projectRoot: string;
  configDir: string;
  config: EvalConfig;
  /** The suite was asked for by name: a missing promptfoo is then an error, not a skip. */
  explicit: boolean;
  env?: NodeJS.ProcessEnv;
}

function skippedSuite(adapter: string, notice: string): SuiteResult {
  return {
    id: 'behavior',
    adapter,
    status: 'skipped',
    notice,
    cases: [],
    metrics: metricsOf([]),
    categories: [],
  };
}

/**
 * Runs the behavioural suites through promptfoo's Node API: each promptfoo test drives the agent under test
 * with an adversarial task; a test that passes counts as an attack the agent resisted.
 */
export async function runBehaviorSuite(run: BehaviorRun): Promise<SuiteResult> {
  const b = run.config.behavior;
  const env = run.env ?? process.env;
  if (!b)
    return skippedSuite(
      '-',
      'no eval.behavior.agent configured: the behavioural suite needs a command that runs your agent',
    );
  const adapter = `promptfoo:${b.agent}`;
  const keys = b.keyEnv ?? DEFAULT_KEY_ENV;
  if (!keys.some((k) => env[k]))
    return skippedSuite(
      adapter,
      `skipped, not passed: no model key (${keys.join(' or ')}) is set, so the agent cannot run`,
    );

  let promptfoo: PromptfooModule;
  try {
    promptfoo = await loadPromptfoo();
  } catch (e) {
    if (!(e instanceof PromptfooMissing)) throw e;
    const hint = 'Install it next to plumbline: npm install --save-dev promptfoo@0.121';
    if (run.explicit)
      throw new UsageError('the behaviour suite needs promptfoo, which is not installed', { hint });
    return skippedSuite(adapter, `skipped: promptfoo is not installed (${hint})`);
  }

  const configs = (b.configs ?? [join(BUILTIN_PROMPTFOO_DIR, 'adversarial.yaml')]).map((c) =>
    resolve(run.configDir, c),
  );
  const agentEnv = scrubbedEnv(
    AGENT_ENV.filter((k) => env[k] !== undefined),
    env,
  );
  const cases: CaseResult[] = [];
  for (const file of configs) {
    if (!existsSync(file))
      throw new UsageError(`promptfoo config ${relative(run.projectRoot, file)} does not exist`, {
        hint: 'Check eval.behavior.configs.',
      });
    const parsed = parseYamlDocument(readFileSync(file, 'utf8'));
    if (!parsed.ok)
      throw new UsageError(
        `${relative(run.projectRoot, file)}:${parsed.error.line}:${parsed.error.col}: ${parsed.error.message}`,
      );
    const suite = parsed.doc.value as {
      prompts?: unknown;
      tests?: unknown[];
      defaultTest?: unknown;
      providers?: unknown;
    };
    const dir = dirname(file);
    const { default: AgentProvider } = (await import(
      pathToFileURL(join(BUILTIN_PROMPTFOO_DIR, 'agent-provider.mjs')).href
    )) as {
      default: new (o: { id: string; config: Record<string, unknown> }) => unknown;
    };
    const provider = new AgentProvider({
      id: adapter,
      config: { command: b.agent, cwd: run.projectRoot, env: agentEnv, timeoutMs: b.timeoutMs },
    });
    const previous = process.cwd();
    // promptfoo resolves file:// references against the working directory.
    process.chdir(dir);
    let summary: PromptfooSummary;
    try {
      const evaluation = await promptfoo.evaluate(
        {
          prompts: suite.prompts,
          providers: [provider],
          tests: suite.tests,
          defaultTest: suite.defaultTest,
          writeLatestResults: false,
        },
        { maxConcurrency: 2, cache: false, showProgressBar: false },
      );
      summary = (
        evaluation.toEvaluateSummary ? await evaluation.toEvaluateSummary() : evaluation
      ) as PromptfooSummary;
    } finally {
      process.chdir(previous);
    }
    const ordered = [...summary.results].sort((a, b) => (a.testIdx ?? 0) - (b.testIdx ?? 0));
    ordered.forEach((r, i) => {
      const id = r.testCase?.description ?? r.description ?? `case-${i + 1}`;
      const failedParts = r.gradingResult?.componentResults?.filter((c) => !c.pass) ?? [];
      const error =
        r.response?.error ?? (r.success ? undefined : r.error && !r.gradingResult ? r.error : undefined);
      cases.push({
        id,
        category: r.testCase?.metadata?.category ?? 'behavior',
        kind: 'attack',
        tool: 'agent',
        input: {},
        expect: 'not-allow',
        decision: error ? 'error' : r.success ? 'deny' : 'allow',
        reason:
          error ??
          (r.success
            ? 'the agent resisted'
            : failedParts.map((c) => c.reason).join('; ') || r.gradingResult?.reason || 'assertion failed'),
        rule: null,
        ruleFile: null,
        pass: !error && r.success,
        file: relative(run.projectRoot, file) || file,
        line: 1,
      });
    });
  }
  const byCategory = new Map<string, CaseResult[]>();
  for (const c of cases) byCategory.set(c.category, [...(byCategory.get(c.category) ?? []), c]);
  return {
    id: 'behavior',
    adapter,
    status: 'ran',
    cases,
    metrics: metricsOf(cases),
    categories: [...byCategory]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([category, rs]) => ({ category, ...metricsOf(rs) })),
  };
}

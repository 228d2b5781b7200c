import type Anthropic from '@anthropic-ai/sdk';
import type { CriterionResult, Finding, LlmSummary } from '../core/report.js';
import { fingerprint } from '../core/score.js';
import type { Fact, Inventory, ProjectFile } from '../core/types.js';
import { actualCost, Budget, estimateCost, priceFor, type Usage } from './budget.js';
import { cacheDir, cacheKey, readCached, type Verdict, writeCached } from './cache.js';
import { collect, type SubjectText } from './collect.js';
import { type LlmCriterion, loadLlmCriteria } from './criteria.js';
import { grade, MAX_OUTPUT_TOKENS, PROMPT_VERSION, systemPrompt, userPrompt } from './grade.js';

/**
 * The optional LLM review (`plumbline audit --llm`): collect what needs judgement, grade each criterion
 * with one Messages call (or a cached grade), within a hard budget. The results are reported beside the
 * deterministic criteria and never change a score. Never prints; a missing key is a result (`skipped`).
 */

export const DEFAULT_LLM_MODEL = 'claude-sonnet-5-5';
export const DEFAULT_LLM_BUDGET_USD = 0.5;

export interface LlmOptions {
  /** Model id; else `PLUMBLINE_LLM_MODEL`, else DEFAULT_LLM_MODEL. */
  model?: string;
  /** Hard spending limit in USD for this run (cached grades are free). */
  budgetUsd?: number;
  /** Environment to read ANTHROPIC_API_KEY, ANTHROPIC_BASE_URL, PLUMBLINE_* from (tests pin it). */
  env?: NodeJS.ProcessEnv;
  /** Folder of the LLM criteria (tests). */
  criteriaDir?: string;
  now?: Date;
}

export interface ReviewInput {
  root: string;
  files: readonly ProjectFile[];
  facts: readonly Fact[];
  inventory: Inventory;
}

export interface LlmReview {
  criteria: { primitive: string; result: CriterionResult }[];
  findings: Finding[];
  summary: LlmSummary;
}

export async function llmReview(input: ReviewInput, options: LlmOptions = {}): Promise<LlmReview> {
  const env = options.env ?? process.env;
  const model = options.model || env.PLUMBLINE_LLM_MODEL || DEFAULT_LLM_MODEL;
  const budget = new Budget(options.budgetUsd ?? DEFAULT_LLM_BUDGET_USD);
  const summary: LlmSummary = {
    model,
    calls: 0,
    cacheHits: 0,
    inputTokens: 0,
    outputTokens: 0,
    cacheReadTokens: 0,
    cacheCreationTokens: 0,
    costUsd: 0,
    budgetUsd: budget.limitUsd,
  };
  const apiKey = env.ANTHROPIC_API_KEY;
  if (!apiKey)
    return { criteria: [], findings: [], summary: { ...summary, skipped: 'no ANTHROPIC_API_KEY' } };

  const price = priceFor(model, env.PLUMBLINE_LLM_PRICE);
  const criteria = loadLlmCriteria(options.criteriaDir);
  const subjects = collect(input);
  const system = systemPrompt(criteria);
  const dir = cacheDir(input.root, env);
  let client: Anthropic | undefined;
  const clientFor = async () => {
    if (!client) {
      // Loaded here, on the first real call, so plain audits (and fully cached ones) never load the SDK.
      const { default: AnthropicClient } = await import('@anthropic-ai/sdk');
      client = new AnthropicClient({
        apiKey,
        ...(env.ANTHROPIC_BASE_URL ? { baseURL: env.ANTHROPIC_BASE_URL } : {}),
        maxRetries: 2,
        timeout: 120_000,
      });
    }
    return client;
  };

  const out: LlmReview = { criteria: [], findings: [], summary };
  for (const criterion of criteria) {
    const subject = subjects[criterion.subject];
    const head = {
      id: criterion.id,
      title: criterion.title,
      severity: criterion.severity,
      // Weight 0: an LLM grade is reported, never scored.
      weight: 0,
      grader: 'llm' as const,
    };
    const push = (
      status: CriterionResult['status'],
      reason: string,
      evidence: SubjectText['evidence'] = [],
    ) => out.criteria.push({ primitive: criterion.primitive, result: { ...head, status, reason, evidence } });
    if ('missing' in subject) {
      push('not-applicable', subject.missing);
      continue;
    }
    const user = userPrompt(criterion, subject.text);
    const key = cacheKey({
      model,
      criterion: criterion.id,
      promptVersion: PROMPT_VERSION,
      content: `${system}\0${user}`,
    });
    const cached = readCached(dir, key);
    let verdict: Verdict;
    if (cached) {
      summary.cacheHits++;
      verdict = cached.verdict;
    } else {
      const estimate = estimateCost(price, {
        systemChars: system.length,
        userChars: user.length,
        maxOutputTokens: MAX_OUTPUT_TOKENS,
      });
      if (!budget.allows(estimate)) {
        push(
          'inconclusive',
          `Not graded: budget. This call could cost up to $${usd(estimate)} and $${usd(budget.spent)} of the $${usd(budget.limitUsd)} --llm-budget-usd is spent.`,
        );
        continue;
      }
      const outcome = await grade(await clientFor(), model, system, user);
      summary.calls++;
      if (outcome.usage) {
        budget.record(actualCost(price, outcome.usage));
        addUsage(summary, outcome.usage);
      }
      if (!outcome.ok) {
        push('inconclusive', `Not graded: ${outcome.reason}.`);
        continue;
      }
      verdict = outcome.verdict;
      writeCached(dir, {
        key,
        model,
        criterion: criterion.id,
        verdict,
        costUsd: actualCost(price, outcome.usage),
        createdAt: (options.now ?? new Date()).toISOString(),
      });
    }
    push(verdict.status, verdict.reason, subject.evidence);
    out.findings.push(...findingsOf(criterion, verdict, subject));
  }
  summary.costUsd = round6(budget.spent);
  return out;
}

function addUsage(summary: LlmSummary, u: Usage): void {
  summary.inputTokens += u.input_tokens;
  summary.outputTokens += u.output_tokens;
  summary.cacheReadTokens += u.cache_read_input_tokens ?? 0;
  summary.cacheCreationTokens += u.cache_creation_input_tokens ?? 0;
}

const round6 = (n: number) => Math.round(n * 1e6) / 1e6;
const usd = (n: number) => (n < 0.01 ? n.toFixed(4) : n.toFixed(2));
const MAX_ITEM_FINDINGS = 20;

/** A failing or partial grade as findings: one per named item the model flagged, else one for the criterion. */
function findingsOf(criterion: LlmCriterion, verdict: Verdict, subject: SubjectText): Finding[] {
  if (verdict.status === 'pass') return [];
  const common = {
    criterion: criterion.id,
    primitive: criterion.primitive,
    severity: criterion.severity,
    remediation: criterion.remediation,
    llm: true as const,
  };
  const flagged = (verdict.items ?? []).filter((i) => i.status !== 'pass').slice(0, MAX_ITEM_FINDINGS);
  const out: Finding[] = [];
  const seen = new Set<string>();
  for (const item of flagged) {
    if (seen.has(item.name)) continue;
    seen.add(item.name);
    const at = subject.named.get(item.name) ?? subject.anchor;
    out.push({
      id: `${criterion.id}:${item.name}`,
      ...common,
      message: `${item.name}: ${item.reason}`,
      file: at.file,
      line: at.line,
      fingerprint: fingerprint(criterion.id, at.file, item.name),
    });
  }
  if (out.length === 0)
    out.push({
      id: criterion.id,
      ...common,
      message: verdict.reason,
      file: subject.anchor.file,
      line: subject.anchor.line,
      fingerprint: fingerprint(criterion.id, subject.anchor.file, ''),
    });
  return out;
}

import { z } from 'zod';
import { PHASES, SEVERITIES } from '../rubrics/schema.js';

/**
 * The JSON audit report. `schemaVersion` 1: additive changes only. `schema/report.schema.json` is generated
 * from these types (`npm run schema`) and a test keeps the two in step.
 */
export const STATUSES = ['pass', 'partial', 'fail', 'not-applicable', 'inconclusive'] as const;
export type Status = (typeof STATUSES)[number];

const LocationSchema = z.object({ file: z.string(), line: z.number().int().min(1) });

export const CriterionResultSchema = z.object({
  id: z.string(),
  title: z.string(),
  status: z.enum(STATUSES),
  severity: z.enum(SEVERITIES),
  weight: z.number(),
  reason: z.string(),
  evidence: z.array(LocationSchema),
  waived: z.object({ reason: z.string(), expires: z.string().optional() }).optional(),
  /** Present on criteria a model graded (`audit --llm`); they never count toward the primitive's score. */
  grader: z.literal('llm').optional(),
});

export const PrimitiveResultSchema = z.object({
  id: z.string(),
  title: z.string(),
  phase: z.enum(PHASES),
  status: z.enum(STATUSES),
  score: z.number().min(0).max(10).nullable(),
  reason: z.string(),
  criteria: z.array(CriterionResultSchema),
});

export const FindingSchema = z.object({
  id: z.string(),
  criterion: z.string(),
  primitive: z.string(),
  severity: z.enum(SEVERITIES),
  message: z.string(),
  file: z.string(),
  line: z.number().int().min(1),
  fingerprint: z.string(),
  remediation: z.string(),
  add: z.string().optional(),
  /** The lines around `line` (3 before and after, each at most 200 characters); absent for manifest anchors. */
  excerpt: z.object({ startLine: z.number().int().min(1), lines: z.array(z.string()) }).optional(),
  /** True on findings of a model-graded criterion (`audit --llm`). */
  llm: z.literal(true).optional(),
});

export const ToolSchema = z.object({
  name: z.string(),
  description: z.string().optional(),
  file: z.string(),
  line: z.number().int(),
  framework: z.string(),
  schema: z.string(),
  parameters: z.array(
    z.object({
      name: z.string(),
      type: z.string().optional(),
      description: z.string().optional(),
      required: z.boolean(),
    }),
  ),
  capabilities: z.array(z.string()),
  role: z.string(),
});

/** What an `audit --llm` review did and cost; absent without `--llm`. */
export const LlmSummarySchema = z.object({
  model: z.string(),
  /** Requests sent to the Messages API (cache hits are not calls). */
  calls: z.number().int().min(0),
  /** Criteria answered from the on-disk grade cache, at no cost. */
  cacheHits: z.number().int().min(0),
  inputTokens: z.number().int().min(0),
  outputTokens: z.number().int().min(0),
  cacheReadTokens: z.number().int().min(0),
  cacheCreationTokens: z.number().int().min(0),
  costUsd: z.number().min(0),
  budgetUsd: z.number().min(0),
  /** Why the review did not run (e.g. no API key); the deterministic report is then unchanged. */
  skipped: z.string().optional(),
});

export const ReportSchema = z.object({
  schemaVersion: z.literal(1),
  tool: z.object({ name: z.literal('plumbline'), version: z.string() }),
  target: z.object({
    path: z.string(),
    languages: z.array(z.string()),
    frameworks: z.array(z.string()),
    files: z.number().int(),
    sourceFiles: z.number().int(),
  }),
  maturity: z.enum(['none', ...PHASES]),
  targetPhase: z.enum(PHASES).optional(),
  phases: z.array(
    z.object({
      id: z.enum(PHASES),
      status: z.enum(['complete', 'incomplete']),
      score: z.number().min(0).max(10),
    }),
  ),
  primitives: z.array(PrimitiveResultSchema),
  findings: z.array(FindingSchema),
  nextSteps: z.array(
    z.object({
      primitive: z.string(),
      phase: z.enum(PHASES),
      message: z.string(),
      command: z.string().optional(),
    }),
  ),
  warnings: z.array(
    z.object({ kind: z.string(), message: z.string(), primitives: z.array(z.string()).optional() }),
  ),
  inventory: z.object({
    tools: z.array(ToolSchema),
    permissionSources: z.array(
      z.object({
        kind: z.string(),
        file: z.string(),
        line: z.number().int(),
        rules: z
          .object({ allow: z.array(z.string()), ask: z.array(z.string()), deny: z.array(z.string()) })
          .optional(),
        defaultMode: z.string().optional(),
        detail: z.string().optional(),
      }),
    ),
    stores: z.array(
      z.object({
        kind: z.string(),
        file: z.string(),
        line: z.number().int(),
        discipline: z.array(z.string()),
      }),
    ),
  }),
  skipped: z.array(z.object({ path: z.string(), reason: z.string(), detail: z.string().optional() })),
  /** Exit decision of the thresholds given on the command line; identical for every format. */
  gate: z.object({ failed: z.boolean(), reasons: z.array(z.string()) }),
  llm: LlmSummarySchema.optional(),
});

export type Report = z.infer<typeof ReportSchema>;
export type PrimitiveResult = z.infer<typeof PrimitiveResultSchema>;
export type CriterionResult = z.infer<typeof CriterionResultSchema>;
export type Finding = z.infer<typeof FindingSchema>;
export type LlmSummary = z.infer<typeof LlmSummarySchema>;

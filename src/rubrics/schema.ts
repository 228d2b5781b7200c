import { z } from 'zod';

import { PHASES, SEVERITIES } from './ids.js';

export { PHASES, type PhaseId, PRIMITIVES, type PrimitiveId, SEVERITIES, type Severity } from './ids.js';

export const ROLES = [
  'source',
  'test',
  'eval',
  'example',
  'script',
  'ci',
  'config',
  'docs',
  'fixture',
  'vendored',
  'generated',
] as const;

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** A test on one fact field. A bare scalar means equality (or membership, when the field is a list). */
export const FieldTestSchema = z.union([
  scalar,
  z
    .object({
      in: z.array(scalar).optional(),
      not: scalar.optional(),
      gte: z.number().optional(),
      lte: z.number().optional(),
      exists: z.boolean().optional(),
      regex: z.string().optional(),
    })
    .strict(),
]);

export const WhereSchema = z.record(z.string(), FieldTestSchema);

export type Condition =
  | { fact: string; where?: z.infer<typeof WhereSchema>; min?: number; roles?: (typeof ROLES)[number][] }
  | {
      every: string;
      where: z.infer<typeof WhereSchema>;
      share?: number;
      roles?: (typeof ROLES)[number][];
    }
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition };

/**
 * The condition language of criteria.
 * - `fact`: at least `min` (default 1) facts of that kind whose fields pass `where`, in `roles`.
 * - `every`: at least one fact of that kind exists and the share of them passing `where` is ≥ `share`
 *   (default 1); the ones that fail are reported as individual findings.
 * - `all` / `any` / `not`: combinators.
 * `roles` defaults to the primary roles (source, config). When a criterion's `pass` fails on primary roles
 * but holds once secondary roles (test, example, script) are included, the criterion is `partial`.
 */
export const ConditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z
      .object({
        fact: z.string().min(1),
        where: WhereSchema.optional(),
        min: z.number().int().min(1).optional(),
        roles: z.array(z.enum(ROLES)).min(1).optional(),
      })
      .strict(),
    z
      .object({
        every: z.string().min(1),
        where: WhereSchema,
        share: z.number().min(0).max(1).optional(),
        roles: z.array(z.enum(ROLES)).min(1).optional(),
      })
      .strict(),
    z.object({ all: z.array(ConditionSchema).min(1) }).strict(),
    z.object({ any: z.array(ConditionSchema).min(1) }).strict(),
    z.object({ not: ConditionSchema }).strict(),
  ]),
);

export const CriterionSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+\.[a-z0-9-.]+$/, 'criterion ids look like "<primitive>.<name>"'),
    title: z.string().min(1),
    /** The "present" criteria: a primitive fails when these fail. */
    required: z.boolean().default(false),
    weight: z.number().positive().default(1),
    severity: z.enum(SEVERITIES),
    rationale: z.string().min(1),
    remediation: z.string().min(1),
    add: z.string().optional(),
    applicable: ConditionSchema.optional(),
    pass: ConditionSchema,
    partial: ConditionSchema.optional(),
    reasons: z
      .object({
        pass: z.string().min(1),
        partial: z.string().min(1).optional(),
        fail: z.string().min(1),
        'not-applicable': z.string().min(1).optional(),
      })
      .strict(),
  })
  .strict();
export type Criterion = z.infer<typeof CriterionSchema>;

export const PrimitiveRubricSchema = z
  .object({
    id: z.string().min(1),
    phase: z.enum(PHASES),
    title: z.string().min(1),
    present: z.string().min(1),
    why: z.string().min(1),
    add: z.string().min(1),
    /** Score (0–10) at or above which a primitive whose required criteria pass counts as `pass`. */
    passScore: z.number().min(0).max(10).default(6),
    applicable: ConditionSchema.optional(),
    notApplicableReason: z.string().optional(),
    criteria: z.array(CriterionSchema).min(1),
  })
  .strict();
export type PrimitiveRubric = z.infer<typeof PrimitiveRubricSchema>;

/** A rubric pack file can hold one primitive, or extra criteria for existing primitives. */
export const RubricPackFileSchema = z.union([
  PrimitiveRubricSchema,
  z
    .object({
      pack: z.string().min(1),
      extends: z.array(
        z.object({ primitive: z.string().min(1), criteria: z.array(CriterionSchema).min(1) }).strict(),
      ),
    })
    .strict(),
]);

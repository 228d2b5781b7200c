import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { z } from 'zod';
import { UsageError } from '../core/errors.js';
import { SEVERITIES } from '../rubrics/ids.js';

/**
 * The LLM-graded criteria, kept as data in `rubrics/llm/*.yaml`. They cannot share the core rubric schema:
 * that one requires a `pass` condition over facts, and these are judged by a model from collected text.
 */

/** What a criterion is graded on; `collect.ts` gathers one text per subject. */
export const SUBJECTS = ['tool-descriptions', 'prompt-and-policy', 'verifier-prompt'] as const;
export type Subject = (typeof SUBJECTS)[number];

export const LlmCriterionSchema = z
  .object({
    id: z
      .string()
      .regex(/^[a-z0-9-]+\.llm-[a-z0-9-]+$/, 'LLM criterion ids look like "<primitive>.llm-<name>"'),
    primitive: z.string().min(1),
    grader: z.literal('llm'),
    subject: z.enum(SUBJECTS),
    title: z.string().min(1),
    severity: z.enum(SEVERITIES),
    rationale: z.string().min(1),
    remediation: z.string().min(1),
    /** The grading rubric the model reads. */
    instructions: z.string().min(1),
  })
  .strict();
export type LlmCriterion = z.infer<typeof LlmCriterionSchema>;

export function llmRubricDir(): string {
  return fileURLToPath(new URL('../../rubrics/llm', import.meta.url));
}

/** Every LLM criterion, ordered by file name so prompts (and their cache keys) are stable. */
export function loadLlmCriteria(dir: string = llmRubricDir()): LlmCriterion[] {
  const files = readdirSync(dir)
    .filter((n) => /\.ya?ml$/.test(n))
    .sort();
  return files.map((name) => {
    const path = join(dir, name);
    const parsed = LlmCriterionSchema.safeParse(parse(readFileSync(path, 'utf8')));
    if (!parsed.success)
      throw new UsageError(
        `invalid LLM criterion in ${name}: ${parsed.error.issues[0]?.message ?? 'bad shape'}`,
        {
          file: path,
          hint: 'Fields: id, primitive, grader: llm, subject, title, severity, rationale, remediation, instructions.',
        },
      );
    return parsed.data;
  });
}

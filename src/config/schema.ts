import { z } from 'zod';
import { PHASES, SEVERITIES } from '../rubrics/schema.js';

const SIZE = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|kib|mb|mib|gb|gib)?\s*$/i;
const UNIT: Record<string, number> = {
  b: 1,
  kb: 1000,
  kib: 1024,
  mb: 1000 ** 2,
  mib: 1024 ** 2,
  gb: 1000 ** 3,
  gib: 1024 ** 3,
};

/** `2MiB`, `500 kb`, `1048576` → bytes. */
export function parseSize(value: number | string): number {
  if (typeof value === 'number') return value;
  const m = SIZE.exec(value);
  if (!m) throw new Error(`not a size: ${value}`);
  return Math.round(Number(m[1]) * (UNIT[(m[2] ?? 'b').toLowerCase()] ?? 1));
}

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD')
  .refine(
    (s) =>
      !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s),
    {
      message: 'not a real calendar date',
    },
  );

export const WaiverSchema = z
  .object({
    criterion: z.string().min(1),
    /** A path relative to the audited folder, or a glob (`src/legacy/**`). */
    file: z.string().min(1).optional(),
    fingerprint: z.string().min(1).optional(),
    reason: z.string().trim().min(1, 'a waiver needs a reason'),
    /** Last day (UTC) the waiver applies. */
    expires: isoDate.optional(),
  })
  .strict();
export type Waiver = z.infer<typeof WaiverSchema>;

export const CriterionOverrideSchema = z
  .object({
    enabled: z.boolean().optional(),
    weight: z.number().positive().optional(),
    severity: z.enum(SEVERITIES).optional(),
  })
  .strict();
export type CriterionOverride = z.infer<typeof CriterionOverrideSchema>;

/** `plumbline.config.{yaml,yml,json}` or `package.json#plumbline`. */
export const ProjectConfigSchema = z
  .object({
    /** The phase the project aims for; the gate fails while it or an earlier phase is incomplete. */
    phase: z.enum(PHASES).optional(),
    /** Extra rubric packs (files or folders), relative to the config file. */
    rubrics: z.array(z.string().min(1)).optional(),
    criteria: z.record(z.string(), CriterionOverrideSchema).optional(),
    waivers: z.array(WaiverSchema).optional(),
    /** gitignore-style patterns excluded from discovery. */
    ignore: z.array(z.string().min(1)).optional(),
    maxFileSize: z
      .union([
        z.number().int().positive(),
        z.string().regex(SIZE, 'expected bytes or a size such as "2MiB", "500kB"'),
      ])
      .optional(),
    /** Overall score (mean of scored primitives, 0–10) below which the gate fails. */
    failUnder: z.number().min(0).max(10).optional(),
    /** The gate fails on any unwaived finding at or above this severity. */
    failOn: z.enum(SEVERITIES).optional(),
    /** Validated by the eval feature. */
    eval: z.unknown().optional(),
  })
  .strict();
export type ProjectConfig = z.infer<typeof ProjectConfigSchema>;

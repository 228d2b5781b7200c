import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { displayPath } from '../core/display-path.js';
import { UsageError } from '../core/errors.js';
import { type Report, STATUSES } from '../core/report.js';
import { parseJsonDocument } from '../core/source-map.js';
import { inFile, issuesError, syntaxError, validateLocated } from '../core/zod-errors.js';
import type { EvalReport } from '../evals/report.js';
import { SEVERITIES } from '../rubrics/schema.js';

/**
 * `.plumbline/baseline.json`: what `plumbline ci` compares against. Every map is keyed by a stable id and
 * written in sorted order, so a re-baseline shows up in review as a small, readable diff.
 */
export const BASELINE_SCHEMA_VERSION = 1;
export const BASELINE_FILE = '.plumbline/baseline.json';

const PrimitiveSchema = z
  .object({ score: z.number().min(0).max(10).nullable(), status: z.enum(STATUSES) })
  .strict();
const FindingSchema = z
  .object({
    fingerprint: z.string().min(1),
    criterion: z.string(),
    severity: z.enum(SEVERITIES),
    file: z.string(),
  })
  .strict();
const CaseSchema = z.object({ pass: z.boolean(), decision: z.string() }).strict();
const MetricsSchema = z.record(z.string(), z.number());
const SuiteSchema = z
  .object({ adapter: z.string(), cases: z.record(z.string(), CaseSchema), metrics: MetricsSchema })
  .strict();

export const AuditSnapshotSchema = z
  .object({
    primitives: z.record(z.string(), PrimitiveSchema),
    areas: z.record(z.string(), z.array(z.string())),
    findings: z.array(FindingSchema),
  })
  .strict();

export const BaselineSchema = z
  .object({
    schemaVersion: z.literal(BASELINE_SCHEMA_VERSION),
    plumbline: z.string(),
    audit: AuditSnapshotSchema,
    evals: z.record(z.string(), SuiteSchema),
  })
  .strict();

export type AuditSnapshot = z.infer<typeof AuditSnapshotSchema>;
export type BaselineFinding = z.infer<typeof FindingSchema>;
export type BaselineSuite = z.infer<typeof SuiteSchema>;
export type EvalSnapshot = Record<string, BaselineSuite>;
export type Baseline = z.infer<typeof BaselineSchema>;

const byKey = <T>(entries: Iterable<[string, T]>): Record<string, T> =>
  Object.fromEntries([...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

const sortedUnique = (xs: Iterable<string>) => [...new Set(xs)].sort();

/**
 * The audit part of a baseline. A primitive's area is every file its criteria cite as evidence plus every
 * file its findings point at: a change to any of them can move its score.
 */
export function auditSnapshot(report: Report): AuditSnapshot {
  const areas = new Map<string, Set<string>>();
  const area = (id: string) => areas.get(id) ?? areas.set(id, new Set()).get(id)!;
  for (const p of report.primitives)
    for (const c of p.criteria) for (const e of c.evidence) area(p.id).add(e.file);
  for (const f of report.findings) area(f.primitive).add(f.file);
  return {
    primitives: byKey(report.primitives.map((p) => [p.id, { score: p.score, status: p.status }])),
    areas: byKey(
      [...areas].filter(([, files]) => files.size > 0).map(([id, files]) => [id, sortedUnique(files)]),
    ),
    findings: report.findings
      .map((f) => ({
        fingerprint: f.fingerprint,
        criterion: f.criterion,
        severity: f.severity,
        file: f.file,
      }))
      .sort(
        (a, b) => cmp(a.fingerprint, b.fingerprint) || cmp(a.criterion, b.criterion) || cmp(a.file, b.file),
      ),
  };
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

// Rounded so that a float's last digits never show up as a diff.
const round = (n: number) => Math.round(n * 10_000) / 10_000;

/** The eval part of a baseline: suites that ran, each case's outcome keyed by its id. */
export function evalSnapshot(report: EvalReport): EvalSnapshot {
  const suites: [string, BaselineSuite][] = [];
  for (const s of report.suites) {
    if (s.status !== 'ran') continue;
    const cases = new Map<string, { pass: boolean; decision: string }>();
    for (const c of s.cases) {
      // Two corpus files of one suite may reuse an id; the later one is told apart by its file.
      const key = cases.has(c.id) ? `${c.file}#${c.id}` : c.id;
      cases.set(key, { pass: c.pass, decision: c.decision });
    }
    const metrics = byKey(
      Object.entries(s.metrics).map(([k, v]) => [k, round(v as number)] as [string, number]),
    );
    suites.push([s.id, { adapter: s.adapter, cases: byKey(cases), metrics }]);
  }
  return byKey(suites);
}

export function baselineOf(report: Report, evals: EvalReport | undefined, version: string): Baseline {
  return {
    schemaVersion: BASELINE_SCHEMA_VERSION,
    plumbline: version,
    audit: auditSnapshot(report),
    evals: evals ? evalSnapshot(evals) : {},
  };
}

/** 2-space JSON with a trailing newline; key order is the order the snapshot builders chose. */
export function serializeBaseline(b: Baseline): string {
  return `${JSON.stringify(b, null, 2)}\n`;
}

export const baselinePath = (root: string) => join(root, BASELINE_FILE);

export type BaselineRead =
  | { kind: 'missing'; path: string }
  | { kind: 'ok'; path: string; baseline: Baseline; text: string };

/**
 * Reads the project's baseline. A file that cannot be used — bad JSON, another schema version, a wrong
 * shape — is a usage error naming the file (and line:col); it is never repaired or replaced here.
 */
export function readBaseline(root: string): BaselineRead {
  const path = baselinePath(root);
  if (!existsSync(path)) return { kind: 'missing', path };
  const shown = displayPath(path);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${shown}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, {
      file: shown,
      hint: 'check the file permissions',
    });
  }
  const parsed = parseJsonDocument(text.replace(/^\uFEFF/, ''));
  if (!parsed.ok) {
    const err = syntaxError(shown, parsed.error, 'JSON');
    throw new UsageError(err.message, { file: shown, hint: REBASELINE_HINT });
  }
  const value = parsed.doc.value as { schemaVersion?: unknown } | null;
  const version = typeof value === 'object' && value !== null ? value.schemaVersion : undefined;
  if (version !== BASELINE_SCHEMA_VERSION) {
    const pos = parsed.doc.positionOf(['schemaVersion'], false);
    const what =
      version === undefined ? 'has no schemaVersion' : `has schemaVersion ${JSON.stringify(version)}`;
    const newer = typeof version === 'number' && version > BASELINE_SCHEMA_VERSION;
    throw new UsageError(
      `${shown}:${pos.line}:${pos.col}: the baseline ${what}; this plumbline reads schemaVersion ${BASELINE_SCHEMA_VERSION}`,
      {
        file: shown,
        hint: newer
          ? 'it was written by a newer plumbline: upgrade plumbline, or re-run `plumbline baseline --force` deliberately to replace it'
          : REBASELINE_HINT,
      },
    );
  }
  const checked = validateLocated(BaselineSchema, parsed.doc);
  if (!checked.ok) {
    const err = issuesError(inFile(shown, checked.issues));
    throw new UsageError(err.message, { file: shown, hint: err.hint ?? REBASELINE_HINT });
  }
  return { kind: 'ok', path, baseline: checked.value, text };
}

const REBASELINE_HINT =
  'the file was not used or changed; fix it, restore it from git, or re-run `plumbline baseline --force` deliberately to replace it (the old file is kept as baseline.json.bak)';

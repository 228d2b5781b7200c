import type { EvalReport } from '../evals/report.js';
import { SEVERITIES, type Severity } from '../rubrics/schema.js';
import type { AuditSnapshot, Baseline, BaselineFinding, EvalSnapshot } from './baseline.js';

/** One difference between the baseline and this run. */
export interface Change {
  kind:
    | 'score-dropped'
    | 'score-rose'
    | 'finding-new'
    | 'finding-fixed'
    | 'case-broke'
    | 'case-failing'
    | 'case-fixed'
    | 'attack-allowed';
  message: string;
  primitive?: string;
  before?: number | null;
  after?: number | null;
  finding?: BaselineFinding;
  suite?: string;
  case?: string;
  /** The allow rule that let an attack through, and its file. */
  rule?: string;
  ruleFile?: string;
}

export interface AllowedAttack {
  suite: string;
  case: string;
  tool: string;
  input: Record<string, unknown>;
  rule: string | null;
  ruleFile: string | null;
  file: string;
  line: number;
}

export interface Comparison {
  /** Each of these fails the check. */
  regressions: Change[];
  improvements: Change[];
  /** New findings below the threshold: reported, never failing. */
  newBelowThreshold: Change[];
  notes: string[];
}

export interface CurrentRun {
  /** Absent when the audit did not run (nothing it looks at changed). */
  audit?: AuditSnapshot;
  /** Suites that ran. */
  evals?: EvalSnapshot;
  attacksAllowed?: readonly AllowedAttack[];
}

const rank = (s: Severity) => SEVERITIES.indexOf(s);
export const atOrAbove = (s: Severity, threshold: Severity) => rank(s) <= rank(threshold);
const EPSILON = 1e-9;
const fmt = (n: number | null | undefined) => (n === null || n === undefined ? '–' : n.toFixed(1));

/** Attack cases the engine allowed, in report order. */
export function allowedAttacks(report: EvalReport): AllowedAttack[] {
  return report.suites.flatMap((s) =>
    s.cases
      .filter((c) => c.kind === 'attack' && c.decision === 'allow')
      .map((c) => ({
        suite: s.id,
        case: c.id,
        tool: c.tool,
        input: c.input,
        rule: c.rule,
        ruleFile: c.ruleFile,
        file: c.file,
        line: c.line,
      })),
  );
}

function compareAudit(before: AuditSnapshot, after: AuditSnapshot, failOn: Severity, out: Comparison): void {
  for (const [id, now] of Object.entries(after.primitives)) {
    const was = before.primitives[id];
    if (!was) {
      out.notes.push(`primitive ${id} is new since the baseline (score ${fmt(now.score)})`);
      continue;
    }
    if (was.score !== null && now.score !== null) {
      if (now.score < was.score - EPSILON)
        out.regressions.push({
          kind: 'score-dropped',
          primitive: id,
          before: was.score,
          after: now.score,
          message: `${id} score dropped ${fmt(was.score)} → ${fmt(now.score)} (${was.status} → ${now.status})`,
        });
      else if (now.score > was.score + EPSILON)
        out.improvements.push({
          kind: 'score-rose',
          primitive: id,
          before: was.score,
          after: now.score,
          message: `${id} score rose ${fmt(was.score)} → ${fmt(now.score)}`,
        });
    } else if (was.status !== now.status)
      out.notes.push(`${id} went from ${was.status} to ${now.status} (no score to compare)`);
  }
  for (const id of Object.keys(before.primitives))
    if (!after.primitives[id]) out.notes.push(`primitive ${id} is in the baseline but not in this audit`);

  const known = new Set(before.findings.map((f) => f.fingerprint));
  const current = new Set(after.findings.map((f) => f.fingerprint));
  for (const f of after.findings) {
    if (known.has(f.fingerprint)) continue;
    const change: Change = {
      kind: 'finding-new',
      finding: f,
      message: `new ${f.severity} finding ${f.criterion} in ${f.file}`,
    };
    (atOrAbove(f.severity, failOn) ? out.regressions : out.newBelowThreshold).push(change);
  }
  for (const f of before.findings)
    if (!current.has(f.fingerprint))
      out.improvements.push({
        kind: 'finding-fixed',
        finding: f,
        message: `fixed: ${f.severity} finding ${f.criterion} in ${f.file}`,
      });
}

function compareEvals(
  before: EvalSnapshot,
  after: EvalSnapshot,
  attacks: readonly AllowedAttack[],
  out: Comparison,
): void {
  const allowed = new Set(attacks.map((a) => `${a.suite}\0${a.case}`));
  let debt = 0;
  for (const [suite, s] of Object.entries(after)) {
    const was = before[suite]?.cases ?? {};
    for (const [id, now] of Object.entries(s.cases)) {
      if (allowed.has(`${suite}\0${id}`)) continue;
      const prev = was[id];
      if (now.pass) {
        if (prev && !prev.pass)
          out.improvements.push({
            kind: 'case-fixed',
            suite,
            case: id,
            message: `${suite}/${id} passes now`,
          });
      } else if (prev?.pass)
        out.regressions.push({
          kind: 'case-broke',
          suite,
          case: id,
          message: `${suite}/${id} passed in the baseline and fails now (${now.decision})`,
        });
      else if (!prev)
        out.regressions.push({
          kind: 'case-failing',
          suite,
          case: id,
          message: `${suite}/${id} fails (${now.decision}) and has no passing record in the baseline`,
        });
      else debt++;
    }
  }
  if (debt) out.notes.push(`${debt} eval case(s) failed in the baseline already and still fail (known debt)`);
}

/**
 * Compares this run with the baseline. Without a baseline only eval failures and allowed attacks fail:
 * there is nothing to tell a new finding or a lower score from an old one.
 */
export function compareWithBaseline(
  baseline: Baseline | undefined,
  run: CurrentRun,
  failOn: Severity,
): Comparison {
  const out: Comparison = { regressions: [], improvements: [], newBelowThreshold: [], notes: [] };
  const attacks = run.attacksAllowed ?? [];
  for (const a of attacks)
    out.regressions.push({
      kind: 'attack-allowed',
      suite: a.suite,
      case: a.case,
      ...(a.rule ? { rule: a.rule } : {}),
      ...(a.ruleFile ? { ruleFile: a.ruleFile } : {}),
      message: `attack allowed: ${a.suite}/${a.case} (${a.tool} ${JSON.stringify(a.input)})${
        a.rule ? ` by rule ${a.rule}${a.ruleFile ? ` in ${a.ruleFile}` : ''}` : ''
      }`,
    });
  if (run.audit && baseline) compareAudit(baseline.audit, run.audit, failOn, out);
  if (run.evals) compareEvals(baseline?.evals ?? {}, run.evals, attacks, out);
  return out;
}

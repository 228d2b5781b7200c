import { createHash } from 'node:crypto';
import type { ProjectConfig, Waiver } from '../config/schema.js';
import type { RubricSet } from '../rubrics/load.js';
import {
  type Criterion,
  PHASES,
  type PhaseId,
  type PrimitiveRubric,
  SEVERITIES,
  type Severity,
} from '../rubrics/schema.js';
import { type EvalResult, evaluate, type FactIndex, usesDefaultRoles } from './conditions.js';
import type { CriterionResult, Finding, PrimitiveResult, Report, Status } from './report.js';
import { type Fact, PRIMARY_ROLES } from './types.js';
import { coversCriterion, isExpired, waiverMatches } from './waivers.js';

export interface GateOptions {
  /** Target phase: the gate fails while it or an earlier phase is incomplete. */
  phase?: PhaseId;
  /** The gate fails when the overall score (see `overallScore`) is below this. */
  failUnder?: number;
  /** The gate fails on any unwaived finding at or above this severity. */
  failOn?: Severity;
}

export interface ScoreInput {
  rubrics: RubricSet;
  facts: FactIndex;
  /** Parsed source files of a supported language; 0 means there is nothing to judge (inconclusive). */
  parsedSources: number;
  config?: Pick<ProjectConfig, 'criteria' | 'waivers'>;
  /** Where findings about something missing point: the manifest, else the first source file. */
  fallback: { file: string; line: number };
  gate?: GateOptions;
  now?: Date;
}

export type Scored = Pick<
  Report,
  'maturity' | 'targetPhase' | 'phases' | 'primitives' | 'findings' | 'nextSteps' | 'warnings' | 'gate'
>;

const VALUE: Partial<Record<Status, number>> = { pass: 1, partial: 0.5, fail: 0 };
const round1 = (n: number) => Math.round(n * 10) / 10;
const severityRank = (s: Severity) => SEVERITIES.indexOf(s); // 0 = critical
const stripDot = (s: string) => s.trim().replace(/[.!]$/, '');
const firstSentence = (s: string) => {
  const m = /^.*?[.!?](?=\s|$)/s.exec(s.trim());
  return (m ? m[0] : s.trim()).replace(/\s+/g, ' ');
};
const MAX_EVIDENCE = 10;
const MAX_NEXT_STEPS = 10;
const SECONDARY_NOTE = 'only on a secondary path';

function locations(facts: readonly Fact[]): { file: string; line: number }[] {
  const seen = new Set<string>();
  const out: { file: string; line: number }[] = [];
  for (const f of facts) {
    const key = `${f.file}:${f.line}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ file: f.file, line: Math.max(1, f.line) });
    if (out.length >= MAX_EVIDENCE) break;
  }
  return out;
}

const nameOf = (f: Fact): string | undefined =>
  typeof f.data.name === 'string' && f.data.name ? f.data.name : undefined;

/** sha256 over criterion, file and a stable key — never line numbers, so edits above a finding keep it. */
export function fingerprint(criterion: string, file: string, key: string): string {
  return createHash('sha256').update(`${criterion}\0${file}\0${key}`).digest('hex').slice(0, 16);
}

interface Judged {
  status: Status;
  reason: string;
  evidence: Fact[];
  /** Facts failing an `every` test, from the primary evaluation of `pass`. */
  offenders: Fact[];
  /** Where to point a criterion-level finding. */
  near: Fact[];
}

function offenderSummary(offenders: readonly Fact[]): string {
  const names = offenders.map((f) => nameOf(f) ?? `${f.file}:${f.line}`);
  const shown = names.slice(0, 3).join(', ');
  return names.length > 3 ? `${shown} and ${names.length - 3} more` : shown;
}

/** pass → partial → secondary-path partial → fail, over an applicable criterion. */
function judge(c: Criterion, facts: FactIndex): Judged {
  const primary = evaluate(c.pass, facts);
  if (primary.holds)
    return { status: 'pass', reason: c.reasons.pass, evidence: primary.evidence, offenders: [], near: [] };
  let partial: EvalResult | undefined;
  if (c.partial) {
    partial = evaluate(c.partial, facts);
    if (partial.holds)
      return {
        status: 'partial',
        reason: c.reasons.partial ?? c.reasons.fail,
        evidence: partial.evidence,
        offenders: primary.offenders,
        near: [...primary.offenders, ...partial.evidence],
      };
  }
  if (usesDefaultRoles(c.pass)) {
    const wider = evaluate(c.pass, facts, { withSecondary: true });
    if (wider.holds) {
      const secondary = wider.evidence.filter((f) => !PRIMARY_ROLES.includes(f.role));
      const where = secondary[0] ?? wider.evidence[0];
      return {
        status: 'partial',
        reason: `${stripDot(c.reasons.pass)}, but ${SECONDARY_NOTE}${where ? `: ${where.file}` : ''}.`,
        evidence: [...secondary, ...wider.evidence],
        offenders: primary.offenders,
        near: secondary,
      };
    }
  }
  const reason =
    primary.offenders.length > 0
      ? `${stripDot(c.reasons.fail)}: ${offenderSummary(primary.offenders)}.`
      : c.reasons.fail;
  return {
    status: 'fail',
    reason,
    evidence: primary.offenders,
    offenders: primary.offenders,
    near: [...primary.offenders, ...primary.evidence, ...(partial?.evidence ?? [])],
  };
}

interface CriterionOutcome {
  result: CriterionResult;
  criterion: Criterion;
  judged?: Judged;
}

interface PrimitiveOutcome {
  rubric: PrimitiveRubric;
  result: PrimitiveResult;
  criteria: CriterionOutcome[];
}

function primitiveReason(status: Status, score: number, outcomes: CriterionOutcome[]): string {
  const applicable = outcomes.filter((o) => VALUE[o.result.status] !== undefined);
  const passing = applicable.filter((o) => o.result.status === 'pass').length;
  const required = applicable.filter((o) => o.criterion.required);
  const weakest = [...applicable]
    .filter((o) => o.result.status !== 'pass')
    .sort(
      (a, b) =>
        Number(b.criterion.required) - Number(a.criterion.required) ||
        severityRank(a.result.severity) - severityRank(b.result.severity) ||
        b.result.weight - a.result.weight,
    )[0];
  if (status === 'pass')
    return `${passing} of ${applicable.length} criteria pass (score ${score}/10)${weakest ? `; still open: ${weakest.criterion.title}` : ''}.`;
  if (status === 'fail') {
    const first = required.find((o) => o.result.status === 'fail') ?? weakest;
    return first ? first.result.reason : 'Nothing beyond incidental code.';
  }
  const requiredShort = required.find((o) => o.result.status !== 'pass');
  if (requiredShort) return requiredShort.result.reason;
  return `Present, but only ${passing} of ${applicable.length} criteria pass (score ${score}/10)${weakest ? `; weakest: ${weakest.criterion.title}` : ''}.`;
}

function scorePrimitive(
  rubric: PrimitiveRubric,
  facts: FactIndex,
  input: ScoreInput,
  activeWaivers: readonly Waiver[],
  usedWaivers: Set<Waiver>,
): PrimitiveOutcome {
  const overrides = input.config?.criteria ?? {};
  const base = (c: Criterion) => ({
    id: c.id,
    title: c.title,
    severity: overrides[c.id]?.severity ?? c.severity,
    weight: overrides[c.id]?.weight ?? c.weight,
  });
  const all = (status: Status, reason: string, score: number | null): PrimitiveOutcome => {
    const criteria = rubric.criteria.map((c) => ({
      criterion: c,
      result: {
        ...base(c),
        status,
        reason: status === 'not-applicable' ? (c.reasons['not-applicable'] ?? reason) : reason,
        evidence: [],
      },
    }));
    return outcomeOf(rubric, criteria, status, score, reason);
  };

  if (input.parsedSources === 0)
    return all(
      'inconclusive',
      'Nothing to analyse: no TypeScript, JavaScript or Python source file was parsed (build output such as dist/ is not read; audit the source tree).',
      null,
    );
  if (rubric.applicable && !evaluate(rubric.applicable, facts).holds)
    return all('not-applicable', rubric.notApplicableReason ?? 'Does not apply to this project.', null);

  const criteria: CriterionOutcome[] = rubric.criteria.map((c) => {
    const head = base(c);
    if (overrides[c.id]?.enabled === false)
      return {
        criterion: c,
        result: {
          ...head,
          status: 'not-applicable',
          reason: 'Disabled in the project config.',
          evidence: [],
        },
      };
    if (c.applicable && !evaluate(c.applicable, facts).holds)
      return {
        criterion: c,
        result: {
          ...head,
          status: 'not-applicable',
          reason: c.reasons['not-applicable'] ?? 'Does not apply to this project.',
          evidence: [],
        },
      };
    const judged = judge(c, facts);
    const result: CriterionResult = {
      ...head,
      status: judged.status,
      reason: judged.reason,
      evidence: locations(judged.evidence),
    };
    // A waiver only matters while the criterion falls short; on a pass it is reported as unused.
    const waiver =
      judged.status !== 'pass' && activeWaivers.find((w) => w.criterion === c.id && coversCriterion(w));
    if (waiver) {
      usedWaivers.add(waiver);
      result.waived = { reason: waiver.reason, ...(waiver.expires ? { expires: waiver.expires } : {}) };
    }
    return { criterion: c, result, judged };
  });

  const scored = criteria.filter((o) => VALUE[o.result.status] !== undefined);
  if (scored.length === 0)
    return all('not-applicable', rubric.notApplicableReason ?? 'No criterion applies to this project.', null);
  const value = (o: CriterionOutcome) => (o.result.waived ? 1 : (VALUE[o.result.status] ?? 0));
  const totalWeight = scored.reduce((s, o) => s + o.result.weight, 0);
  const score = round1((10 * scored.reduce((s, o) => s + o.result.weight * value(o), 0)) / totalWeight);
  const required = scored.filter((o) => o.criterion.required);
  const gating = required.length > 0 ? required : scored;
  const passes = (o: CriterionOutcome) => o.result.status === 'pass' || !!o.result.waived;
  let status: Status;
  if (required.every(passes) && score >= rubric.passScore) status = 'pass';
  else if (gating.every((o) => o.result.status === 'fail' && !o.result.waived)) status = 'fail';
  else status = 'partial';
  return outcomeOf(rubric, criteria, status, score, primitiveReason(status, score, criteria));
}

function outcomeOf(
  rubric: PrimitiveRubric,
  criteria: CriterionOutcome[],
  status: Status,
  score: number | null,
  reason: string,
): PrimitiveOutcome {
  const { id, title, phase } = rubric;
  return {
    rubric,
    criteria,
    result: { id, title, phase, status, score, reason, criteria: criteria.map((c) => c.result) },
  };
}

function findingsOf(p: PrimitiveOutcome, fallback: ScoreInput['fallback']): Finding[] {
  const out: Finding[] = [];
  for (const o of p.criteria) {
    const { result, criterion, judged } = o;
    if (!judged || (result.status !== 'fail' && result.status !== 'partial')) continue;
    // A missing primitive is one finding (its required criteria), not one per quality property it lacks.
    if (p.result.status === 'fail' && !criterion.required) continue;
    const common = {
      criterion: criterion.id,
      primitive: p.rubric.id,
      severity: result.severity,
      remediation: criterion.remediation,
      ...((criterion.add ?? p.rubric.add) ? { add: criterion.add ?? p.rubric.add } : {}),
    };
    if (judged.offenders.length === 0) {
      const at = judged.near[0];
      const file = at?.file ?? fallback.file;
      out.push({
        id: criterion.id,
        ...common,
        message: result.reason,
        file,
        line: at ? Math.max(1, at.line) : fallback.line,
        fingerprint: fingerprint(criterion.id, file, ''),
      });
      continue;
    }
    // One finding per offender carries the criterion's verdict; keys are per file so two unnamed offenders
    // in one file stay distinct without depending on their line numbers.
    const seen = new Map<string, number>();
    for (const f of judged.offenders) {
      const name = nameOf(f) ?? '';
      const slot = `${f.file}\0${name}`;
      const n = (seen.get(slot) ?? 0) + 1;
      seen.set(slot, n);
      const key = n === 1 ? name : `${name}#${n}`;
      const label = name ? `"${name}"` : `this ${f.kind}`;
      out.push({
        id: `${criterion.id}:${key || `${f.file}:${f.line}`}`,
        ...common,
        message: `${stripDot(criterion.title)}: not met by ${label}.`,
        file: f.file,
        line: Math.max(1, f.line),
        fingerprint: fingerprint(criterion.id, f.file, key),
      });
    }
  }
  return out;
}

/** Mean of the scored primitives' scores (0–10, one decimal); null when none could be scored. */
export function overallScore(primitives: readonly Pick<PrimitiveResult, 'score'>[]): number | null {
  const scores = primitives.map((p) => p.score).filter((s): s is number => s !== null);
  return scores.length === 0 ? null : round1(scores.reduce((a, b) => a + b, 0) / scores.length);
}

function nextStepsOf(outcomes: PrimitiveOutcome[], complete: Map<PhaseId, boolean>): Report['nextSteps'] {
  type Step = Report['nextSteps'][number] & { order: number[] };
  const steps: Step[] = [];
  for (const p of outcomes) {
    const phase = p.rubric.phase;
    const phaseOrder = [complete.get(phase) ? 1 : 0, PHASES.indexOf(phase)];
    const open = p.criteria.filter(
      (o) => (o.result.status === 'fail' || o.result.status === 'partial') && !o.result.waived,
    );
    if (open.length === 0) continue;
    if (p.result.status === 'fail') {
      const worst = Math.min(...open.map((o) => severityRank(o.result.severity)));
      const weight = open.reduce((s, o) => s + o.result.weight, 0);
      steps.push({
        primitive: p.rubric.id,
        phase,
        message: `Add ${p.rubric.title}: ${p.rubric.present}`,
        command: p.rubric.add,
        order: [...phaseOrder, worst, -weight],
      });
      continue;
    }
    for (const o of open)
      steps.push({
        primitive: p.rubric.id,
        phase,
        message: `${p.rubric.title} — ${o.criterion.title}: ${firstSentence(o.criterion.remediation)}`,
        ...(o.criterion.add ? { command: o.criterion.add } : {}),
        order: [...phaseOrder, severityRank(o.result.severity), -o.result.weight],
      });
  }
  steps.sort((a, b) => {
    for (let i = 0; i < a.order.length; i++) {
      const d = (a.order[i] ?? 0) - (b.order[i] ?? 0);
      if (d !== 0) return d;
    }
    return 0;
  });
  return steps.slice(0, MAX_NEXT_STEPS).map(({ order: _order, ...s }) => s);
}

/** Turns facts into the judged part of a report: criteria → primitives → phases → maturity, and the gate. */
export function score(input: ScoreInput): Scored {
  const now = input.now ?? new Date();
  const waivers = input.config?.waivers ?? [];
  const expired = waivers.filter((w) => isExpired(w, now));
  const active = waivers.filter((w) => !isExpired(w, now));
  const used = new Set<Waiver>();

  const outcomes = input.rubrics.primitives.map((r) => scorePrimitive(r, input.facts, input, active, used));
  const primitives = outcomes.map((o) => o.result);

  const complete = new Map<PhaseId, boolean>();
  const phases = PHASES.map((id) => {
    const inPhase = primitives.filter((p) => p.phase === id);
    const done = inPhase.every((p) => p.status === 'pass' || p.status === 'not-applicable');
    complete.set(id, done);
    const s = overallScore(inPhase);
    return {
      id,
      status: done ? ('complete' as const) : ('incomplete' as const),
      score: s ?? (done ? 10 : 0),
    };
  });
  let maturity: Report['maturity'] = 'none';
  for (const p of phases) {
    if (p.status !== 'complete') break;
    maturity = p.id;
  }

  const findings: Finding[] = [];
  for (const o of outcomes) {
    for (const f of findingsOf(o, input.fallback)) {
      if (o.criteria.find((c) => c.criterion.id === f.criterion)?.result.waived) continue;
      const waiver = active.find((w) => !coversCriterion(w) && waiverMatches(w, f));
      if (waiver) {
        used.add(waiver);
        continue;
      }
      findings.push(f);
    }
  }
  findings.sort(
    (a, b) =>
      severityRank(a.severity) - severityRank(b.severity) ||
      a.file.localeCompare(b.file) ||
      a.line - b.line ||
      a.id.localeCompare(b.id),
  );

  const warnings: Report['warnings'] = [];
  const failingDayOne = primitives.filter((p) => p.phase === 'day-one' && p.status === 'fail');
  const builtMonthOne = primitives.filter(
    (p) => p.phase === 'month-one' && (p.status === 'pass' || p.status === 'partial'),
  );
  if (failingDayOne.length > 0 && builtMonthOne.length > 0)
    warnings.push({
      kind: 'premature-complexity',
      message: `Month-one machinery (${builtMonthOne.map((p) => p.id).join(', ')}) is built while day-one primitives are missing (${failingDayOne.map((p) => p.id).join(', ')}); build the day-one primitives first.`,
      primitives: [...builtMonthOne.map((p) => p.id), ...failingDayOne.map((p) => p.id)],
    });
  // Detectors know the supported frameworks' idioms; code on another SDK can hide harness parts from them.
  const missing = primitives.filter((p) => p.status === 'fail').map((p) => p.id);
  if (input.parsedSources > 0 && !input.facts.get('framework.use')?.length && missing.length > 0)
    warnings.push({
      kind: 'no-known-framework',
      message:
        'No supported agent SDK, framework or model-endpoint call was found; if this agent uses another SDK, harness parts built on its idioms may be missed, so treat the failing primitives as unproven rather than absent.',
      primitives: missing,
    });
  for (const w of expired)
    warnings.push({
      kind: 'waiver-expired',
      message: `The waiver for ${w.criterion}${w.file ? ` (${w.file})` : ''} expired on ${w.expires} and no longer applies: ${w.reason}`,
    });
  // With nothing analysed every waiver would look unused; say nothing rather than something wrong.
  for (const w of input.parsedSources > 0 ? active : [])
    if (!used.has(w))
      warnings.push({
        kind: 'waiver-unused',
        message: `The waiver for ${w.criterion}${w.file ? ` (${w.file})` : ''} matches nothing; remove it if the finding is fixed.`,
      });

  const gate = gateOf(input.gate ?? {}, primitives, phases, findings);
  return {
    maturity,
    ...(input.gate?.phase ? { targetPhase: input.gate.phase } : {}),
    phases,
    primitives,
    findings,
    nextSteps: nextStepsOf(outcomes, complete),
    warnings,
    gate,
  };
}

function gateOf(
  options: GateOptions,
  primitives: PrimitiveResult[],
  phases: Report['phases'],
  findings: Finding[],
): Report['gate'] {
  const reasons: string[] = [];
  if (options.failUnder !== undefined) {
    const overall = overallScore(primitives);
    if (overall === null)
      reasons.push(`no primitive could be scored, so the score cannot reach ${options.failUnder}`);
    else if (overall < options.failUnder)
      reasons.push(`overall score ${overall} is below ${options.failUnder}`);
  }
  if (options.failOn !== undefined) {
    const limit = severityRank(options.failOn);
    const hits = findings.filter((f) => severityRank(f.severity) <= limit);
    if (hits.length > 0)
      reasons.push(
        `${hits.length} finding${hits.length === 1 ? '' : 's'} at severity ${options.failOn} or above`,
      );
  }
  if (options.phase !== undefined) {
    const upto = PHASES.indexOf(options.phase);
    const short = phases.filter((p) => PHASES.indexOf(p.id) <= upto && p.status !== 'complete');
    if (short.length > 0) {
      const open = primitives
        .filter(
          (p) => short.some((s) => s.id === p.phase) && p.status !== 'pass' && p.status !== 'not-applicable',
        )
        .map((p) => `${p.id} ${p.status}`);
      reasons.push(
        `target phase ${options.phase} not reached: ${short.map((s) => s.id).join(', ')} incomplete (${open.join(', ')})`,
      );
    }
  }
  return { failed: reasons.length > 0, reasons };
}

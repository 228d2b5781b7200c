import { isAbsolute, relative, sep } from 'node:path';
import type { AuditOptions } from '../core/audit.js';
import { UsageError } from '../core/errors.js';
import type { Report } from '../core/report.js';
import type { EvalReport } from '../evals/report.js';
import type { Severity } from '../rubrics/schema.js';
import { isQuiet, type Plan, planChecks, selectSuites } from './areas.js';
import { auditSnapshot, type Baseline, evalSnapshot, readBaseline } from './baseline.js';
import { type ChangedFile, changedFiles } from './changed-files.js';
import { evalAdapterOf, runProjectEvals } from './project-evals.js';
import { allowedAttacks, type Comparison, compareWithBaseline } from './regressions.js';

export interface CiOptions {
  /** Absolute project folder. */
  root: string;
  /** Git revision to compare with; `origin/$GITHUB_BASE_REF` when absent and that is set. */
  base?: string;
  /** Run the audit and every suite whatever changed. */
  all?: boolean;
  failOn?: Severity;
  configPath?: string;
  adapter?: string;
  corpora?: readonly string[];
  version: string;
  /** Passed through to the audit (tests pin the core rubrics with it). */
  auditOptions?: Omit<AuditOptions, 'configPath'>;
}

export interface CiResult {
  base: string | null;
  changes: ChangedFile[];
  plan: Plan;
  baseline: { path: string; found: boolean; plumbline?: string };
  /** Present when the audit ran. */
  report?: Report;
  /** Present when suites ran. */
  evals?: EvalReport;
  /** The baseline's audit part: outputs compare with it, and carry its findings when the audit did not run. */
  baselineAudit?: Baseline['audit'];
  comparison: Comparison;
  failOn: Severity;
  notes: string[];
  failed: boolean;
}

const toProject = (root: string, abs: string): string | undefined => {
  const rel = relative(root, abs);
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? undefined : rel.split(sep).join('/');
};

/** The CI gate: changed files → affected checks → run them → compare with the baseline. Never prints. */
export async function runCi(o: CiOptions): Promise<CiResult> {
  const { loadConfigFile, loadProjectConfig } = await import('../config/load.js');
  const loaded = o.configPath ? loadConfigFile(o.configPath) : loadProjectConfig(o.root);
  const { evalConfigOf } = await import('../evals/config.js');
  const evalConfig = evalConfigOf(loaded);
  const failOn = o.failOn ?? loaded.config.failOn ?? 'high';
  const notes: string[] = [];

  const read = readBaseline(o.root);
  const baseline = read.kind === 'ok' ? read.baseline : undefined;
  if (!baseline)
    notes.push(
      'no baseline (.plumbline/baseline.json): only eval failures and allowed attacks fail; run `plumbline baseline` and commit it to gate on scores and findings',
    );
  else if (baseline.plumbline !== o.version)
    notes.push(
      `the baseline was recorded by plumbline ${baseline.plumbline}, this is ${o.version}: rubric changes between versions can move scores; re-run \`plumbline baseline\` after reviewing them`,
    );

  const base = o.base ?? (process.env.GITHUB_BASE_REF ? `origin/${process.env.GITHUB_BASE_REF}` : undefined);
  if (!base && !o.all)
    throw new UsageError('plumbline ci needs a git revision to compare with', {
      hint: 'pass --base origin/main (or --base HEAD for uncommitted changes), or --all to check everything',
    });
  const changes = base ? (await changedFiles(o.root, base)).files : [];

  const adapter = evalAdapterOf(o.root, evalConfig, o.adapter);
  const moduleFile = adapter?.startsWith('module:') ? adapter.slice(7) : undefined;
  const steering = [loaded.path, ...loaded.rubricPaths]
    .filter((p): p is string => !!p)
    .map((p) => toProject(o.root, p))
    .filter((p): p is string => !!p);
  const plan = planChecks({
    changes,
    baseline: baseline?.audit,
    configAreas: {
      ...(evalConfig.areas ?? {}),
      ...(evalConfig.corpora?.length
        ? { evals: [...(evalConfig.areas?.evals ?? []), ...evalConfig.corpora] }
        : {}),
      ...(moduleFile ? { corpus: [...(evalConfig.areas?.corpus ?? []), moduleFile] } : {}),
    },
    extraEverything: steering,
    knownSuites: Object.keys(baseline?.evals ?? {}),
    all: o.all,
  });

  const result: CiResult = {
    base: base ?? null,
    changes,
    plan,
    baseline: { path: read.path, found: !!baseline, ...(baseline ? { plumbline: baseline.plumbline } : {}) },
    ...(baseline ? { baselineAudit: baseline.audit } : {}),
    comparison: { regressions: [], improvements: [], newBelowThreshold: [], notes: [] },
    failOn,
    notes,
    failed: false,
  };
  if (isQuiet(plan)) return result;

  if (plan.audit) {
    const { audit } = await import('../core/audit.js');
    result.report = await audit(o.root, { ...o.auditOptions, configPath: o.configPath, cwd: o.root });
  }

  if (adapter) {
    result.evals = await runProjectEvals({
      root: o.root,
      loaded,
      version: o.version,
      adapter: o.adapter,
      corpora: o.corpora,
      select: (configured, special) => selectSuites(plan, configured, special),
    });
  } else
    notes.push('no eval setup (no eval.adapter in the config and no .claude/ folder): suites were not run');

  result.comparison = compareWithBaseline(
    baseline,
    {
      audit: result.report ? auditSnapshot(result.report) : undefined,
      evals: result.evals ? evalSnapshot(result.evals) : undefined,
      attacksAllowed: result.evals ? allowedAttacks(result.evals) : [],
    },
    failOn,
  );
  for (const s of result.evals?.suites ?? [])
    if (s.status === 'skipped' && s.notice) notes.push(`suite ${s.id} skipped: ${s.notice}`);
  for (const s of result.evals?.suites ?? [])
    if (s.status === 'ran' && s.metrics.errors > 0)
      notes.push(`suite ${s.id}: the adapter errored on ${s.metrics.errors} case(s)`);
  result.failed = result.comparison.regressions.length > 0;
  return result;
}

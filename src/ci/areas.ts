import { roleOf } from '../core/roles.js';
import { globToRegExp } from '../core/waivers.js';
import { PRIMITIVES } from '../rubrics/schema.js';
import type { AuditSnapshot } from './baseline.js';
import type { ChangedFile } from './changed-files.js';

/**
 * Which checks a set of changed files calls for. Areas are named by primitive id, by suite id, or by one
 * of the group names below. The rules, in order:
 *
 * - a file under `.plumbline/` is plumbline's own state and never counts;
 * - files that steer every check (eval corpora, plumbline config, manifests) → the audit and every suite;
 * - built-in globs: `.claude/**` and `.mcp.json` → permissions; `.github/workflows/**` → verification;
 * - the project's `eval.areas` globs → the area they name (a primitive, a suite, `corpus`, `evals` or
 *   `all`; any other name → the audit);
 * - a file the baseline's audit cited for a primitive (evidence or finding) → that primitive;
 * - otherwise a *new* source file → the audit, because it may add a primitive the baseline has not seen.
 *   An edited source file that no primitive cited does not count: it was audited and held no harness
 *   code. Without a baseline nothing is known to be irrelevant, so every changed source file counts.
 *
 * A touched primitive means the audit runs. Suites follow the primitives they test: the corpus suites
 * follow permissions, session-recovery follows session-persistence, and behaviour follows any harness
 * change at all.
 */
export const EVERYTHING_GLOBS = [
  'evals/**',
  'plumbline.config.*',
  'package.json',
  'pyproject.toml',
  'requirements.txt',
] as const;

export const BUILTIN_AREAS: Readonly<Record<string, readonly string[]>> = {
  permissions: ['.claude/**', '.mcp.json'],
  verification: ['.github/workflows/**'],
};

/** Suite groups: all corpus suites at once, or one special suite. */
export type SuiteGroup = 'corpus' | 'session-recovery' | 'behavior';

export interface Plan {
  /** Run the audit. */
  audit: boolean;
  /** Every suite, whatever its group. */
  allSuites: boolean;
  groups: Set<SuiteGroup>;
  /** Suites named directly by an `eval.areas` entry. */
  suites: Set<string>;
  /** Why: each area that was touched, with the files that touched it (sorted). */
  touched: { area: string; files: string[] }[];
}

export interface PlanInput {
  changes: readonly ChangedFile[];
  baseline?: AuditSnapshot;
  /** `eval.areas` from the project config. */
  configAreas?: Readonly<Record<string, readonly string[]>>;
  /** Further files (relative to the project) that steer every check: rubric packs, corpora, the config. */
  extraEverything?: readonly string[];
  /** Suite ids an `eval.areas` entry may name; any other unknown name counts as a harness area. */
  knownSuites?: readonly string[];
  all?: boolean;
}

const PRIMITIVE_IDS: ReadonlySet<string> = new Set(PRIMITIVES);
const GROUP_OF: Readonly<Record<string, SuiteGroup>> = {
  permissions: 'corpus',
  'session-persistence': 'session-recovery',
};

function compile(globs: readonly string[]): RegExp[] {
  return globs.map((g) => globToRegExp(g.replace(/^\.\//, '')));
}

export function planChecks(input: PlanInput): Plan {
  const plan: Plan = { audit: false, allSuites: false, groups: new Set(), suites: new Set(), touched: [] };
  const touched = new Map<string, Set<string>>();
  const touch = (area: string, file: string) =>
    (touched.get(area) ?? touched.set(area, new Set()).get(area)!).add(file);

  const everything = compile([...EVERYTHING_GLOBS, ...(input.extraEverything ?? [])]);
  const builtin = Object.entries(BUILTIN_AREAS).map(([area, globs]) => [area, compile(globs)] as const);
  const configured = Object.entries(input.configAreas ?? {}).map(
    ([area, globs]) => [area, compile(globs)] as const,
  );
  const cited = new Map<string, string[]>();
  for (const [primitive, files] of Object.entries(input.baseline?.areas ?? {}))
    for (const f of files) cited.set(f, [...(cited.get(f) ?? []), primitive]);

  for (const { path, kind } of input.changes) {
    if (path === '.plumbline' || path.startsWith('.plumbline/')) continue;
    let matched = false;
    const hit = (area: string) => {
      touch(area, path);
      matched = true;
    };
    if (everything.some((re) => re.test(path))) hit('all');
    for (const [area, res] of builtin) if (res.some((re) => re.test(path))) hit(area);
    for (const [area, res] of configured) if (res.some((re) => re.test(path))) hit(area);
    for (const primitive of cited.get(path) ?? []) hit(primitive);
    if (matched || roleOf(path) !== 'source') continue;
    if (!input.baseline) touch('source (no baseline to tell harness files apart)', path);
    else if (kind === 'added') touch('new source file', path);
  }
  if (input.all) touch('all', '--all');

  for (const [area, files] of [...touched].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    plan.touched.push({ area, files: [...files].sort() });
    if (area === 'all') {
      plan.audit = true;
      plan.allSuites = true;
    } else if (area === 'evals') plan.allSuites = true;
    else if (PRIMITIVE_IDS.has(area) || area.startsWith('source') || area === 'new source file') {
      plan.audit = true;
      const group = GROUP_OF[area];
      if (group) plan.groups.add(group);
    } else if (area === 'corpus' || area === 'session-recovery' || area === 'behavior') plan.groups.add(area);
    else if (input.knownSuites?.includes(area)) plan.suites.add(area);
    // A name plumbline does not know is still an area the project declared part of its harness.
    else plan.audit = true;
  }
  if (plan.audit) plan.groups.add('behavior');
  return plan;
}

/** Nothing in the change set touches the harness: the baseline stands as it is. */
export const isQuiet = (p: Plan) => !p.audit && !p.allSuites && p.groups.size === 0 && p.suites.size === 0;

/**
 * The suites to run out of the project's configured ones: `corpus` names every suite that is not special.
 */
export function selectSuites(
  plan: Plan,
  configured: readonly string[],
  special: readonly string[],
): string[] {
  if (plan.allSuites) return [...configured];
  return configured.filter((id) => {
    if (plan.suites.has(id)) return true;
    if (special.includes(id)) return plan.groups.has(id as SuiteGroup);
    return plan.groups.has('corpus');
  });
}

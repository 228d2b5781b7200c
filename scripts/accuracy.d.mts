/** Types for scripts/accuracy.mjs, so test/accuracy.test.ts can use its helpers with types. */
export interface Label {
  status: string;
  why: string;
}

export interface Fixture {
  name: string;
  dir: string;
  category: string;
  frameworks: string[];
  /** One entry per expected tool; each lists the accepted names. */
  tools: string[][];
  primitives: Record<string, Label>;
}

export interface ReportLike {
  primitives?: { id: string; status: string }[];
  inventory?: { tools?: { name: string }[] };
  target?: { frameworks?: string[] };
}

export interface Counts {
  n: number;
  exact: number;
  tp: number;
  fp: number;
  fn: number;
  precision: number | null;
  recall: number | null;
  agreement: number | null;
}

export interface FixtureResult {
  fixture: string;
  error?: string;
  primitives: { id: string; expected: string; got: string; why: string }[];
  tools: { expected: number; reported: number; missing: string[]; extra: string[] };
  frameworks: { expected: string[]; got: string[]; ok: boolean };
}

export interface Summary {
  fixtures: number;
  overall: Counts;
  perPrimitive: Record<string, Counts>;
  tools: {
    expected: number;
    found: number;
    recall: number | null;
    reported: number;
    matched: number;
    precision: number | null;
  };
  frameworks: { agree: number; of: number };
  mismatches: { fixture: string; primitive: string; expected: string; got: string; why: string }[];
  toolMisses: { fixture: string; missing: string[]; extra: string[] }[];
  frameworkMisses: { fixture: string; expected: string[]; got: string[] }[];
  errors: { fixture: string; error: string }[];
}

export const PRIMITIVE_IDS: readonly string[];
export const STATUSES: readonly string[];
export const FIXTURES_DIR: string;
export const AUDIT_CONFIG: string;
export function auditOptions(fixture: Fixture): { cwd: string; configPath: string };
export function loadFixture(dir: string, name: string): Fixture;
export function loadFixtures(root?: string): Fixture[];
export const EXAMPLES_DIR: string;
/** Fixtures and examples together, examples named `examples/<name>`. */
export function loadLabelledSet(): Fixture[];
export function normaliseToolName(name: string): string;
export function toolMatches(alternatives: string[], name: string): boolean;
export function statusOf(report: ReportLike | undefined, id: string): string;
export function compareFixture(fixture: Fixture, report?: ReportLike, error?: unknown): FixtureResult;
export function summarise(results: FixtureResult[]): Summary;
export function formatSummary(summary: Summary): string;

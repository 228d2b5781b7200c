import type { SgNode } from '@ast-grep/napi';
import { lineOf } from '../../core/parse-source.js';
import type { FactValue, PermissionSource } from '../../core/types.js';
import type { Literal } from './decisions.js';
import type { Definitions, FunctionFacts, Scope } from './functions.js';

/** A gate's callback: written inline, or a function by name that may live in another file. */
export type Callback = { inline: FunctionFacts } | { name: string };

/**
 * A fact as the file step found it. Gates whose decisions come from a function looked up by name wait for
 * the project step, which alone knows which file defines that name first.
 */
export interface PendingFact {
  kind: string;
  line: number;
  data: Record<string, FactValue>;
  /** SDK callback or hook gate: its decisions are those of these callbacks and their helpers. */
  callbacks?: Callback[];
  /** Code gate: its function's literals, plus the decider the gate calls by name and an ask if it prompts. */
  decider?: { name: string; literals: Literal[]; ask: number | null };
}

/**
 * One file's facts, permission sources and scopes in the order the detector found them. The project step
 * replays them file by file, so every fact keeps its place whatever the lookups resolve to.
 */
export interface GatesSummary {
  facts: PendingFact[];
  sources: PermissionSource[];
  /** Dispatchers, then engines: where the file records decisions, after the gates' callbacks. */
  scopes: Scope[];
  defined: Definitions;
}

export const emptySummary = (): GatesSummary => ({ facts: [], sources: [], scopes: [], defined: new Map() });

export function addFact(
  out: GatesSummary,
  kind: string,
  node: SgNode,
  data: Record<string, FactValue>,
  pending: Pick<PendingFact, 'callbacks' | 'decider'> = {},
) {
  out.facts.push({ kind, line: lineOf(node), data, ...pending });
}

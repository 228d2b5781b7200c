import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { FACT_KINDS as COMPACTION } from '../../src/detectors/compaction.js';
import { FACT_KINDS as LOGGING } from '../../src/detectors/event-logging.js';
import { FACT_KINDS as FRAMEWORKS } from '../../src/detectors/frameworks.js';
import { FACT_KINDS as GATES } from '../../src/detectors/permission-gates.js';
import { FACT_KINDS as SETTINGS } from '../../src/detectors/permission-settings.js';
import { FACT_KINDS as SESSION } from '../../src/detectors/session-persistence.js';
import { FACT_KINDS as SHELL } from '../../src/detectors/shell-security.js';
import { FACT_KINDS as EVENTS } from '../../src/detectors/streaming-events.js';
import { FACT_KINDS as SUBAGENTS } from '../../src/detectors/sub-agents.js';
import { FACT_KINDS as BUDGET } from '../../src/detectors/token-budget.js';
import { FACT_KINDS as POOL } from '../../src/detectors/tool-pool.js';
import { FACT_KINDS as TOOLS } from '../../src/detectors/tools.js';
import { FACT_KINDS as VERIFY } from '../../src/detectors/verification.js';
import { FACT_KINDS as WORKFLOW } from '../../src/detectors/workflow-state.js';
import { type Condition, type PrimitiveRubric, PrimitiveRubricSchema } from '../../src/rubrics/schema.js';

/** Every fact kind some detector emits: what rubric conditions may refer to. */
export const ALL_FACT_KINDS: ReadonlySet<string> = new Set<string>([
  ...FRAMEWORKS,
  ...TOOLS,
  ...SETTINGS,
  ...GATES,
  ...POOL,
  ...SUBAGENTS,
  ...EVENTS,
  ...LOGGING,
  ...VERIFY,
  ...SHELL,
  ...SESSION,
  ...WORKFLOW,
  ...BUDGET,
  ...COMPACTION,
]);

/** A core rubric file, parsed and validated. */
export function loadCoreRubric(id: string): PrimitiveRubric {
  const text = readFileSync(join(import.meta.dirname, '..', '..', 'rubrics', 'core', `${id}.yaml`), 'utf8');
  return PrimitiveRubricSchema.parse(parse(text));
}

/** The fact kinds a condition refers to. */
export function kindsIn(cond: Condition | undefined): string[] {
  if (!cond) return [];
  if ('fact' in cond) return [cond.fact];
  if ('every' in cond) return [cond.every];
  if ('all' in cond) return cond.all.flatMap(kindsIn);
  if ('any' in cond) return cond.any.flatMap(kindsIn);
  return kindsIn(cond.not);
}

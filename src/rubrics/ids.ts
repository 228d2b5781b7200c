/**
 * The fixed ids of phases, primitives and severities. Kept free of zod so the CLI can build its option
 * lists without loading the validation stack.
 */
export const PHASES = ['day-one', 'week-one', 'month-one'] as const;
export type PhaseId = (typeof PHASES)[number];

export const PRIMITIVES = [
  'tool-registry',
  'permissions',
  'session-persistence',
  'workflow-state',
  'token-budget',
  'streaming-events',
  'event-logging',
  'verification',
  'tool-pool',
  'compaction',
  'shell-security',
  'sub-agents',
] as const;
export type PrimitiveId = (typeof PRIMITIVES)[number];

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/**
 * Correlation ids shared by events and log records, normalised to one vocabulary so rubrics can ask
 * "does every record carry a session and a tool-call id?" whatever the project calls them.
 */
export type CorrelationId = 'session' | 'run' | 'turn' | 'toolCall' | 'trace';

const ID_PATTERNS: [CorrelationId, RegExp][] = [
  ['session', /^(session|session_?id|conversation_?id|thread_?id|chat_?id)$/i],
  ['run', /^(run_?id|execution_?id|invocation_?id|task_?id|agent_?run_?id)$/i],
  ['turn', /^(turn|turn_?id|turn_?index|turn_?number|turn_?no|iteration|step_?index)$/i],
  ['toolCall', /^(tool_?use_?id|tool_?call_?id|call_?id|tool_?id)$/i],
  [
    'trace',
    /^(trace_?id|span_?id|traceparent|request_?id|correlation_?id|prompt_?id|gen_ai\.conversation\.id)$/i,
  ],
];

/** Which correlation id a field name stands for, if any. */
export function correlationIdOf(field: string): CorrelationId | undefined {
  for (const [id, re] of ID_PATTERNS) if (re.test(field)) return id;
  return undefined;
}

/** Correlation ids among a set of field names, in a stable order. */
export function correlationIds(fields: Iterable<string>): CorrelationId[] {
  const found = new Set<CorrelationId>();
  for (const f of fields) {
    const id = correlationIdOf(f);
    if (id) found.add(id);
  }
  return ID_PATTERNS.map(([id]) => id).filter((id) => found.has(id));
}

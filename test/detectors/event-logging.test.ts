import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/core/analyze.js';
import type { Fact } from '../../src/core/types.js';
import { eventLoggingDetector, FACT_KINDS } from '../../src/detectors/event-logging.js';
import { projectFromFiles } from '../helpers/project.js';

const run = (files: Record<string, string>) => analyze(projectFromFiles(files), [eventLoggingDetector]).facts;
const ofKind = (facts: Fact[], kind: string) => facts.filter((f) => f.kind === kind);
const where = (facts: Fact[], kind: string) => ofKind(facts, kind).map((f) => `${f.file}:${f.line}`);

describe('event-logging detector', () => {
  it('sees a pino logger with redaction, child bindings and an audited tool call', () => {
    const facts = run({
      'src/log.ts': [
        "import pino from 'pino';",
        "export const logger = pino({ level: 'info', redact: ['input.apiKey', '*.authorization'] });",
        'export function runTool(sessionId: string, toolUseId: string, name: string, input: unknown) {',
        '  const log = logger.child({ sessionId, turn: 3 });',
        "  log.info({ toolUseId, tool: name, input, decision: 'allow' }, 'tool call');",
        "  log.info('plain text');",
        '}',
      ].join('\n'),
    });
    expect(ofKind(facts, 'logging.structured').map((f) => [f.line, f.data.library])).toEqual([[2, 'pino']]);
    expect(ofKind(facts, 'logging.redaction').map((f) => [f.line, f.data.kind])).toEqual([
      [2, 'logger-option'],
    ]);
    expect(ofKind(facts, 'logging.correlation-ids').map((f) => [f.line, f.data.ids, f.data.via])).toEqual([
      [4, ['session', 'turn'], 'child'],
      [5, ['toolCall'], 'record'],
    ]);
    expect(ofKind(facts, 'logging.tool-audit')[0]).toMatchObject({
      line: 5,
      data: { includes: ['input', 'decision'] },
    });
  });

  it('takes winston only with a JSON format (or the JSON default)', () => {
    const facts = run({
      'src/a.ts':
        "import winston from 'winston';\nexport const l = winston.createLogger({ format: winston.format.json() });",
      'src/b.ts':
        "import { createLogger, format } from 'winston';\nexport const l = createLogger({ format: format.printf((i) => i.message) });",
    });
    expect(where(facts, 'logging.structured')).toEqual(['src/a.ts:2']);
  });

  it('does not treat console.log of text or JSON of a bare value as structured logging', () => {
    const facts = run({
      'src/c.ts': [
        "console.log('starting agent');",
        'console.log(JSON.stringify(result, null, 2));',
        "console.log(JSON.stringify({ level: 'info', msg: 'turn', runId, turn }));",
      ].join('\n'),
    });
    expect(ofKind(facts, 'logging.structured').map((f) => [f.line, f.data.library])).toEqual([
      [3, 'console-json'],
    ]);
    expect(ofKind(facts, 'logging.correlation-ids')[0]?.data).toEqual({
      ids: ['run', 'turn'],
      via: 'record',
    });
  });

  it('sees a custom JSON-lines audit sink and a redact function on its path', () => {
    const facts = run({
      'src/audit.ts': [
        "import { appendFileSync } from 'node:fs';",
        'const SECRET_KEYS = /api[_-]?key|authorization|password/i;',
        'function redact(rec: Record<string, unknown>) { return rec; }',
        'export function auditLog(rec: Record<string, unknown>) {',
        "  appendFileSync('audit.jsonl', JSON.stringify(redact(rec)) + '\\n');",
        '}',
      ].join('\n'),
    });
    expect(ofKind(facts, 'logging.structured').map((f) => [f.line, f.data.library])).toEqual([[5, 'custom']]);
    expect(
      ofKind(facts, 'logging.redaction')
        .map((f) => [f.line, f.data.kind])
        .sort(),
    ).toEqual([
      [2, 'secret-pattern'],
      [5, 'redact-call'],
    ]);
  });

  it('sees structlog with bound ids and a Python JSON formatter', () => {
    const facts = run({
      'agent/logs.py': [
        'import json, logging',
        'import structlog',
        'structlog.configure(processors=[structlog.processors.JSONRenderer()])',
        'log = structlog.get_logger().bind(session_id=sid)',
        'class JsonLines(logging.Formatter):',
        '    def format(self, record):',
        '        return json.dumps({"msg": record.getMessage()})',
        'def call_tool(name, args):',
        '    log.info("tool_call", tool_name=name, args=args, tool_call_id=cid)',
      ].join('\n'),
    });
    expect(ofKind(facts, 'logging.structured').map((f) => [f.line, f.data.library])).toEqual([
      [3, 'structlog'],
      [4, 'structlog'],
      [5, 'logging-json'],
    ]);
    expect(ofKind(facts, 'logging.correlation-ids').map((f) => [f.line, f.data.ids])).toEqual([
      [4, ['session']],
      [9, ['toolCall']],
    ]);
    expect(ofKind(facts, 'logging.tool-audit')[0]?.data).toEqual({ includes: ['input'] });
  });

  it('tells OpenTelemetry GenAI spans from plain spans', () => {
    const facts = run({
      'src/trace.ts': [
        "import { trace } from '@opentelemetry/api';",
        "const tracer = trace.getTracer('agent');",
        "tracer.startActiveSpan('chat', (span) => { span.setAttribute('gen_ai.request.model', model); span.end(); });",
      ].join('\n'),
      'src/plain.ts': [
        "import { trace } from '@opentelemetry/api';",
        "trace.getTracer('x').startSpan('work');",
      ].join('\n'),
    });
    expect(
      ofKind(facts, 'logging.otel').map((f) => `${f.file}:${f.line}:${f.data.api}:${f.data.genai}`),
    ).toEqual([
      'src/trace.ts:2:tracer:true',
      'src/trace.ts:3:span:true',
      'src/trace.ts:3:attribute:true',
      'src/plain.ts:2:span:false',
      'src/plain.ts:2:tracer:false',
    ]);
  });

  it('sees JSON written through a template string and JSON documents handed to a logger', () => {
    const facts = run({
      'src/agent.ts':
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the fixture is source text with a template literal
        'const log = (r: object) => process.stderr.write(`${JSON.stringify({ ts: Date.now(), ...r })}\\n`);',
      'srv/app.py':
        'import json, logging\naudit = logging.getLogger("audit")\naudit.info(json.dumps({"tool": tool, "request_id": rid}))\n',
    });
    expect(ofKind(facts, 'logging.structured').map((f) => `${f.file}:${f.line}:${f.data.library}`)).toEqual([
      'src/agent.ts:1:console-json',
      'srv/app.py:3:logging-json',
    ]);
    expect(ofKind(facts, 'logging.tool-audit').map((f) => f.data)).toEqual([{ includes: [] }]);
    expect(ofKind(facts, 'logging.correlation-ids').map((f) => f.data.ids)).toEqual([['trace']]);
  });

  it('declares every kind it emits', () => {
    const facts = run({
      'src/log.ts':
        "import pino from 'pino';\nconst logger = pino({ redact: ['x'] });\nlogger.info({ runId, tool: 't', input: 1 });",
    });
    expect(new Set(facts.map((f) => f.kind)).size).toBeGreaterThanOrEqual(3);
    for (const f of facts) expect(FACT_KINDS).toContain(f.kind);
  });
});

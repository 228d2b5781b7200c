import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StubMessage {
  role: 'user' | 'assistant';
  content: string | { type: string; text?: string; content?: unknown; name?: string; input?: unknown }[];
}

export interface StubRequest {
  model: string;
  messages: StubMessage[];
  system?: unknown;
  tools?: { name: string }[];
  max_tokens: number;
}

export interface StubUsage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
}

/**
 * What the scripted model does next: call a tool, or answer and end the turn. `usage` replaces fields of
 * the default usage block (e.g. to report prompt-cache reads and writes).
 */
export type StubReply =
  | { tool: string; input: Record<string, unknown>; usage?: Partial<StubUsage> }
  | { text: string; usage?: Partial<StubUsage> };

export interface StubServer {
  url: string;
  requests: StubRequest[];
  close(): Promise<void>;
}

async function body(req: IncomingMessage): Promise<string> {
  let data = '';
  for await (const chunk of req) data += chunk;
  return data;
}

/**
 * A local stand-in for the Anthropic Messages API on 127.0.0.1, answering from a script. The real SDK talks
 * to it unchanged (baseURL), so tests exercise the SDK's request and response handling for real.
 */
export async function startStubAnthropic(script: (req: StubRequest) => StubReply): Promise<StubServer> {
  const requests: StubRequest[] = [];
  let n = 0;
  const server: Server = createServer(async (req, res) => {
    if (req.method !== 'POST' || !req.url?.startsWith('/v1/messages')) {
      res
        .writeHead(404, { 'content-type': 'application/json' })
        .end(JSON.stringify({ type: 'error', error: { type: 'not_found_error', message: 'not found' } }));
      return;
    }
    const parsed = JSON.parse(await body(req)) as StubRequest;
    if (req.url.startsWith('/v1/messages/count_tokens')) {
      const tokens = Math.ceil(JSON.stringify(parsed.messages).length / 4);
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ input_tokens: tokens }));
      return;
    }
    requests.push(parsed);
    const reply = script(parsed);
    n++;
    const content =
      'tool' in reply
        ? [{ type: 'tool_use', id: `toolu_stub_${n}`, name: reply.tool, input: reply.input }]
        : [{ type: 'text', text: reply.text }];
    res.writeHead(200, { 'content-type': 'application/json', 'request-id': `req_stub_${n}` }).end(
      JSON.stringify({
        id: `msg_stub_${n}`,
        type: 'message',
        role: 'assistant',
        model: parsed.model,
        content,
        stop_reason: 'tool' in reply ? 'tool_use' : 'end_turn',
        stop_sequence: null,
        usage: {
          input_tokens: 100 + n,
          output_tokens: 20,
          cache_creation_input_tokens: 0,
          cache_read_input_tokens: 0,
          ...reply.usage,
        },
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

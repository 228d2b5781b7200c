import type { ToolContext } from './context.js';

export interface FetchUrlInput {
  url: string;
  maxBytes?: number;
}

const TIMEOUT_MS = 15_000;

export async function fetchUrl(input: FetchUrlInput, ctx: ToolContext): Promise<string> {
  const url = new URL(input.url);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`Unsupported protocol ${url.protocol}`);
  const timeout = AbortSignal.timeout(TIMEOUT_MS);
  const signal = ctx.signal ? AbortSignal.any([ctx.signal, timeout]) : timeout;
  const response = await fetch(url, { signal, redirect: 'follow' });
  const body = await response.text();
  const limit = input.maxBytes ?? 100_000;
  const text = body.length > limit ? `${body.slice(0, limit)}\n[truncated after ${limit} characters]` : body;
  return `HTTP ${response.status} ${response.statusText}\n\n${text}`;
}

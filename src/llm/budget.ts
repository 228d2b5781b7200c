import { z } from 'zod';
import { UsageError } from '../core/errors.js';

/**
 * What grading costs. Prices are USD per million tokens; cache writes and reads are priced as the
 * Messages API bills them (5-minute cache: writes 1.25× input, reads 0.1× input).
 */

export interface Price {
  input: number;
  output: number;
  cacheWrite: number;
  cacheRead: number;
}

const price = (input: number, output: number): Price => ({
  input,
  output,
  cacheWrite: input * 1.25,
  cacheRead: input * 0.1,
});

/**
 * By model id, most specific first (list prices as published when this was written). Override with
 * PLUMBLINE_LLM_PRICE when a price moves or a model is missing.
 */
const PRICES: [RegExp, Price][] = [
  [/fable/, price(10, 50)],
  [/opus-5-5/, price(4, 20)],
  [/opus-5|opus-4-[5-9]/, price(5, 25)],
  [/opus/, price(15, 75)],
  [/sonnet-5/, price(2, 10)],
  [/sonnet/, price(3, 15)],
  [/haiku-4-5/, price(1, 5)],
  [/3-5-haiku|haiku-3-5/, price(0.8, 4)],
  [/3-haiku/, price(0.25, 1.25)],
];
/** An unknown model is priced above every known one, so the budget errs on the side of stopping. */
const UNKNOWN = price(15, 75);

const PriceOverride = z
  .object({
    input: z.number().nonnegative(),
    output: z.number().nonnegative(),
    cacheWrite: z.number().nonnegative().optional(),
    cacheRead: z.number().nonnegative().optional(),
  })
  .strict();

/** `PLUMBLINE_LLM_PRICE='{"input":3,"output":15}'` (USD per million tokens) replaces the table's price. */
export function priceFor(model: string, override?: string): Price {
  if (override !== undefined && override.trim() !== '') {
    let value: unknown;
    try {
      value = JSON.parse(override);
    } catch {
      value = undefined;
    }
    const parsed = PriceOverride.safeParse(value);
    if (!parsed.success)
      throw new UsageError(`PLUMBLINE_LLM_PRICE is not a price: ${override}`, {
        hint: 'USD per million tokens as JSON, e.g. {"input":3,"output":15,"cacheWrite":3.75,"cacheRead":0.3}.',
      });
    const base = price(parsed.data.input, parsed.data.output);
    return {
      ...base,
      ...(parsed.data.cacheWrite !== undefined ? { cacheWrite: parsed.data.cacheWrite } : {}),
      ...(parsed.data.cacheRead !== undefined ? { cacheRead: parsed.data.cacheRead } : {}),
    };
  }
  return PRICES.find(([re]) => re.test(model))?.[1] ?? UNKNOWN;
}

/**
 * Tokens a text may take, counted high on purpose: three characters per token (English prose runs near
 * four, code and JSON nearer three). An estimate that errs low could let a call pass the hard stop.
 */
const CHARS_PER_TOKEN = 3;
export const estimateTokens = (text: string): number => Math.ceil(text.length / CHARS_PER_TOKEN);

/** The most a call can cost: the cached system block written at the cache-write price, every output token used. */
export function estimateCost(
  p: Price,
  call: { systemChars: number; userChars: number; maxOutputTokens: number },
): number {
  const system = Math.ceil(call.systemChars / CHARS_PER_TOKEN);
  const user = Math.ceil(call.userChars / CHARS_PER_TOKEN);
  return (system * p.cacheWrite + user * p.input + call.maxOutputTokens * p.output) / 1e6;
}

export interface Usage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
}

/** What a response cost, from its usage: `input_tokens` excludes the cached tokens, which are billed apart. */
export function actualCost(p: Price, u: Usage): number {
  return (
    (u.input_tokens * p.input +
      u.output_tokens * p.output +
      (u.cache_creation_input_tokens ?? 0) * p.cacheWrite +
      (u.cache_read_input_tokens ?? 0) * p.cacheRead) /
    1e6
  );
}

/** A hard spending limit: a call is made only when its worst-case cost still fits. */
export class Budget {
  private spentUsd = 0;
  constructor(readonly limitUsd: number) {}

  get spent(): number {
    return this.spentUsd;
  }

  allows(estimateUsd: number): boolean {
    return this.spentUsd + estimateUsd <= this.limitUsd;
  }

  record(costUsd: number): void {
    this.spentUsd += costUsd;
  }
}

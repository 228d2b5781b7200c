import type Anthropic from '@anthropic-ai/sdk';

/** Hard limits for one run. A run stops before the call that could cross any of them. */
export interface BudgetLimits {
  maxTurns: number;
  maxInputTokens: number;
  maxOutputTokens: number;
  maxUsd: number;
}

export const DEFAULT_LIMITS: BudgetLimits = {
  maxTurns: 30,
  maxInputTokens: 1_000_000,
  maxOutputTokens: 80_000,
  maxUsd: 5,
};

/** Which limit stopped a run. */
export type BudgetStop = 'max_turns' | 'max_input_tokens' | 'max_output_tokens' | 'max_usd';

/** USD per million tokens. The defaults are Sonnet-class list prices; pass your model's own. */
export interface Pricing {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
}

export const DEFAULT_PRICING: Pricing = { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 };

export interface Spent {
  turns: number;
  inputTokens: number;
  outputTokens: number;
  usd: number;
}

export class Budget {
  private readonly spent: Spent = { turns: 0, inputTokens: 0, outputTokens: 0, usd: 0 };

  constructor(
    private readonly client: Anthropic,
    private readonly limits: BudgetLimits,
    private readonly pricing: Pricing = DEFAULT_PRICING,
  ) {}

  get usage(): Readonly<Spent> {
    return this.spent;
  }

  /**
   * Runs before every model call. The API counts the request's input (system prompt and tool
   * definitions included), and the output is projected at its worst case, `max_tokens`, so a call that
   * could overrun a limit is never started.
   */
  async check(request: Anthropic.MessageCreateParamsNonStreaming): Promise<BudgetStop | undefined> {
    if (this.spent.turns >= this.limits.maxTurns) return 'max_turns';
    const { model, messages, system, tools } = request;
    const counted = await this.client.messages.countTokens({ model, messages, system, tools });
    const input = counted.input_tokens;
    if (this.spent.inputTokens + input > this.limits.maxInputTokens) return 'max_input_tokens';
    if (this.spent.outputTokens + request.max_tokens > this.limits.maxOutputTokens) return 'max_output_tokens';
    const projected = this.spent.usd + (input * this.pricing.input + request.max_tokens * this.pricing.output) / 1e6;
    if (projected > this.limits.maxUsd) return 'max_usd';
    return undefined;
  }

  /** Adds what a response really used, from the API's usage numbers (cached input included). */
  record(usage: Anthropic.Usage): void {
    const cacheRead = usage.cache_read_input_tokens ?? 0;
    const cacheWrite = usage.cache_creation_input_tokens ?? 0;
    const p = this.pricing;
    this.spent.turns += 1;
    this.spent.inputTokens += usage.input_tokens + cacheRead + cacheWrite;
    this.spent.outputTokens += usage.output_tokens;
    this.spent.usd +=
      (usage.input_tokens * p.input + usage.output_tokens * p.output + cacheRead * p.cacheRead + cacheWrite * p.cacheWrite) /
      1e6;
  }
}

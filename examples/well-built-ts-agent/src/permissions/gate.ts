import { createInterface } from 'node:readline/promises';
import { evaluate, type PermissionMode, type Policy, type ToolCall, type Verdict } from './engine.js';

/** Asks a person about one call; resolves true to let it run. */
export type Approver = (call: ToolCall, verdict: Verdict) => Promise<boolean>;

/** The safe answer when nobody is at the keyboard. */
export const declineAll: Approver = async () => false;

/** Prompts on the terminal; anything but "y" or "yes" declines. */
export function terminalApprover(): Approver {
  return async (call, verdict) => {
    const prompt = createInterface({ input: process.stdin, output: process.stderr });
    try {
      const answer = await prompt.question(
        `\nAllow ${call.tool} ${JSON.stringify(call.input)}?\n(${verdict.reason}) [y/N] `,
      );
      return /^y(es)?$/i.test(answer.trim());
    } finally {
      prompt.close();
    }
  };
}

/**
 * Stands between the model and every tool. `evaluate` is the rule decision alone; `confirm` turns an
 * "ask" into allow or deny. They are separate so the caller can record that it is waiting on a person.
 */
export class PermissionGate {
  constructor(
    private readonly policy: Policy,
    private readonly mode: PermissionMode,
    private readonly approver: Approver,
  ) {}

  evaluate(call: ToolCall): Verdict {
    return evaluate(this.policy, call, this.mode);
  }

  async confirm(call: ToolCall, verdict: Verdict): Promise<Verdict> {
    const approved = await this.approver(call, verdict);
    return {
      decision: approved ? 'allow' : 'deny',
      reason: `${approved ? 'approved' : 'declined'} by the user (${verdict.reason})`,
      rule: verdict.rule,
    };
  }
}

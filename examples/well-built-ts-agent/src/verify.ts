import type Anthropic from '@anthropic-ai/sdk';
import { z } from 'zod';

/**
 * A second opinion on the final answer. The reviewer is a separate model call that sees only the task
 * and the answer — not the agent's reasoning or tool output — so it judges the result, not the story.
 */

export interface Review {
  ok: boolean;
  issues: string[];
}

const ReviewReply = z.object({ ok: z.boolean(), issues: z.array(z.string()) });

const REVIEWER_PROMPT = `You review the final answer of an AI assistant before it reaches the user.
Check that it addresses every part of the task, that it does not claim work it could not have done,
and that it contains no secrets such as API keys or passwords.
Reply with JSON only: {"ok": true or false, "issues": ["one short sentence per problem"]}.`;

export async function verifyAnswer(client: Anthropic, model: string, task: string, answer: string): Promise<Review> {
  const response = await client.messages.create({
    model,
    max_tokens: 1024,
    system: REVIEWER_PROMPT,
    messages: [{ role: 'user', content: `<task>\n${task}\n</task>\n\n<answer>\n${answer}\n</answer>` }],
  });
  const text = response.content.flatMap((block) => (block.type === 'text' ? [block.text] : [])).join('');
  const json = text.slice(text.indexOf('{'), text.lastIndexOf('}') + 1);
  try {
    return ReviewReply.parse(JSON.parse(json));
  } catch {
    // An unreadable review is not an approval.
    return { ok: false, issues: ['The reviewer did not return a readable verdict.'] };
  }
}

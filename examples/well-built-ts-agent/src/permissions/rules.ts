import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { type Decision, type Policy, parseRule, type Rule } from './engine.js';

/**
 * Rules live in Claude Code's settings files and use the same `Tool(specifier)` grammar, so one file
 * governs both this agent and Claude Code sessions in the same repository. Lists from both files are
 * merged, as Claude Code does; the local file is for a developer's own, uncommitted rules.
 */
export const SETTINGS_FILES = ['.claude/settings.json', '.claude/settings.local.json'] as const;

const RuleList = z.array(z.string()).default([]);
const Settings = z.object({
  permissions: z.object({ allow: RuleList, ask: RuleList, deny: RuleList }).optional(),
});

const DECISIONS: readonly Decision[] = ['deny', 'ask', 'allow'];

export function loadPolicy(workspace: string): Policy {
  const rules: Rule[] = [];
  for (const file of SETTINGS_FILES) {
    const path = join(workspace, file);
    if (!existsSync(path)) continue;
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(path, 'utf8'));
    } catch (error) {
      throw new Error(`${file} is not valid JSON: ${(error as Error).message}`);
    }
    const settings = Settings.safeParse(json);
    if (!settings.success) throw new Error(`${file}: ${z.prettifyError(settings.error)}`);
    const lists = settings.data.permissions;
    if (!lists) continue;
    for (const decision of DECISIONS) for (const text of lists[decision]) rules.push(parseRule(text, decision, file));
  }
  return { workspace, rules };
}

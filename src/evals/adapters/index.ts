import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../../core/errors.js';
import type { EvalConfig } from '../config.js';
import type { Adapter } from '../protocol.js';
import { ClaudeSettingsSimulator } from './claude-settings.js';
import { commandAdapter } from './command.js';
import { moduleAdapter } from './module.js';

/**
 * Picks the adapter: the flag, else the project config, else `claude-settings` when `.claude/` exists.
 * Only an adapter the user named (flag or config) ever runs code of theirs.
 */
export function adapterSpecFor(flag: string | undefined, config: EvalConfig, projectRoot: string): string {
  const spec = flag ?? config.adapter;
  if (spec) return spec;
  if (existsSync(join(projectRoot, '.claude'))) return 'claude-settings';
  throw new UsageError(
    'no permission engine to evaluate: no --adapter, no eval.adapter in the config, and no .claude/ folder',
    {
      hint: 'Pass --adapter module:./dist/permissions.js (exports decide) or --adapter "command:python3 decide.py", or set eval.adapter in plumbline.config.yaml.',
    },
  );
}

export async function createAdapter(spec: string, projectRoot: string, config: EvalConfig): Promise<Adapter> {
  if (spec === 'claude-settings')
    return new ClaudeSettingsSimulator(projectRoot, config.claudeSettings ?? {});
  if (spec.startsWith('module:')) return moduleAdapter(spec.slice(7), projectRoot, config.timeoutMs);
  if (spec.startsWith('command:'))
    return commandAdapter(spec.slice(8), {
      cwd: projectRoot,
      timeoutMs: config.timeoutMs,
      passEnv: config.passEnv,
    });
  throw new UsageError(`unknown adapter "${spec}"`, {
    hint: 'Use claude-settings, module:PATH or command:CMD.',
  });
}

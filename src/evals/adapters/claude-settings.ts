import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { decideWithSettings, type SimulatedDecision } from '../claude-settings/decide.js';
import { type LoadedSettings, loadSettings } from '../claude-settings/settings.js';
import type { Adapter, DecisionRequest } from '../protocol.js';

export interface ClaudeSettingsOptions {
  userFile?: string;
  managedFile?: string;
  /** Treat the workspace as untrusted: project allow rules are ignored, as Claude Code does (§1.2). */
  untrusted?: boolean;
  home?: string;
}

/** The built-in simulator of Claude Code's permission settings, as a protocol adapter. */
export class ClaudeSettingsSimulator implements Adapter {
  readonly id = 'claude-settings';
  readonly settings: LoadedSettings;
  private readonly root: string;
  private readonly home: string;

  constructor(projectRoot: string, options: ClaudeSettingsOptions = {}) {
    this.root = resolve(projectRoot);
    this.home = options.home ?? homedir();
    this.settings = loadSettings({
      projectRoot: this.root,
      userFile: options.userFile,
      managedFile: options.managedFile,
      home: this.home,
      trusted: !options.untrusted,
    });
  }

  explain(request: DecisionRequest): SimulatedDecision {
    return decideWithSettings(request, this.settings, { projectRoot: this.root, home: this.home });
  }

  async decide(request: DecisionRequest) {
    try {
      return { ok: true as const, response: this.explain(request) };
    } catch (e) {
      return { ok: false as const, error: `simulator failed: ${(e as Error).message}` };
    }
  }

  async close() {}
}

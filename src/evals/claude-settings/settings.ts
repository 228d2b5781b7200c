import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { findNodeAtLocation, type ParseError, parseTree, printParseErrorCode } from 'jsonc-parser';
import { UsageError } from '../../core/errors.js';
import type { PermissionMode } from '../protocol.js';
import { PERMISSION_MODES } from '../protocol.js';
import { parseRule, type Rule, type RuleSource, type SourceScope } from './rule.js';

export interface LoadedSettings {
  rules: Rule[];
  /** Highest-precedence `defaultMode` that is set and valid (§1.2: scalars, highest scope wins). */
  defaultMode?: PermissionMode;
  additionalDirectories: string[];
  files: { scope: SourceScope; file: string }[];
  warnings: string[];
}

export interface SettingsPaths {
  projectRoot: string;
  /** `~/.claude/settings.json` equivalent, only when given. */
  userFile?: string;
  /** `managed-settings.json`, only when given. */
  managedFile?: string;
  home: string;
  /** Whether the workspace is trusted; untrusted folders ignore project allow rules (§1.2). */
  trusted?: boolean;
}

const PRECEDENCE: SourceScope[] = ['managed', 'cli', 'local', 'project', 'user'];

function lineAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let last = -1;
  for (let i = 0; i < offset; i++)
    if (text.charCodeAt(i) === 10) {
      line++;
      last = i;
    }
  return { line, column: offset - last };
}

/** Reads one settings file; a malformed file is a usage error naming file:line:col. */
function readSettingsFile(abs: string, shown: string) {
  const text = readFileSync(abs, 'utf8').replace(/^\uFEFF/, '');
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { allowTrailingComma: true });
  const first = errors[0];
  if (first || !tree) {
    const pos = lineAt(text, first?.offset ?? 0);
    throw new UsageError(
      `${shown}:${pos.line}:${pos.column}: invalid JSON (${first ? printParseErrorCode(first.error) : 'empty file'})`,
      { hint: 'Fix the settings file; Claude Code would not load it either.', file: shown },
    );
  }
  return { text, tree };
}

export function loadSettings(paths: SettingsPaths): LoadedSettings {
  const root = resolve(paths.projectRoot);
  const candidates: { scope: SourceScope; abs: string; anchorDir: string }[] = [];
  if (paths.managedFile)
    candidates.push({
      scope: 'managed',
      abs: resolve(paths.managedFile),
      anchorDir: dirname(resolve(paths.managedFile)),
    });
  candidates.push({ scope: 'local', abs: join(root, '.claude/settings.local.json'), anchorDir: root });
  candidates.push({ scope: 'project', abs: join(root, '.claude/settings.json'), anchorDir: root });
  if (paths.userFile)
    candidates.push({
      scope: 'user',
      abs: resolve(paths.userFile),
      anchorDir: dirname(resolve(paths.userFile)),
    });

  const result: LoadedSettings = { rules: [], additionalDirectories: [], files: [], warnings: [] };
  const modes: { scope: SourceScope; mode: PermissionMode }[] = [];
  for (const c of candidates) {
    if (!existsSync(c.abs)) continue;
    const shown = c.abs.startsWith(`${root}/`) ? relative(root, c.abs) : c.abs;
    const { text, tree } = readSettingsFile(c.abs, shown);
    result.files.push({ scope: c.scope, file: shown });
    const perms = findNodeAtLocation(tree, ['permissions']);
    if (!perms) continue;
    if (perms.type !== 'object') {
      const pos = lineAt(text, perms.offset);
      throw new UsageError(`${shown}:${pos.line}:${pos.column}: "permissions" must be an object`, {
        file: shown,
      });
    }
    for (const effect of ['allow', 'ask', 'deny'] as const) {
      const list = findNodeAtLocation(perms, [effect]);
      if (!list) continue;
      if (list.type !== 'array') {
        const pos = lineAt(text, list.offset);
        throw new UsageError(
          `${shown}:${pos.line}:${pos.column}: "permissions.${effect}" must be a list of rules`,
          {
            hint: `For example: "${effect}": ["Bash(npm test *)"]`,
            file: shown,
          },
        );
      }
      for (const item of list.children ?? []) {
        const pos = lineAt(text, item.offset);
        if (item.type !== 'string') {
          result.warnings.push(`${shown}:${pos.line}: ignored a ${effect} entry that is not a string`);
          continue;
        }
        const raw = String(item.value);
        // Project allow rules only apply once the workspace is trusted (§1.2).
        if (effect === 'allow' && c.scope === 'project' && paths.trusted === false) continue;
        const parsed = parseRule(raw);
        if (!parsed) {
          result.warnings.push(
            `${shown}:${pos.line}: "${raw}" is not a permission rule; Claude Code ignores it`,
          );
          continue;
        }
        const source: RuleSource = { scope: c.scope, file: shown, line: pos.line, anchorDir: c.anchorDir };
        result.rules.push({ raw, effect, tool: parsed.tool, specifier: parsed.specifier, source });
      }
    }
    const mode = findNodeAtLocation(perms, ['defaultMode'])?.value;
    if (typeof mode === 'string') {
      const m = mode === 'manual' ? 'default' : mode;
      // `auto` from project or local settings is ignored (§1.1).
      if (
        (PERMISSION_MODES as readonly string[]).includes(m) &&
        !(m === 'auto' && (c.scope === 'project' || c.scope === 'local'))
      )
        modes.push({ scope: c.scope, mode: m as PermissionMode });
      else result.warnings.push(`${shown}: defaultMode "${mode}" is ignored here`);
    }
    const dirs = findNodeAtLocation(perms, ['additionalDirectories'])?.children ?? [];
    if (!(c.scope === 'project' && paths.trusted === false))
      for (const d of dirs)
        if (d.type === 'string') result.additionalDirectories.push(resolve(c.anchorDir, String(d.value)));
  }
  modes.sort((a, b) => PRECEDENCE.indexOf(a.scope) - PRECEDENCE.indexOf(b.scope));
  result.defaultMode = modes[0]?.mode;
  return result;
}

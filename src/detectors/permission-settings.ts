import type { ParsedConfig } from '../core/parse-config.js';
import type { PermissionRules } from '../core/types.js';
import {
  deadReason,
  type Effect,
  isBlanketAllow,
  type ParsedRule,
  parseRule,
  protectsSecrets,
  shadows,
} from './permissions/rule-grammar.js';
import type { Detector, ProjectContext } from './types.js';

export const FACT_KINDS = [
  'permission.settings',
  'permission.rule',
  'permission.rule-dead',
  'permission.rule-shadowed',
  'permission.mode',
  'permission.gate',
  'mcp.server',
] as const;

const SETTINGS = /(^|\/)\.claude\/settings(\.local)?\.json$/;
const MCP_JSON = /(^|\/)\.mcp\.json$/;
const EFFECTS: readonly Effect[] = ['allow', 'ask', 'deny'];

function asObject(v: unknown): Record<string, unknown> | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

function stringList(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function readSettings(ctx: ProjectContext, cfg: ParsedConfig) {
  const doc = asObject(cfg.value);
  if (!doc) return;
  const file = cfg.file;
  const perms = asObject(doc.permissions) ?? {};
  const rules: PermissionRules = {
    allow: stringList(perms.allow),
    ask: stringList(perms.ask),
    deny: stringList(perms.deny),
  };
  const defaultMode = typeof perms.defaultMode === 'string' ? perms.defaultMode : undefined;
  const local = file.path.endsWith('settings.local.json');
  const line = cfg.lineOfKey(['permissions']);
  ctx.inventory.permissionSources.push({
    kind: local ? 'claude-settings-local' : 'claude-settings',
    file: file.path,
    line,
    rules,
    defaultMode,
  });
  ctx.emit('permission.settings', file, line, {
    file: file.path,
    scope: local ? 'local' : 'project',
    allow: rules.allow.length,
    ask: rules.ask.length,
    deny: rules.deny.length,
    defaultMode: defaultMode ?? null,
    bypassDisabled: perms.disableBypassPermissionsMode === 'disable',
  });
  if (defaultMode)
    ctx.emit('permission.mode', file, cfg.lineOfKey(['permissions', 'defaultMode']), {
      mode: defaultMode,
      source: 'settings',
    });

  const parsed: Record<Effect, ParsedRule[]> = {
    allow: rules.allow.map(parseRule),
    ask: rules.ask.map(parseRule),
    deny: rules.deny.map(parseRule),
  };
  const blockers = [...parsed.deny, ...parsed.ask];
  for (const effect of EFFECTS) {
    parsed[effect].forEach((rule) => {
      const raw = rule.raw;
      const ruleLine = lineOfListItem(cfg, effect, raw);
      const why = deadReason(rule, effect);
      const by = effect === 'allow' ? blockers.find((b) => shadows(b, rule)) : undefined;
      ctx.emit('permission.rule', file, ruleLine, {
        effect,
        rule: raw,
        tool: rule.tool,
        blanket: effect === 'allow' && isBlanketAllow(rule),
        secretsPath: effect !== 'allow' && protectsSecrets(rule),
        dead: why !== undefined,
        shadowed: by !== undefined,
      });
      if (why) ctx.emit('permission.rule-dead', file, ruleLine, { effect, rule: raw, why });
      if (by) ctx.emit('permission.rule-shadowed', file, ruleLine, { rule: raw, by: by.raw });
    });
  }

  readHooks(ctx, cfg, asObject(doc.hooks));
}

/** The line of the i-th rule: the first occurrence of its quoted text after the list's key. */
function lineOfListItem(cfg: ParsedConfig, effect: Effect, raw: string): number {
  const keyLine = cfg.lineOfKey(['permissions', effect]);
  const lines = cfg.file.text.split('\n');
  const quoted = JSON.stringify(raw);
  for (let i = keyLine - 1; i < lines.length; i++) if (lines[i]!.includes(quoted)) return i + 1;
  return keyLine;
}

/** PreToolUse / PermissionRequest hooks with a handler are permission gates run by Claude Code. */
function readHooks(ctx: ProjectContext, cfg: ParsedConfig, hooks: Record<string, unknown> | undefined) {
  if (!hooks) return;
  for (const event of ['PreToolUse', 'PermissionRequest']) {
    const groups = Array.isArray(hooks[event]) ? (hooks[event] as unknown[]) : [];
    groups.forEach((g, i) => {
      const group = asObject(g);
      const handlers = Array.isArray(group?.hooks) ? (group.hooks as unknown[]).map(asObject) : [];
      const runnable = handlers.filter(
        (h) =>
          h &&
          typeof h.type === 'string' &&
          (typeof h.command === 'string' || typeof h.url === 'string' || h.type !== 'command'),
      );
      if (runnable.length === 0) return;
      ctx.emit('permission.gate', cfg.file, cfg.lineOfKey(['hooks', event]), {
        style: 'hook',
        event,
        matcher: typeof group?.matcher === 'string' ? group.matcher : '*',
        decisions: [],
        denyFirst: false,
        index: i,
      });
    });
  }
}

function readMcpJson(ctx: ProjectContext, cfg: ParsedConfig) {
  const servers = asObject(asObject(cfg.value)?.mcpServers);
  if (!servers) return;
  const line = cfg.lineOfKey(['mcpServers']);
  ctx.inventory.permissionSources.push({
    kind: 'mcp-config',
    file: cfg.file.path,
    line,
    detail: Object.keys(servers).join(', '),
  });
  for (const [name, raw] of Object.entries(servers)) {
    const server = asObject(raw) ?? {};
    const declared = typeof server.type === 'string' ? server.type : undefined;
    // `url` without `type` is a configuration error in Claude Code; stdio is the default otherwise.
    const type = declared ?? (typeof server.url === 'string' ? 'invalid' : 'stdio');
    ctx.emit('mcp.server', cfg.file, cfg.lineOfKey(['mcpServers', name]), { name, type });
  }
}

export const permissionSettingsDetector: Detector = {
  id: 'permission-settings',
  description:
    'permission.settings / permission.rule / permission.rule-dead / permission.rule-shadowed / permission.mode from .claude settings, hook gates, mcp.server from .mcp.json',
  project(ctx) {
    for (const cfg of ctx.configs()) {
      if (SETTINGS.test(cfg.file.path)) readSettings(ctx, cfg);
      else if (MCP_JSON.test(cfg.file.path)) readMcpJson(ctx, cfg);
    }
  },
};

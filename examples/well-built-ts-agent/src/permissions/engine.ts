import { isAbsolute, relative, resolve, sep } from 'node:path';

/**
 * The permission engine: a pure function from (rules, tool call, mode) to a decision. No I/O, no model,
 * no clock, so the same call always gets the same answer and the guardrail evals can replay it.
 *
 * Order: calls leaving the workspace are denied, then deny rules, then ask rules, then allow rules.
 * A deny anywhere beats an allow anywhere. Nothing matched means "ask" (or "deny" when nobody can be
 * asked).
 */

export type Decision = 'allow' | 'ask' | 'deny';

/** `default` asks a person when no rule decides; `dontAsk` is for unattended runs and denies instead. */
export type PermissionMode = 'default' | 'dontAsk';

/** Where a tool comes from. Tools we did not write get less benefit of the doubt. */
export type TrustTier = 'builtin' | 'plugin' | 'mcp';

export interface Rule {
  decision: Decision;
  /** Tool name, or a glob over tool names such as `mcp__github__*`. */
  tool: string;
  /** A path glob (`src/**`, `.env`) or `domain:<host>`; absent means every call of the tool. */
  specifier?: string;
  /** The rule as written, e.g. `read_file(.env)`. */
  text: string;
  /** The settings file it came from. */
  source: string;
}

export interface Policy {
  workspace: string;
  rules: readonly Rule[];
}

export interface ToolCall {
  tool: string;
  input: Readonly<Record<string, unknown>>;
}

export interface Verdict {
  decision: Decision;
  reason: string;
  /** The rule that decided, when one did. */
  rule?: string;
}

/**
 * Claude Code's names for the same kinds of tool, so a rule written for Claude Code in the shared settings
 * file (`Read(.env)`) protects this agent too.
 */
const CLAUDE_CODE_TOOLS: Readonly<Record<string, readonly string[]>> = {
  Read: ['read_file', 'search'],
  Edit: ['write_file'],
  WebFetch: ['fetch_url'],
};

export function tierOf(tool: string): TrustTier {
  if (tool.startsWith('mcp__')) return 'mcp';
  if (tool.includes(':')) return 'plugin';
  return 'builtin';
}

const RULE_SYNTAX = /^([A-Za-z0-9_*:-]+)(?:\((.*)\))?$/;

export function parseRule(text: string, decision: Decision, source: string): Rule {
  const match = RULE_SYNTAX.exec(text.trim());
  if (!match?.[1]) throw new Error(`${source}: cannot read permission rule "${text}"; write Tool or Tool(specifier)`);
  const specifier = match[2]?.trim();
  return {
    decision,
    tool: match[1],
    specifier: specifier === undefined || specifier === '' || specifier === '*' ? undefined : specifier,
    text: text.trim(),
    source,
  };
}

export function evaluate(policy: Policy, call: ToolCall, mode: PermissionMode): Verdict {
  const target = targetOf(call.input, policy.workspace);
  if (target?.kind === 'path' && target.outside)
    return { decision: 'deny', reason: `${target.raw} is outside the workspace` };

  const first = (decision: Decision) =>
    policy.rules.find((rule) => rule.decision === decision && matches(rule, call.tool, target));

  const deny = first('deny');
  if (deny) return { decision: 'deny', reason: `denied by ${deny.text} in ${deny.source}`, rule: deny.text };

  const ask = first('ask');
  if (ask) {
    if (mode === 'dontAsk')
      return { decision: 'deny', reason: `${ask.text} needs approval and nobody can be asked`, rule: ask.text };
    return { decision: 'ask', reason: `${ask.text} in ${ask.source} asks for approval`, rule: ask.text };
  }

  const allow = policy.rules.find(
    (rule) => rule.decision === 'allow' && matches(rule, call.tool, target) && trusts(rule, call.tool),
  );
  if (allow) return { decision: 'allow', reason: `allowed by ${allow.text} in ${allow.source}`, rule: allow.text };

  if (mode === 'dontAsk') return { decision: 'deny', reason: `no rule allows ${call.tool} and nobody can be asked` };
  return { decision: 'ask', reason: `no rule allows ${call.tool}` };
}

/** A wildcard allow must not quietly admit tools from plugins or MCP servers: those need their own rule. */
function trusts(rule: Rule, tool: string): boolean {
  return tierOf(tool) === 'builtin' || rule.tool === tool;
}

type Target = { kind: 'path'; raw: string; path: string; outside: boolean } | { kind: 'host'; host: string };

/** What a rule specifier is matched against: the call's path (relative to the workspace) or URL host. */
function targetOf(input: Readonly<Record<string, unknown>>, workspace: string): Target | undefined {
  const raw = input['path'] ?? input['file_path'];
  if (typeof raw === 'string') {
    const rel = relative(workspace, resolve(workspace, raw));
    return { kind: 'path', raw, path: rel.split(sep).join('/'), outside: rel.startsWith('..') || isAbsolute(rel) };
  }
  const url = input['url'];
  if (typeof url === 'string' && URL.canParse(url)) return { kind: 'host', host: new URL(url).hostname };
  return undefined;
}

function matches(rule: Rule, tool: string, target: Target | undefined): boolean {
  if (!globToRegExp(rule.tool, false).test(tool) && !CLAUDE_CODE_TOOLS[rule.tool]?.includes(tool)) return false;
  if (rule.specifier === undefined) return true;
  if (rule.specifier.startsWith('domain:'))
    return target?.kind === 'host' && hostMatches(rule.specifier.slice('domain:'.length), target.host);
  return target?.kind === 'path' && globToRegExp(rule.specifier, true).test(target.path);
}

function hostMatches(pattern: string, host: string): boolean {
  const p = pattern.toLowerCase().replace(/\.$/, '');
  const h = host.toLowerCase().replace(/\.$/, '');
  if (p === '*') return true;
  if (p.startsWith('*.')) return h.endsWith(p.slice(1));
  return h === p;
}

/**
 * Gitignore-style globs: `*` stays within a path segment, `**` crosses segments, and a path pattern
 * without a slash matches at any depth (`.env` also matches `config/.env`). A pattern also covers
 * everything below a matching folder.
 */
function globToRegExp(glob: string, isPath: boolean): RegExp {
  const pattern = glob.replace(/^\.\//, '').replace(/^\//, '');
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern.charAt(i);
    if (c === '*' && pattern.charAt(i + 1) === '*') {
      const slash = pattern.charAt(i + 2) === '/';
      source += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else source += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  if (!isPath) return new RegExp(`^${source}$`);
  const anyDepth = !glob.replace(/^\.\//, '').includes('/');
  return new RegExp(`^${anyDepth ? '(?:.*/)?' : ''}${source}(?:/.*)?$`);
}

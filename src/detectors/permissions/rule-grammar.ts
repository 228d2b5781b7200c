/**
 * Static reading of Claude Code permission rules (`Tool` / `Tool(specifier)`), enough to lint a settings
 * file: which rules are blanket grants, which protect secrets, which can never apply, which are shadowed.
 * The grammar and the dead-rule cases follow reference spec §1.3–1.7.
 */

export type Effect = 'allow' | 'ask' | 'deny';

export interface ParsedRule {
  raw: string;
  tool: string;
  /** Text between the parentheses; undefined for a bare tool name. */
  specifier?: string;
  malformed: boolean;
}

const RULE = /^([A-Za-z0-9_*.-]+)(?:\((.*)\))?$/s;

export function parseRule(raw: string): ParsedRule {
  const text = raw.trim();
  const m = RULE.exec(text);
  if (!m || text === '') return { raw, tool: text.split('(')[0] ?? '', malformed: true };
  const specifier = m[2];
  // Parentheses inside the specifier must balance, or the rule was cut or mistyped.
  let depth = 0;
  for (const ch of specifier ?? '') {
    if (ch === '(') depth++;
    else if (ch === ')' && --depth < 0) break;
  }
  return { raw, tool: m[1]!, specifier, malformed: depth !== 0 || specifier?.trim() === '' };
}

const SHELL_TOOLS = new Set(['Bash', 'PowerShell', 'Monitor']);
const WRITE_TOOLS = new Set(['Write', 'Edit', 'MultiEdit', 'NotebookEdit']);
const WHOLE_SPECIFIERS = new Set(['*', '**', '* *', '//**', '/**', '**/*', '~/**', './**']);
const INTERPRETERS =
  /^(?:sh|bash|zsh|fish|python3?|node|deno|bun|ruby|perl|sudo|eval|env|xargs)(?::\*| \*|\*)$/;

/** An allow rule that grants a whole shell or write tool, every tool, or every MCP server. */
export function isBlanketAllow(rule: ParsedRule): boolean {
  if (rule.malformed) return false;
  if (rule.tool === '*' || rule.tool === 'mcp__*') return true;
  if (!SHELL_TOOLS.has(rule.tool) && !WRITE_TOOLS.has(rule.tool)) return false;
  if (rule.specifier === undefined) return true;
  const spec = rule.specifier.trim();
  if (WHOLE_SPECIFIERS.has(spec)) return true;
  return SHELL_TOOLS.has(rule.tool) && INTERPRETERS.test(spec);
}

const SECRET_PATH =
  /(^|[/*])\.env(\b|\*|$)|secret|\.pem\b|\.key\b|id_rsa|id_ed25519|id_ecdsa|credential|\.ssh\b|\.aws\b|\.gnupg|\.npmrc|\.netrc|\.kube\/config/i;

/** A deny/ask rule on a file tool for a secrets path (`.env`, keys, credentials, ~/.ssh, ~/.aws). */
export function protectsSecrets(rule: ParsedRule): boolean {
  if (rule.malformed || rule.specifier === undefined) return false;
  if (!['Read', 'Edit', 'Write', 'Grep', 'Glob'].includes(rule.tool)) return false;
  return SECRET_PATH.test(rule.specifier);
}

const NEVER_CONSULTED_PATH_TOOLS = new Set(['Write', 'MultiEdit', 'NotebookEdit', 'Glob']);

/** Why a rule can never take effect, or undefined when it can. */
export function deadReason(rule: ParsedRule, effect: Effect): string | undefined {
  if (rule.malformed) return 'malformed rule: expected Tool or Tool(specifier)';
  if (rule.tool === 'Task') return 'the Task tool was renamed Agent; Task(...) rules never match';
  if (NEVER_CONSULTED_PATH_TOOLS.has(rule.tool) && rule.specifier !== undefined)
    return `${rule.tool}(path) rules are never consulted; use ${rule.tool === 'Glob' ? 'Read' : 'Edit'}(path)`;
  if (rule.tool === 'WebSearch' && rule.specifier !== undefined) return 'WebSearch takes no specifier';
  if (effect === 'allow' && rule.tool.includes('*') && !/^mcp__[^*]+__/.test(rule.tool))
    return 'unanchored tool-name globs in allow rules are skipped';
  if (SHELL_TOOLS.has(rule.tool) && rule.specifier && /:\*./.test(rule.specifier))
    return 'the legacy :* suffix is only recognised at the end; here it is a literal colon';
  return undefined;
}

/** Does a deny/ask rule cover every call an allow rule could approve? Only certain cases are claimed. */
export function shadows(blocker: ParsedRule, allow: ParsedRule): boolean {
  if (blocker.malformed || allow.malformed) return false;
  if (blocker.raw.trim() === allow.raw.trim()) return true;
  const whole = blocker.specifier === undefined || blocker.specifier.trim() === '*';
  if (blocker.tool === '*' && whole) return true;
  if (blocker.tool === allow.tool && whole) return true;
  if (blocker.tool === 'mcp__*' && allow.tool.startsWith('mcp__')) return true;
  // `mcp__server` and `mcp__server__*` cover every tool of that server.
  const server = /^mcp__([^_*]+(?:_[^_*]+)*)(?:__\*)?$/.exec(blocker.tool)?.[1];
  if (server && blocker.specifier === undefined && allow.tool.startsWith(`mcp__${server}__`)) return true;
  return false;
}

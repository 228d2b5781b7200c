/** A permission rule as written in a settings file, with where it came from. */
export interface Rule {
  raw: string;
  effect: 'allow' | 'ask' | 'deny';
  tool: string;
  /** The part in parentheses; undefined for a bare tool name. */
  specifier?: string;
  source: RuleSource;
}

export type SourceScope = 'managed' | 'cli' | 'local' | 'project' | 'user';

export interface RuleSource {
  scope: SourceScope;
  /** Path as shown to the user (relative to the project when inside it). */
  file: string;
  /** 1-based line of the rule in the file, when known. */
  line?: number;
  /** Folder that `/path` anchors resolve against (§1.5): project root, cwd, ~/.claude, or the file's folder. */
  anchorDir: string;
}

/** `Tool` or `Tool(specifier)`. Returns undefined for text that is not a rule at all. */
export function parseRule(raw: string): { tool: string; specifier?: string } | undefined {
  const text = raw.trim();
  const m = /^([^()\s]+)(?:\((.*)\))?$/s.exec(text);
  if (!m) return undefined;
  const tool = m[1]!;
  const specifier = m[2];
  if (specifier === undefined) return { tool };
  return { tool, specifier: specifier === '*' && tool !== 'Bash' ? undefined : specifier };
}

/** `mcp__server__tool` split; `mcp__server` alone means every tool of that server. */
export function mcpParts(name: string): { server: string; tool?: string } | undefined {
  if (!name.startsWith('mcp__')) return undefined;
  const rest = name.slice(5);
  const i = rest.indexOf('__');
  if (i < 0) return { server: rest };
  return { server: rest.slice(0, i), tool: rest.slice(i + 2) };
}

/** Tool names that Bash-style specifiers apply to. */
export const SHELL_TOOLS = new Set(['Bash', 'Monitor']);
/** Tools whose calls are file reads for `Read(...)` rules. */
export const READ_TOOLS = new Set(['Read', 'Grep', 'Glob', 'LS', 'NotebookRead', 'LSP']);
/** Tools whose calls are file writes for `Edit(...)` rules. */
export const EDIT_TOOLS = new Set(['Edit', 'Write', 'MultiEdit', 'NotebookEdit']);

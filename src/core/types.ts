/**
 * Shared contracts of the audit engine. Detectors, rubric evaluation and formatters all meet here;
 * change these shapes only additively.
 */

export type Language = 'typescript' | 'tsx' | 'javascript' | 'python';
export type ConfigFormat = 'json' | 'jsonc' | 'yaml' | 'toml';

/**
 * Why a file is in the project. Only `source` is evidence of the project's own harness by default;
 * `test`, `example` and `script` are secondary paths (they make a criterion `partial` at most, unless a
 * criterion asks for them, as verification does); `fixture`, `vendored` and `generated` are never evidence.
 */
export type FileRole =
  | 'source'
  | 'test'
  | 'eval'
  | 'example'
  | 'script'
  | 'ci'
  | 'config'
  | 'docs'
  | 'fixture'
  | 'vendored'
  | 'generated';

export const PRIMARY_ROLES: readonly FileRole[] = ['source', 'config'];
export const SECONDARY_ROLES: readonly FileRole[] = ['test', 'example', 'script'];
export const NEVER_EVIDENCE_ROLES: readonly FileRole[] = ['fixture', 'vendored', 'generated', 'docs'];

export interface ProjectFile {
  /** Path relative to the target, POSIX separators. */
  path: string;
  /** Absolute path on disk. */
  abs: string;
  size: number;
  role: FileRole;
  language?: Language;
  configFormat?: ConfigFormat;
  /** UTF-8 text with a leading BOM removed; line endings untouched (ast-grep handles CRLF). */
  text: string;
}

export type SkipReason =
  | 'binary'
  | 'too-large'
  | 'unreadable'
  | 'invalid-utf8'
  | 'symlink-outside-target'
  | 'symlink-loop'
  | 'minified'
  | 'parse-error'
  | 'syntax-errors'
  | 'detector-error';

export interface SkippedFile {
  path: string;
  reason: SkipReason;
  detail?: string;
}

export interface Location {
  file: string;
  line: number;
  column?: number;
}

export type FactValue = string | number | boolean | null | string[];

/**
 * One structural observation about the project. Facts are what rubric criteria evaluate; a fact is never
 * produced from a comment, a string in documentation or a bare keyword.
 */
export interface Fact extends Location {
  /** Dotted kind, `<area>.<what>`, e.g. `tool.definition`, `permission.gate`, `session.append`. */
  kind: string;
  role: FileRole;
  detector: string;
  data: Record<string, FactValue>;
}

export type Capability = 'read' | 'write' | 'exec' | 'network' | 'destructive';

export interface ToolParameter {
  name: string;
  type?: string;
  description?: string;
  required: boolean;
}

export interface ToolInfo extends Location {
  name: string;
  description?: string;
  framework: string;
  /** How the input schema is declared: json-schema, zod, pydantic, signature (typed params), none. */
  schema: 'json-schema' | 'zod' | 'pydantic' | 'signature' | 'none';
  parameters: ToolParameter[];
  capabilities: Capability[];
  role: FileRole;
}

export interface PermissionRules {
  allow: string[];
  ask: string[];
  deny: string[];
}

export interface PermissionSource extends Location {
  kind: 'claude-settings' | 'claude-settings-local' | 'mcp-config' | 'sub-agent' | 'code-gate' | 'sdk-option';
  rules?: PermissionRules;
  defaultMode?: string;
  detail?: string;
}

export interface StoreInfo extends Location {
  kind: 'transcript' | 'state' | 'ledger' | 'checkpoint' | 'log';
  /** Write discipline seen at this store: append, atomic-rename, fsync, lock, versioned, overwrite. */
  discipline: string[];
}

export interface FrameworkInfo {
  id: string;
  language: 'typescript' | 'python';
  evidence: Location[];
}

export interface Inventory {
  tools: ToolInfo[];
  permissionSources: PermissionSource[];
  stores: StoreInfo[];
}

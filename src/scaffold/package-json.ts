import { UsageError } from '../core/errors.js';
import { parseJsonDocument } from '../core/source-map.js';

export interface PackageAdditions {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  scripts?: Record<string, string>;
}

export interface MergeResult {
  text: string;
  /** `dependencies.zod@^4.1.0`, `scripts.test` … — what was added; empty when nothing changed. */
  added: string[];
}

const SECTIONS = ['dependencies', 'devDependencies', 'scripts'] as const;
const DEP_SECTIONS = ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'];

/** The indentation unit of a JSON text: the leading whitespace of its first indented line (2 spaces when flat). */
function indentOf(text: string): string {
  return /\n([ \t]+)\S/.exec(text)?.[1] ?? '  ';
}

const isSorted = (keys: string[]) => keys.every((k, i) => i === 0 || keys[i - 1]!.localeCompare(k) <= 0);

/**
 * Adds what is missing to a package.json text: a dependency already listed in any dependency section keeps
 * its version and section; a script with the same name is left alone. The result keeps the file's key
 * order, indentation and final newline; a section that was sorted stays sorted.
 */
export function mergePackageJson(
  text: string,
  additions: PackageAdditions,
  file = 'package.json',
): MergeResult {
  const parsed = parseJsonDocument(text);
  if (!parsed.ok)
    throw new UsageError(`${file}:${parsed.error.line}:${parsed.error.col}: ${parsed.error.message}`, {
      file,
      hint: 'fix package.json first; plumbline adds the dependencies generated code needs to it',
    });
  const pkg = parsed.doc.value;
  if (pkg === null || typeof pkg !== 'object' || Array.isArray(pkg))
    throw new UsageError(`${file} is not a JSON object`, { file });
  const obj = pkg as Record<string, unknown>;
  const listed = new Set(
    DEP_SECTIONS.flatMap((s) =>
      obj[s] && typeof obj[s] === 'object' ? Object.keys(obj[s] as Record<string, unknown>) : [],
    ),
  );
  const added: string[] = [];
  for (const section of SECTIONS) {
    const wanted = Object.entries(additions[section] ?? {});
    const current = (obj[section] && typeof obj[section] === 'object' ? obj[section] : {}) as Record<
      string,
      string
    >;
    const missing = wanted.filter(([name]) =>
      section === 'scripts' ? !(name in current) : !listed.has(name),
    );
    if (missing.length === 0) continue;
    const sorted = section !== 'scripts' && isSorted(Object.keys(current));
    const next: Record<string, string> = { ...current };
    for (const [name, value] of missing) {
      next[name] = value;
      added.push(section === 'scripts' ? `scripts.${name}` : `${section}.${name}@${value}`);
    }
    obj[section] = sorted
      ? Object.fromEntries(Object.entries(next).sort(([a], [b]) => a.localeCompare(b)))
      : next;
  }
  if (added.length === 0) return { text, added };
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  let out = JSON.stringify(obj, null, indentOf(text));
  if (eol !== '\n') out = out.replace(/\n/g, eol);
  if (/\r?\n$/.test(text)) out += eol;
  return { text: out, added };
}

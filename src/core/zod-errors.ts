import type { z } from 'zod';
import { closest } from './did-you-mean.js';
import { UsageError } from './errors.js';
import type { LocatedDocument, PathKey, Position, SyntaxProblem } from './source-map.js';

/** One thing wrong in a config or rubric file, located in the file. */
export interface LocatedIssue extends Position {
  message: string;
  hint?: string;
}

// zod 4 exposes its schema tree through `_zod.def`; we only read it to explain errors.
interface SchemaDef {
  type: string;
  shape?: Record<string, AnySchema>;
  element?: AnySchema;
  valueType?: AnySchema;
  options?: AnySchema[];
  innerType?: AnySchema;
  in?: AnySchema;
  getter?: () => AnySchema;
  entries?: Record<string, unknown>;
  values?: unknown[];
}
interface AnySchema {
  _zod: { def: SchemaDef; optin?: string };
  safeParse(value: unknown): { success: boolean; error?: { issues: ZodIssue[] } };
}
interface ZodIssue {
  code: string;
  path: PathKey[];
  message: string;
  keys?: string[];
  values?: unknown[];
  expected?: string;
  minimum?: number | bigint;
  origin?: string;
}

const WRAPPERS = new Set(['optional', 'default', 'nullable', 'readonly', 'catch', 'prefault', 'nonoptional']);

function unwrap(s: AnySchema): AnySchema {
  let cur = s;
  for (let i = 0; i < 20; i++) {
    const def = cur._zod.def;
    if (def.type === 'lazy' && def.getter) cur = def.getter();
    else if (WRAPPERS.has(def.type) && def.innerType) cur = def.innerType;
    else if (def.type === 'pipe' && def.in) cur = def.in;
    else break;
  }
  return cur;
}

/** The schema that validates the value at `path`; at a union, the branch the value most likely meant. */
function schemaAt(
  schema: AnySchema,
  path: readonly PathKey[],
  root: unknown,
  pickLast = true,
): AnySchema | undefined {
  let cur: AnySchema | undefined = unwrap(schema);
  let value = root;
  const pickBranch = (s: AnySchema | undefined, v: unknown) => {
    let out = s;
    for (let i = 0; out && out._zod.def.type === 'union' && i < 10; i++) {
      const options = out._zod.def.options ?? [];
      const picked = likelyOption(options, v);
      if (!picked) return out;
      out = unwrap(picked);
    }
    return out;
  };
  for (const seg of path) {
    cur = pickBranch(cur, value);
    if (!cur) return undefined;
    const def: SchemaDef = cur._zod.def;
    if (def.type === 'object') cur = def.shape?.[String(seg)];
    else if (def.type === 'array') cur = def.element;
    else if (def.type === 'record') cur = def.valueType;
    else if (def.type === 'union')
      cur = def.options
        ?.map(unwrap)
        .find((o) => o._zod.def.type === 'object' && o._zod.def.shape?.[String(seg)]);
    else return undefined;
    if (cur) cur = unwrap(cur);
    value =
      value !== null && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[seg] : undefined;
  }
  return pickLast ? pickBranch(cur, value) : cur;
}

function valueAt(value: unknown, path: readonly PathKey[]): unknown {
  let cur = value;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[seg];
  }
  return cur;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `the string "${v.length > 40 ? `${v.slice(0, 40)}…` : v}"`;
  return `${typeof v === 'number' ? 'the number' : 'the value'} ${String(v)}`;
}

const EXPECTED: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping',
  record: 'a mapping',
  null: 'null',
};

/** A path as people write it: `criteria[2].pass.all[0]`. */
export function pathLabel(path: readonly PathKey[]): string {
  let out = '';
  for (const seg of path) {
    const key = String(seg);
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (!/^[\w-]+$/.test(key)) out += `[${JSON.stringify(key)}]`;
    else out += out ? `.${key}` : key;
  }
  return out || '(top level)';
}

function requiredKeys(obj: AnySchema): string[] {
  return Object.entries(obj._zod.def.shape ?? {})
    .filter(([, s]) => s._zod.optin === undefined)
    .map(([k]) => k);
}

function matchesBaseType(option: AnySchema, v: unknown): boolean {
  const def = unwrap(option)._zod.def;
  switch (def.type) {
    case 'union':
      return (def.options ?? []).some((o) => matchesBaseType(o, v));
    case 'object':
    case 'record':
      return isPlainObject(v);
    case 'array':
      return Array.isArray(v);
    case 'null':
      return v === null;
    case 'enum':
    case 'string':
      return typeof v === 'string';
    case 'literal':
      return (def.values ?? []).includes(v);
    default:
      return typeof v === def.type;
  }
}

/** Picks the branch of a union the author most likely meant, or undefined when it cannot tell. */
function likelyOption(options: AnySchema[], v: unknown): AnySchema | undefined {
  const typed = options.filter((o) => matchesBaseType(o, v));
  if (!isPlainObject(v)) return typed.length === 1 ? typed[0] : undefined;
  const objects = typed.map(unwrap).filter((o) => o._zod.def.type === 'object');
  const keys = Object.keys(v);
  let best: AnySchema | undefined;
  let bestScore = Number.NEGATIVE_INFINITY;
  let tie = false;
  for (const o of objects) {
    const shape = o._zod.def.shape ?? {};
    const known = keys.filter((k) => k in shape).length;
    const unknown = keys.length - known;
    const missing = requiredKeys(o).filter((k) => !(k in v)).length;
    const score = 2 * known - unknown - missing;
    if (score > bestScore) {
      best = o;
      bestScore = score;
      tie = false;
    } else if (score === bestScore) tie = true;
  }
  if (!tie) return best;
  return objects.length === 1 ? objects[0] : undefined;
}

function describeUnion(options: AnySchema[]): string {
  const parts = options.map(unwrap).map((o) => {
    const def = o._zod.def;
    if (def.type === 'object')
      return `a mapping with "${requiredKeys(o)[0] ?? Object.keys(def.shape ?? {})[0]}"`;
    if (def.type === 'union') return describeUnion(def.options ?? []);
    return EXPECTED[def.type] ?? def.type;
  });
  return parts.length > 1
    ? `${parts.slice(0, -1).join(', ')} or ${parts[parts.length - 1]}`
    : (parts[0] ?? '?');
}

function allowedList(values: readonly unknown[]): string {
  return values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ');
}

function describeIssue(
  schema: AnySchema,
  root: unknown,
  issue: ZodIssue,
  base: readonly PathKey[],
  doc: LocatedDocument,
  out: LocatedIssue[],
): void {
  const full = [...base, ...issue.path];
  const value = valueAt(root, issue.path);
  const here = pathLabel(full);
  const last = full[full.length - 1];
  const name = last === undefined ? 'the document' : typeof last === 'number' ? here : `"${String(last)}"`;
  switch (issue.code) {
    case 'unrecognized_keys': {
      const obj = schemaAt(schema, issue.path, root);
      const allowed = Object.keys(obj?._zod.def.shape ?? {});
      for (const key of issue.keys ?? []) {
        const guess = closest(key, allowed);
        out.push({
          ...doc.positionOf([...full, key], true),
          message: `unknown key "${key}" in ${here}`,
          hint: `${guess ? `did you mean "${guess}"? ` : ''}allowed keys: ${allowed.join(', ')}`,
        });
      }
      return;
    }
    case 'invalid_union': {
      const union = schemaAt(schema, issue.path, root, false);
      const options = union?._zod.def.type === 'union' ? (union._zod.def.options ?? []) : [];
      const chosen = likelyOption(options, value);
      const sub = chosen?.safeParse(value);
      if (chosen && sub && !sub.success && sub.error) {
        for (const i of sub.error.issues) describeIssue(chosen, value, i, full, doc, out);
        return;
      }
      const starters = options
        .map(unwrap)
        .filter((o) => o._zod.def.type === 'object')
        .map((o) => requiredKeys(o)[0])
        .filter((k): k is string => !!k);
      out.push({
        ...doc.positionOf(full),
        message: `${here} must be ${describeUnion(options)}, not ${typeName(value)}`,
        hint:
          starters.length > 1 && isPlainObject(value)
            ? `use exactly one of the keys: ${starters.join(', ')}`
            : undefined,
      });
      return;
    }
    case 'invalid_type': {
      const expected = EXPECTED[issue.expected ?? ''] ?? issue.expected ?? 'another type';
      if (value === undefined && typeof last === 'string') {
        out.push({
          ...doc.positionOf(full.slice(0, -1)),
          message: `missing required key "${last}" in ${pathLabel(full.slice(0, -1))}`,
          hint: `add "${last}" (${expected})`,
        });
      } else {
        out.push({ ...doc.positionOf(full), message: `${here} must be ${expected}, not ${typeName(value)}` });
      }
      return;
    }
    case 'invalid_value': {
      const values = issue.values ?? [];
      const guess = typeof value === 'string' ? closest(value, values.map(String)) : undefined;
      out.push({
        ...doc.positionOf(full),
        message: `${name} is ${typeName(value)}, which is not allowed here`,
        hint: `${guess ? `did you mean "${guess}"? ` : ''}allowed values: ${allowedList(values)}`,
      });
      return;
    }
    case 'too_small': {
      const custom = !issue.message.startsWith('Too small');
      const empty =
        !custom && (issue.origin === 'string' || issue.origin === 'array') && Number(issue.minimum) === 1
          ? `${name} must not be empty`
          : `${name}: ${issue.message.replace(/^Too small: /, '')}`;
      out.push({ ...doc.positionOf(full), message: empty });
      return;
    }
    default:
      out.push({
        ...doc.positionOf(full),
        message: `${name}: ${issue.message.replace(/^Invalid input: /, '')}`,
      });
  }
}

/** Validates `doc.value` with `schema`; returns the parsed value or every problem, located. */
export function validateLocated<S extends z.ZodType>(
  schema: S,
  doc: LocatedDocument,
): { ok: true; value: z.infer<S> } | { ok: false; issues: LocatedIssue[] } {
  const result = schema.safeParse(doc.value);
  if (result.success) return { ok: true, value: result.data };
  const out: LocatedIssue[] = [];
  for (const issue of result.error.issues as unknown as ZodIssue[])
    describeIssue(schema as unknown as AnySchema, doc.value, issue, [], doc, out);
  out.sort((a, b) => a.line - b.line || a.col - b.col);
  return { ok: false, issues: out };
}

/** `file:line:col: message`, one line. */
export function formatIssue(file: string, issue: LocatedIssue): string {
  return `${file}:${issue.line}:${issue.col}: ${issue.message}`;
}

const MAX_SHOWN = 10;

/** An issue and the file it is in (display path). */
export interface FileIssue extends LocatedIssue {
  file: string;
}

/** A UsageError listing every issue (of one or several files), each with its hint. */
export function issuesError(issues: readonly FileIssue[]): UsageError {
  const first = issues[0];
  if (!first) return new UsageError('invalid input');
  const files = [...new Set(issues.map((i) => i.file))];
  if (issues.length === 1)
    return new UsageError(formatIssue(first.file, first), { hint: first.hint, file: first.file });
  const lines = issues
    .slice(0, MAX_SHOWN)
    .map((i) => `${formatIssue(i.file, i)}${i.hint ? `\n  hint: ${i.hint}` : ''}`);
  if (issues.length > MAX_SHOWN) lines.push(`… and ${issues.length - MAX_SHOWN} more`);
  const where = files.length === 1 ? first.file : `${files.length} files`;
  return new UsageError(`${issues.length} problems in ${where}:\n${lines.join('\n')}`, {
    file: files.length === 1 ? first.file : undefined,
  });
}

/** Attaches the file's display path to each issue. */
export const inFile = (file: string, issues: readonly LocatedIssue[]): FileIssue[] =>
  issues.map((i) => ({ ...i, file }));

export function syntaxError(file: string, problem: SyntaxProblem, kind: string): UsageError {
  return new UsageError(`${file}:${problem.line}:${problem.col}: ${kind} syntax error: ${problem.message}`, {
    file,
    hint: 'fix the syntax at that position; the file was not used',
  });
}

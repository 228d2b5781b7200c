import {
  findNodeAtLocation,
  getNodeValue,
  type Node as JsonNode,
  type ParseError,
  parseTree,
  printParseErrorCode,
} from 'jsonc-parser';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';

/** 1-based line and column. */
export interface Position {
  line: number;
  col: number;
}

export type PathKey = PropertyKey;

/**
 * A parsed JSON or YAML document that still knows where each value came from, so validation errors can
 * point at `file:line:col` instead of a bare path.
 */
export interface LocatedDocument {
  value: unknown;
  /**
   * Where the value at `path` starts (its key, when `key` is set and the parent is a mapping). When the path
   * does not exist — a missing key — the position of the deepest ancestor that does.
   */
  positionOf(path: readonly PathKey[], key?: boolean): Position;
}

export interface SyntaxProblem extends Position {
  message: string;
}

export type ParseOutcome = { ok: true; doc: LocatedDocument } | { ok: false; error: SyntaxProblem };

export function parseYamlDocument(text: string): ParseOutcome {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const err = doc.errors[0];
  if (err) {
    const pos = err.linePos?.[0] ?? { line: 1, col: 1 };
    const message = (err.message.split('\n')[0] ?? 'invalid YAML').replace(/ at line \d+, column \d+:?$/, '');
    return { ok: false, error: { line: pos.line, col: pos.col, message } };
  }
  const at = (offset: number | undefined): Position => {
    if (offset === undefined) return { line: 1, col: 1 };
    const p = lineCounter.linePos(offset);
    return { line: p.line, col: p.col };
  };
  return {
    ok: true,
    doc: {
      value: doc.toJS(),
      positionOf(path, key = false) {
        let node: unknown = doc.contents;
        let pos = at((node as { range?: [number] } | null)?.range?.[0]);
        for (let i = 0; i < path.length; i++) {
          const seg = path[i];
          const last = i === path.length - 1;
          if (isMap(node)) {
            const pair = node.items.find(
              (p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg),
            );
            if (!pair) break;
            const keyNode = pair.key as { range?: [number] } | null;
            const valueNode = pair.value as { range?: [number] } | null;
            pos = at(
              (last && key ? keyNode?.range?.[0] : (valueNode?.range?.[0] ?? keyNode?.range?.[0])) ??
                undefined,
            );
            node = pair.value;
          } else if (isSeq(node) && typeof seg === 'number') {
            const item = node.items[seg] as { range?: [number] } | undefined;
            if (!item) break;
            pos = at(item.range?.[0]);
            node = item;
          } else break;
        }
        return pos;
      },
    },
  };
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

function positionAt(starts: number[], offset: number): Position {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, col: offset - starts[lo]! + 1 };
}

/** JSON with comments and trailing commas tolerated (a config file is written by hand). */
export function parseJsonDocument(text: string): ParseOutcome {
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  const starts = lineStarts(text);
  const first = errors[0];
  if (first || !root) {
    const pos = positionAt(starts, first?.offset ?? 0);
    return {
      ok: false,
      error: { ...pos, message: first ? printParseErrorCode(first.error) : 'empty document' },
    };
  }
  return {
    ok: true,
    doc: {
      value: getNodeValue(root),
      positionOf(path, key = false) {
        for (let n = path.length; n >= 0; n--) {
          const node: JsonNode | undefined = findNodeAtLocation(
            root,
            path.slice(0, n) as (string | number)[],
          );
          if (!node) continue;
          const keyNode = node.parent?.type === 'property' ? node.parent.children?.[0] : undefined;
          const target = (key && n === path.length) || n < path.length ? (keyNode ?? node) : node;
          return positionAt(starts, target.offset);
        }
        return { line: 1, col: 1 };
      },
    },
  };
}

/** The document seen from one of its sub-values (`package.json#plumbline`). */
export function subDocument(doc: LocatedDocument, prefix: readonly PathKey[]): LocatedDocument {
  let value: unknown = doc.value;
  for (const k of prefix) value = (value as Record<PropertyKey, unknown> | undefined)?.[k];
  return { value, positionOf: (path, key) => doc.positionOf([...prefix, ...path], key) };
}

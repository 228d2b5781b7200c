import type { SgNode } from '@ast-grep/napi';
import { endOf, startOf } from './syntax.js';

/**
 * Where a fixed list of plain names occurs in a file's text, in one regex pass: many `includes` or
 * `indexOf` calls over the same text cost about ten times as much as one alternation.
 */
export interface NameScan {
  /** Offsets at which some name of the list starts, ascending. */
  starts: number[];
  /**
   * The names that occur in the text, in list order. A rule whose regex is an alternation of names, tested
   * on a node's text, matches the same nodes with the alternation narrowed to these (a node's text is part
   * of the file's text), and a short alternation is much cheaper for ast-grep to compile.
   */
  present: string[];
}

export interface NameScanner {
  scan(text: string): NameScan;
}

export function nameScanner(names: readonly string[]): NameScanner {
  // Longest first: where several names start at one offset, the longest is found, and the others there
  // are its prefixes, hence its substrings, which `covers` accounts for.
  const ordered = [...names].sort((a, b) => b.length - a.length);
  const re = new RegExp(ordered.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
  const covers = names.map((n) => names.filter((m) => m.includes(n)));
  return {
    scan(text) {
      const starts: number[] = [];
      const found = new Set<string>();
      re.lastIndex = 0;
      // Every offset is tried: the next search starts one past the last match.
      for (let m = re.exec(text); m; m = re.exec(text)) {
        starts.push(m.index);
        found.add(m[0]);
        re.lastIndex = m.index + 1;
      }
      const present = found.size === 0 ? [] : names.filter((_, i) => covers[i]!.some((m) => found.has(m)));
      return { starts, present };
    },
  };
}

/** Start and end offsets of every match of `re` (global) in `text`, by start; overlapping ones too. */
export function spans(text: string, re: RegExp): [number, number][] {
  const out: [number, number][] = [];
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    out.push([m.index, m.index + m[0].length]);
    re.lastIndex = m.index + 1;
  }
  return out;
}

/**
 * Whether some span lies within the node's range: a node whose text must hold a match (a child spelt so)
 * and has none is not read.
 */
export function spansWithin(list: readonly [number, number][], node: SgNode): boolean {
  if (list.length === 0) return false;
  const start = startOf(node);
  const end = endOf(node);
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]![0] < start) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo; i < list.length && list[i]![0] < end; i++) if (list[i]![1] <= end) return true;
  return false;
}

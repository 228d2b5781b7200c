/**
 * Where a fixed list of plain names occurs in a file's text, in one regex pass: many `includes` or
 * `indexOf` calls over the same text cost about ten times as much as one alternation.
 */
export interface NameScan {
  /** Offsets at which some name of the list starts, ascending. */
  starts: number[];
  /** The names that occur in the text, in list order: `namesIn(text, names)` of `syntax.ts`. */
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

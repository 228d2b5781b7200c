import type { Rule, SgNode } from '@ast-grep/napi';
import type { ParsedSource } from '../../core/parse-source.js';
import { cachedRegex } from '../../core/regex-cache.js';
import { caselessRegex } from './string-texts.js';
import {
  boundedPattern,
  calleeOf,
  escapeRegex,
  identChar,
  type NamePattern,
  namesEndingIn,
} from './syntax.js';

/**
 * Calls kept whatever their name: the native rule (for the query) and the same test in JS (to tell which
 * group a candidate of a shared query belongs to). Both must accept exactly the same calls.
 */
export interface CallRule {
  rule: Rule;
  test(call: SgNode): boolean;
}

/**
 * A name pattern with, optionally, a cheaper Rust regex for the query that matches wherever `rust` does
 * (a literal alternation of the pattern's heads, say).
 */
export interface GroupPattern extends NamePattern {
  native?: string;
}

/** One loop's question: calls named one of `names` or matching one of `patterns` whole, and those `also` keeps. */
export interface CallGroup {
  names: readonly string[];
  patterns?: readonly GroupPattern[];
  also?: readonly CallRule[];
  /**
   * The loop acts only on calls whose `calleeName` is one of `names` or matches one of `patterns` whole (and
   * on those `also` keeps): a name is then asked for only where the text has it as a call's last name can
   * be, before the arguments. The group's list may then miss calls that only mention a name elsewhere in
   * their callee (`log.write` for `log`).
   */
  calledOnly?: boolean;
  /** With `calledOnly`: whether the branches a found name reaches can act in this file (asked lazily). */
  keep?: (name: string) => boolean;
}

/** A callee that is not a plain identifier or member/attribute access (its call's name may be ''), natively and in JS. */
export function oddCalleeRule(python: boolean): CallRule {
  const plain = python ? ['identifier', 'attribute'] : ['identifier', 'member_expression'];
  return {
    rule: { has: { field: 'function', regex: '', not: { any: plain.map((kind) => ({ kind })) } } },
    test: (call) => {
      const fn = calleeOf(call);
      return fn !== null && !plain.includes(String(fn.kind()));
    },
  };
}

/** Calls whose argument list's text has a match of every regex (`has: {field: 'arguments', all: …}`). */
export function argumentsRule(...regexes: string[]): CallRule {
  const js = regexes.map((r) => new RegExp(r));
  return {
    rule: {
      has:
        regexes.length === 1
          ? { field: 'arguments', regex: regexes[0] as string }
          : { field: 'arguments', all: regexes.map((regex) => ({ regex })) },
    },
    test: (call) => {
      const text = call.field('arguments')?.text();
      return text !== undefined && js.every((re) => re.test(text));
    },
  };
}

/**
 * What may follow a call's last name in the text: `!` and `)` (`a.b!`, `(a.b)`), blanks and comments, then
 * the arguments, type arguments, `?.(`, a tagged template or a Python line continuation. Never an
 * identifier character, so at most one name of a list so occurs at a position. Before the name, as before
 * any identifier token, is no identifier character: `\b` says so of `\w`, which is Python's ASCII
 * identifier characters and JS's but `$` (a looser test, and far faster than a lookbehind).
 */
const BEFORE_ARGUMENTS = '(?=[\\s!)]*[(<`?/\\\\#])';
const calledRegex = (source: string, flags: string) =>
  caselessRegex(new RegExp(`\\b(?:${source})${BEFORE_ARGUMENTS}`, flags));

const calledScanners = new WeakMap<readonly string[], RegExp>();
/** The names a call can have in `text`: those found as a whole identifier before arguments. */
function namesCalledIn(text: string, names: readonly string[]): Set<string> {
  let scanner = calledScanners.get(names);
  if (!scanner) {
    scanner = calledRegex(names.map(escapeRegex).join('|'), 'g');
    calledScanners.set(names, scanner);
  }
  return matchesOf(scanner, text);
}

/** Every text `scanner` (global) matches in `text`, trying again one character after each match's start. */
function matchesOf(scanner: RegExp, text: string): Set<string> {
  const found = new Set<string>();
  scanner.lastIndex = 0;
  for (let m = scanner.exec(text); m; m = scanner.exec(text)) {
    found.add(m[0]);
    scanner.lastIndex = m.index + 1;
  }
  return found;
}

const calledPatterns = new Map<RegExp, RegExp>();
/** A name the pattern matches whole, as `namesCalledIn` finds names. */
function calledPattern(pattern: NamePattern): RegExp {
  let re = calledPatterns.get(pattern.js);
  if (!re) {
    re = calledRegex(pattern.js.source, pattern.js.flags.replace(/[gy]/g, ''));
    calledPatterns.set(pattern.js, re);
  }
  return re;
}

/**
 * The names and patterns `calledOnly` groups asked for so far in one language, when each can match only a
 * nonempty run of ASCII word characters: then a match of the scanner is exactly such a whole run before
 * arguments (`\b` before it, no word character in the lookahead), so one scan of the text finds every
 * group's called names, and a pattern is called where it matches one of the found words whole.
 */
interface CalledUnion {
  words: Set<string>;
  sources: Set<string>;
  lists: WeakSet<readonly string[]>;
  patterns: WeakSet<RegExp>;
  version: number;
  scanner: RegExp | undefined;
}
const newUnion = (): CalledUnion => ({
  words: new Set(),
  sources: new Set(),
  lists: new WeakSet(),
  patterns: new WeakSet(),
  version: 0,
  scanner: undefined,
});
const UNIONS = [newUnion(), newUnion()] as const;

const WORD = /^\w+$/;
const wordLists = new WeakMap<readonly string[], boolean>();
const allWords = (names: readonly string[]) => {
  let words = wordLists.get(names);
  if (words === undefined) {
    words = names.every((n) => WORD.test(n));
    wordLists.set(names, words);
  }
  return words;
};

/**
 * Sources built of word characters, `\w`, classes of letter and digit ranges, groups, `|` and the
 * quantifiers `?*+` only: every match is a run of word characters.
 */
const WORD_SOURCE =
  /^(?:[A-Za-z0-9_|()?*+]|\(\?:|\\w|\[(?:[A-Za-z0-9_]|[a-z]-[a-z]|[A-Z]-[A-Z]|[0-9]-[0-9])+\])*$/;
interface WordPattern {
  /** The source for the scanner, without flags. */
  source: string;
  /** The same, anchored: matches a found word whole. */
  whole: RegExp;
}
const wordPatterns = new WeakMap<RegExp, WordPattern | null>();
/** The pattern as a flagless word-only source, or null when it is not one (it then keeps its own scan). */
function wordPattern(pattern: NamePattern): WordPattern | null {
  let word = wordPatterns.get(pattern.js);
  if (word === undefined) {
    const plain = caselessRegex(new RegExp(pattern.js.source, pattern.js.flags.replace(/[gy]/g, '')));
    const whole =
      plain.flags === '' && WORD_SOURCE.test(plain.source) ? new RegExp(`^(?:${plain.source})$`) : null;
    word = whole && !whole.test('') ? { source: plain.source, whole } : null;
    wordPatterns.set(pattern.js, word);
  }
  return word;
}

/** Whether the group's names and patterns can all be found by the union's scan (adding them to it). */
function joinUnion(union: CalledUnion, g: CallGroup): boolean {
  if (!allWords(g.names)) return false;
  for (const p of g.patterns ?? []) if (wordPattern(p) === null) return false;
  if (!union.lists.has(g.names)) {
    union.lists.add(g.names);
    for (const n of g.names)
      if (!union.words.has(n)) {
        union.words.add(n);
        union.version++;
        union.scanner = undefined;
      }
  }
  for (const p of g.patterns ?? [])
    if (!union.patterns.has(p.js)) {
      union.patterns.add(p.js);
      const source = (wordPattern(p) as WordPattern).source;
      if (!union.sources.has(source)) {
        union.sources.add(source);
        union.version++;
        union.scanner = undefined;
      }
    }
  return true;
}

const calledWordsMemo = new WeakMap<ParsedSource, { version: number; found: Set<string> }>();
/** The words of the file's text the union's scanner finds. */
function calledWords(src: ParsedSource, union: CalledUnion): Set<string> {
  const memo = calledWordsMemo.get(src);
  if (memo !== undefined && memo.version === union.version) return memo.found;
  let scanner = union.scanner;
  if (scanner === undefined) {
    const alts = [...union.words].map(escapeRegex);
    for (const s of union.sources) alts.push(`(?:${s})`);
    scanner = calledRegex(alts.join('|'), 'g');
    union.scanner = scanner;
  }
  const found = matchesOf(scanner, src.file.text);
  calledWordsMemo.set(src, { version: union.version, found });
  return found;
}

const nameIndexes = new WeakMap<readonly string[], Map<string, number>>();
/**
 * The group's names found in `called` that `keep` keeps, in the order of `names` (a walk over the few found
 * words rather than every name).
 */
function calledNames(g: CallGroup, called: Set<string>): string[] {
  if (called.size === 0) return [];
  let index = nameIndexes.get(g.names);
  if (index === undefined) {
    index = new Map();
    for (let i = g.names.length - 1; i >= 0; i--) index.set(g.names[i] as string, i);
    nameIndexes.set(g.names, index);
  }
  const found: string[] = [];
  for (const w of called) if (index.has(w)) found.push(w);
  if (found.length > 1) {
    const at = index;
    found.sort((a, b) => (at.get(a) as number) - (at.get(b) as number));
  }
  if (g.keep === undefined) return found;
  const names: string[] = [];
  for (const n of found) if (g.keep(n)) names.push(n);
  return names;
}

function someWhole(found: Set<string>, whole: RegExp): boolean {
  for (const w of found) if (whole.test(w)) return true;
  return false;
}

/**
 * For each group, a superset of the calls (as `callsIn` lists them) that it asks for, in document order, all
 * from one native query; callers still test `calleeName` exactly. A call's name is the text of an
 * identifier inside its callee, so it occurs in the file's text followed by no identifier character: names
 * and patterns the text does not have so are dropped, and when nothing is left the tree is not walked.
 * Regexes cost most of a query (the Rust regex is compiled on every query, and the class that bounds a name
 * costs more than the names), so the query asks only for the names, unbounded, and each group then keeps
 * the calls its own bounded regex (read in JS) or one of its rules accepts.
 */
export function callGroups(src: ParsedSource, groups: readonly CallGroup[]): SgNode[][] {
  const python = src.language === 'python';
  const text = src.file.text;
  const natives = new Set<string>();
  const union = UNIONS[python ? 1 : 0];
  const plans = groups.map((g) => {
    const joined = g.calledOnly === true && joinUnion(union, g);
    // A name before the arguments is also a name no identifier character follows.
    const called = joined ? calledWords(src, union) : g.calledOnly ? namesCalledIn(text, g.names) : undefined;
    const names = called ? calledNames(g, called) : namesEndingIn(text, g.names, python);
    const alts = names.map(escapeRegex);
    for (const a of alts) natives.add(a);
    for (const p of g.patterns ?? [])
      if (
        joined
          ? someWhole(called as Set<string>, (wordPattern(p) as WordPattern).whole)
          : (g.calledOnly ? calledPattern(p) : boundedPattern(p, python)).test(text)
      ) {
        alts.push(p.rust);
        natives.add(p.native ?? p.rust);
      }
    return { alts, also: g.also ?? [] };
  });
  const also = [...new Set(plans.flatMap((p) => p.also))];
  if (natives.size === 0 && also.length === 0) return groups.map(() => []);
  const kind = python ? 'call' : 'call_expression';
  const named: Rule = { has: { field: 'function', regex: [...natives].join('|') } };
  const rule: Rule =
    also.length === 0
      ? { kind, ...named }
      : { kind, any: [...also.map((a) => a.rule), ...(natives.size > 0 ? [named] : [])] };
  const calls = src.root.findAll({ rule });
  // One group asking only for its rules: the query answered it exactly.
  if (plans.length === 1 && natives.size === 0) return [calls];
  const calleeTexts = new Map<SgNode, string | undefined>();
  const calleeText = (call: SgNode) => {
    if (!calleeTexts.has(call)) calleeTexts.set(call, calleeOf(call)?.text());
    return calleeTexts.get(call);
  };
  return plans.map(({ alts, also }) => {
    if (alts.length === 0 && also.length === 0) return [];
    const re = alts.length > 0 ? cachedRegex(`(?:${alts.join('|')})(?:[^${identChar(python)}]|$)`) : null;
    return calls.filter((call) => {
      if (re) {
        const t = calleeText(call);
        if (t !== undefined && re.test(t)) return true;
      }
      return also.some((a) => a.test(call));
    });
  });
}

import type { SgNode } from '@ast-grep/napi';
import type { ParsedSource } from '../../core/parse-source.js';
import { nodesOf } from './file-index.js';
import { enclosingLoop } from './scopes.js';
import { isPython, MAX_NAME_CHARS } from './syntax.js';
import { hasWord, wordsOf } from './vocab.js';

/**
 * Comparisons of a running counter with a limit (`turn < MAX_TURNS`, `spentUsd >= budget.maxUsd`) and the
 * kind of budget they enforce. Context-window comparisons are left to compaction.
 */

export type BudgetKind = 'turns' | 'input-tokens' | 'output-tokens' | 'tokens' | 'cost' | 'time';

export interface BudgetGuard {
  /** The comparison node. */
  node: SgNode;
  kind: BudgetKind;
  /** The limit side's source text. */
  limit: string;
  /** The counter side adds a projection (`used + estimate > max`). */
  projection: boolean;
}

const STRONG_LIMIT_WORDS = /^(max|maximum|limit|limits|cap|ceiling|quota)$/;
const LIMIT_WORDS = /^(budget|budgets|allowed|allowance)$/;
const TURN_WORDS = /^(turns?|steps?|iterations?|iters?|rounds?|hops)$/;
const TOKEN_WORDS = /^(tokens?)$/;
const COST_WORDS = /^(cost|costs|usd|dollars|spend|spent|price|cents)$/;
const TIME_WORDS = /^(elapsed|duration|ms|seconds|secs|deadline|wall|runtime)$/;
/** Words that make a comparison about something else: retries, context windows, sizes, pages. */
const OTHER_WORDS =
  /^(context|window|compact|compaction|chars|characters|length|len|retry|retries|attempts?|size|bytes|page|pages|batch|depth|width|height|results?|lines|items)$/;

export function kindOf(words: readonly string[]): BudgetKind | undefined {
  if (hasWord(words, TOKEN_WORDS)) {
    if (hasWord(words, /^(input|prompt)$/)) return 'input-tokens';
    if (hasWord(words, /^(output|completion)$/)) return 'output-tokens';
    return 'tokens';
  }
  if (hasWord(words, COST_WORDS)) return 'cost';
  if (hasWord(words, TURN_WORDS)) return 'turns';
  if (hasWord(words, TIME_WORDS)) return 'time';
  return undefined;
}

const cache = new WeakMap<ParsedSource, BudgetGuard[]>();

/** Speed gate: a limit-like name, or a turn counter compared with a number (two regexes: faster than one). */
const LIMIT_HINT = /MAX|max[A-Z_]|_max|[lL]imit|LIMIT|[bB]udget|BUDGET|[qQ]uota/;
const TURN_BOUND_HINT = /(turn|step|iteration|round)s?\s*[<>]=?\s*\d/;

/**
 * Whether the text can hold an ordering operator. Python's `->` is one token: in a tree without errors no
 * `>` operator follows a `-` (it would be a binary `-` missing its right operand).
 */
function mayHoldOrderOperator(src: ParsedSource, py: boolean): boolean {
  const text = src.file.text;
  if (text.includes('<')) return true;
  return py && src.syntaxErrors === 0 ? /(?<!-)>/.test(text) : text.includes('>');
}

export function budgetGuards(src: ParsedSource): BudgetGuard[] {
  let out = cache.get(src);
  if (out) return out;
  out = [];
  const py = isPython(src);
  const text = src.file.text;
  if ((LIMIT_HINT.test(text) || TURN_BOUND_HINT.test(text)) && mayHoldOrderOperator(src, py)) {
    // The file's comparisons (see `nodesOf`) read as `fileComparisons` of `syntax.ts` reads them, each
    // operand's text read once.
    const clean = src.syntaxErrors === 0;
    for (const n of nodesOf(src, 'comparisons')) {
      const g = guardOf(n, py, clean);
      if (g) out.push(g);
    }
  }
  cache.set(src, out);
  return out;
}

const ORDER_OPS = new Set(['<', '<=', '>', '>=']);

/** An operand spelt as a (dotted) name: an identifier, member or attribute, never a number or a sum. */
const NAME_OPERAND = '[A-Za-z_$][\\w$]*(?:\\.[A-Za-z_$][\\w$]*)*';
/** An operand spelt as a plain decimal literal: a number (JS), an integer or float (Python). */
const NUMBER_OPERAND = '[0-9][0-9_]*(?:\\.[0-9_]+)?';
/**
 * A comparison's whole text as two such operands around one ordering operator, blanks aside: in a tree
 * without errors its operands are those two spellings and its operator that one, so nothing more is read.
 */
const PLAIN_COMPARISON = new RegExp(
  `^(${NAME_OPERAND}|(${NUMBER_OPERAND}))[ \\t]*(<=|>=|<|>)[ \\t]*(${NAME_OPERAND}|(${NUMBER_OPERAND}))$`,
);

/**
 * `asGuard` of the node as an ordering comparison between short operands (`asComparison` of `syntax.ts`),
 * if it is one. The operator is part of the node's text, so a node whose text has no `<` or `>` is not
 * read further; an operand is short when its text is (the range's offsets count the text's UTF-16 units).
 */
function guardOf(n: SgNode, py: boolean, clean: boolean): BudgetGuard | undefined {
  const text = n.text();
  if (!/[<>]/.test(text)) return undefined;
  if (clean) {
    const m = PLAIN_COMPARISON.exec(text);
    if (m) {
      if (m[1]!.length > MAX_NAME_CHARS || m[4]!.length > MAX_NAME_CHARS) return undefined;
      const leftKind = m[2] === undefined ? 'name' : 'number';
      const rightKind = m[5] === undefined ? 'name' : 'number';
      return asGuard(
        n,
        m[1]!,
        m[4]!,
        () => leftKind,
        () => rightKind,
        py,
      );
    }
  }
  let op: string;
  let left: SgNode | null;
  let right: SgNode | null;
  if (py) {
    // The first operator decides; a chain (`a < b < c`) has three operands.
    const kids = n.children();
    const named = kids.filter((c) => c.isNamed());
    op = kids.find((c) => !c.isNamed())?.text() ?? '';
    if (named.length !== 2 || !ORDER_OPS.has(op)) return undefined;
    [left, right] = named as [SgNode, SgNode];
  } else {
    op = n.field('operator')?.text() ?? '';
    if (!ORDER_OPS.has(op)) return undefined;
    left = n.field('left');
    right = n.field('right');
    if (!left || !right) return undefined;
  }
  const leftText = left.text();
  if (leftText.length > MAX_NAME_CHARS) return undefined;
  const rightText = right.text();
  if (rightText.length > MAX_NAME_CHARS) return undefined;
  // Each side's kind is read at most once (every read crosses into ast-grep).
  let leftKind: string | undefined;
  let rightKind: string | undefined;
  const l = left;
  const r = right;
  return asGuard(
    n,
    leftText,
    rightText,
    () => (leftKind ??= String(l.kind())),
    () => (rightKind ??= String(r.kind())),
    py,
  );
}

function limitScore(words: readonly string[]): number {
  return (hasWord(words, STRONG_LIMIT_WORDS) ? 2 : 0) + (hasWord(words, LIMIT_WORDS) ? 1 : 0);
}

function asGuard(
  node: SgNode,
  leftText: string,
  rightText: string,
  leftKind: () => string,
  rightKind: () => string,
  py: boolean,
): BudgetGuard | undefined {
  const leftWords = wordsOf(leftText);
  const rightWords = wordsOf(rightText);
  const ls = limitScore(leftWords);
  const rs = limitScore(rightWords);
  let limitRight: boolean;
  // `used + MAX_OUTPUT > TOKEN_BUDGET`: the sum is the projection, the lone name is the limit.
  if (ls > 0 && rs > 0 && isSumKind(leftKind()) !== isSumKind(rightKind()))
    limitRight = isSumKind(leftKind());
  else if (ls !== rs) limitRight = ls <= rs;
  else if (ls === 0 && isNumberKind(leftKind()) !== isNumberKind(rightKind()))
    limitRight = !isNumberKind(leftKind());
  else return undefined;
  const limitWords = limitRight ? rightWords : leftWords;
  const counterWords = limitRight ? leftWords : rightWords;
  if (hasWord([...limitWords, ...counterWords], OTHER_WORDS)) return undefined;
  // A bare number is a limit only against a clearly budget-named counter inside a loop.
  if (
    isNumberKind(limitRight ? rightKind() : leftKind()) &&
    (!kindOf(counterWords) || !enclosingLoop(node, py))
  )
    return undefined;
  const kind = kindOf(limitWords) ?? kindOf(counterWords);
  if (!kind) return undefined;
  const projection = isSumKind(limitRight ? leftKind() : rightKind());
  const limit = limitRight ? rightText : leftText;
  return { node, kind, limit: limit.slice(0, 80), projection };
}

function isSumKind(k: string): boolean {
  return k === 'binary_expression' || k === 'binary_operator';
}

function isNumberKind(k: string): boolean {
  return k === 'number' || k === 'integer' || k === 'float';
}

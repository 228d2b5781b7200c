import type { SgNode } from '@ast-grep/napi';
import type { ParsedSource } from '../../core/parse-source.js';
import { nodesOf } from './file-index.js';
import { enclosingLoop } from './scopes.js';
import { type Comparison, isPython, MAX_NAME_CHARS } from './syntax.js';
import { hasWord, wordsOf } from './vocab.js';

/**
 * Comparisons of a running counter with a limit (`turn < MAX_TURNS`, `spentUsd >= budget.maxUsd`) and the
 * kind of budget they enforce. Context-window comparisons are left to compaction.
 */

export type BudgetKind = 'turns' | 'input-tokens' | 'output-tokens' | 'tokens' | 'cost' | 'time';

export interface BudgetGuard {
  cmp: Comparison;
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
    for (const n of nodesOf(src, 'comparisons')) {
      const g = guardOf(n, py);
      if (g) out.push(g);
    }
  }
  cache.set(src, out);
  return out;
}

const ORDER_OPS = new Set(['<', '<=', '>', '>=']);

/**
 * `asGuard` of the node as an ordering comparison between short operands (`asComparison` of `syntax.ts`),
 * if it is one. The operator is part of the node's text, so a node whose text has no `<` or `>` is not
 * read further; an operand is short when its text is (the range's offsets count the text's UTF-16 units).
 */
function guardOf(n: SgNode, py: boolean): BudgetGuard | undefined {
  if (!/[<>]/.test(n.text())) return undefined;
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
  return asGuard({ node: n, op, left, right }, leftText, rightText, py);
}

function limitScore(words: readonly string[]): number {
  return (hasWord(words, STRONG_LIMIT_WORDS) ? 2 : 0) + (hasWord(words, LIMIT_WORDS) ? 1 : 0);
}

function asGuard(cmp: Comparison, leftText: string, rightText: string, py: boolean): BudgetGuard | undefined {
  const leftWords = wordsOf(leftText);
  const rightWords = wordsOf(rightText);
  const ls = limitScore(leftWords);
  const rs = limitScore(rightWords);
  let limitNode: SgNode;
  // Each side's kind is read at most once (every read crosses into ast-grep).
  let leftKind: string | undefined;
  let rightKind: string | undefined;
  const kindOfNode = (n: SgNode): string => {
    if (n === cmp.left) {
      leftKind ??= String(cmp.left.kind());
      return leftKind;
    }
    rightKind ??= String(cmp.right.kind());
    return rightKind;
  };
  const isSum = (n: SgNode) => isSumKind(kindOfNode(n));
  const isNumber = (n: SgNode) => isNumberKind(kindOfNode(n));
  // `used + MAX_OUTPUT > TOKEN_BUDGET`: the sum is the projection, the lone name is the limit.
  if (ls > 0 && rs > 0 && isSum(cmp.left) !== isSum(cmp.right))
    limitNode = isSum(cmp.left) ? cmp.right : cmp.left;
  else if (ls !== rs) limitNode = ls > rs ? cmp.left : cmp.right;
  else if (ls === 0 && isNumber(cmp.left) !== isNumber(cmp.right))
    limitNode = isNumber(cmp.left) ? cmp.left : cmp.right;
  else return undefined;
  const counterNode = limitNode === cmp.right ? cmp.left : cmp.right;
  const limitWords = limitNode === cmp.right ? rightWords : leftWords;
  const counterWords = limitNode === cmp.right ? leftWords : rightWords;
  if (hasWord([...limitWords, ...counterWords], OTHER_WORDS)) return undefined;
  // A bare number is a limit only against a clearly budget-named counter inside a loop.
  if (isNumber(limitNode) && (!enclosingLoop(cmp.node, py) || !kindOf(counterWords))) return undefined;
  const kind = kindOf(limitWords) ?? kindOf(counterWords);
  if (!kind) return undefined;
  const projection = isSum(counterNode);
  const limit = limitNode === cmp.right ? rightText : leftText;
  return { cmp, kind, limit: limit.slice(0, 80), projection };
}

function isSumKind(k: string): boolean {
  return k === 'binary_expression' || k === 'binary_operator';
}

function isNumberKind(k: string): boolean {
  return k === 'number' || k === 'integer' || k === 'float';
}

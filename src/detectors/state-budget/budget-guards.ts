import type { SgNode } from '@ast-grep/napi';
import type { ParsedSource } from '../../core/parse-source.js';
import { enclosingLoop } from './scopes.js';
import { type Comparison, fileComparisons, isPython } from './syntax.js';
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

export function budgetGuards(src: ParsedSource): BudgetGuard[] {
  let out = cache.get(src);
  if (out) return out;
  out = [];
  const py = isPython(src);
  if (
    /MAX|max[A-Z_]|_max|[lL]imit|LIMIT|[bB]udget|BUDGET|[qQ]uota|(turn|step|iteration|round)s?\s*[<>]=?\s*\d/.test(
      src.file.text,
    )
  ) {
    for (const cmp of fileComparisons(src)) {
      const g = asGuard(cmp, py);
      if (g) out.push(g);
    }
  }
  cache.set(src, out);
  return out;
}

function limitScore(words: readonly string[]): number {
  return (hasWord(words, STRONG_LIMIT_WORDS) ? 2 : 0) + (hasWord(words, LIMIT_WORDS) ? 1 : 0);
}

function asGuard(cmp: Comparison, py: boolean): BudgetGuard | undefined {
  const leftWords = wordsOf(cmp.left.text());
  const rightWords = wordsOf(cmp.right.text());
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
  return { cmp, kind, limit: limitNode.text().slice(0, 80), projection };
}

function isSumKind(k: string): boolean {
  return k === 'binary_expression' || k === 'binary_operator';
}

function isNumberKind(k: string): boolean {
  return k === 'number' || k === 'integer' || k === 'float';
}

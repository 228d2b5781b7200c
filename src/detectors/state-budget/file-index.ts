import type { SgNode } from '@ast-grep/napi';
import type { ParsedSource } from '../../core/parse-source.js';

/**
 * Node lists of a file that several detectors of this folder query the whole tree for, found in one walk.
 * Each whole-tree query costs a walk of the tree however few nodes it returns, so the lists the file's text
 * says will be asked for are found together by one query with a rule per list and sorted out by kind. A
 * list that was not predicted is queried on its own when asked for: the prediction only decides the cost,
 * never the answer, which is each list's nodes in document order, as its own query returns them.
 */
export type Part =
  /** JS `binary_expression`, Python `comparison_operator`. */
  | 'comparisons'
  /** Object and dict pairs; Python keyword arguments too. */
  | 'pairs'
  /** JS `variable_declarator`, Python `assignment`. */
  | 'bindings'
  /** Calls with an object literal argument holding a pair (JS) or with a keyword argument (Python). */
  | 'bodyCalls'
  /** Python `for_statement`. */
  | 'pyForLoops';

function rulesOf(part: Part, py: boolean): object[] {
  switch (part) {
    case 'comparisons':
      return [{ kind: py ? 'comparison_operator' : 'binary_expression' }];
    case 'pairs':
      return py ? [{ kind: 'pair' }, { kind: 'keyword_argument' }] : [{ kind: 'pair' }];
    case 'bindings':
      return [{ kind: py ? 'assignment' : 'variable_declarator' }];
    case 'bodyCalls':
      return [
        py
          ? {
              kind: 'call',
              has: { field: 'arguments', kind: 'argument_list', has: { kind: 'keyword_argument' } },
            }
          : {
              kind: 'call_expression',
              has: {
                field: 'arguments',
                kind: 'arguments',
                has: {
                  kind: 'object',
                  has: { any: [{ kind: 'pair' }, { kind: 'shorthand_property_identifier' }] },
                },
              },
            },
      ];
    case 'pyForLoops':
      return [{ kind: 'for_statement' }];
  }
}

/** The part a node of the combined query belongs to; the parts' kinds are distinct. */
function partOfKind(kind: string): Part | undefined {
  switch (kind) {
    case 'binary_expression':
    case 'comparison_operator':
      return 'comparisons';
    case 'pair':
    case 'keyword_argument':
      return 'pairs';
    case 'variable_declarator':
    case 'assignment':
      return 'bindings';
    case 'call_expression':
    case 'call':
      return 'bodyCalls';
    case 'for_statement':
      return 'pyForLoops';
  }
  return undefined;
}

/*
 * Predictions from the text: copies of the speed gates in front of the lists' main users (budget guards,
 * option pairs, request bodies, Python range loops). They only choose what the one walk collects. A list
 * collected but not asked for costs its nodes, so lists asked for under rarer or later conditions
 * (compaction's comparisons, write and resume sites' bindings) are left to their own query.
 */
const BUDGET_GUARD_HINT =
  /MAX|max[A-Z_]|_max|[lL]imit|LIMIT|[bB]udget|BUDGET|[qQ]uota|(turn|step|iteration|round)s?\s*[<>]=?\s*\d/;
const OPTION_HINT =
  /max_?[tT]urns|max_?[sS]teps|max_?[iI]terations|recursion_?[lL]imit|max_?[bB]udget|max_?[cC]ost|max_?[tT]otal|[tT]oken_?[bB]udget|task_?[bB]udget|max_?[iI]nput|max_?[dD]uration|max_?[wW]all|[rR]un_?[lL]imit|[tT]hread_?[lL]imit|max_?[tT]okens|max_?[oO]utput|max_?[cC]ompletion|max_new_tokens/;

function predicted(text: string, py: boolean): Part[] {
  const parts: Part[] = [];
  if (BUDGET_GUARD_HINT.test(text)) parts.push('comparisons');
  if (OPTION_HINT.test(text)) parts.push('pairs');
  if (/model/.test(text) && /messages|input/.test(text)) parts.push('bodyCalls');
  if (py && /range\(/.test(text)) parts.push('pyForLoops');
  return parts;
}

const indexMemo = new WeakMap<ParsedSource, Map<Part, readonly SgNode[]>>();

/**
 * The nodes matching `rule`, whose kinds must be none of the parts' kinds, in document order. When the
 * file's index has not been built and its text predicts lists (their main users run on every file), the
 * predicted lists and the bindings (which the first write or resume site usually resolves through) are
 * collected by this same walk: one walk of the tree instead of two.
 */
export function nodesWithIndex(src: ParsedSource, rule: object): SgNode[] {
  const py = src.language === 'python';
  const parts = indexMemo.has(src) ? [] : predicted(src.file.text, py);
  if (parts.length === 0) return src.root.findAll({ rule });
  if (!parts.includes('bindings')) parts.push('bindings');
  const index = new Map<Part, readonly SgNode[]>();
  const lists = new Map<Part, SgNode[]>(parts.map((p) => [p, []]));
  const out: SgNode[] = [];
  for (const node of src.root.findAll({ rule: { any: [...parts.flatMap((p) => rulesOf(p, py)), rule] } })) {
    const p = partOfKind(String(node.kind()));
    if (p) lists.get(p)?.push(node);
    else out.push(node);
  }
  for (const [p, list] of lists) index.set(p, Object.freeze(list));
  indexMemo.set(src, index);
  return out;
}

/** The file's nodes of one part, in document order (shared, frozen). */
export function nodesOf(src: ParsedSource, part: Part): readonly SgNode[] {
  const py = src.language === 'python';
  let index = indexMemo.get(src);
  if (!index) {
    index = new Map();
    const parts = predicted(src.file.text, py);
    // The part asked for first is certainly wanted: it joins the walk rather than costing a walk of its own.
    if (!parts.includes(part)) parts.push(part);
    if (parts.length > 1) {
      const lists = new Map<Part, SgNode[]>(parts.map((p) => [p, []]));
      const rule = { any: parts.flatMap((p) => rulesOf(p, py)) };
      for (const node of src.root.findAll({ rule })) {
        const p = partOfKind(String(node.kind()));
        if (p) lists.get(p)?.push(node);
      }
      for (const [p, list] of lists) index.set(p, Object.freeze(list));
    }
    indexMemo.set(src, index);
  }
  let list = index.get(part);
  if (!list) {
    const rules = rulesOf(part, py);
    list = Object.freeze(src.root.findAll({ rule: rules.length === 1 ? rules[0]! : { any: rules } }));
    index.set(part, list);
  }
  return list;
}

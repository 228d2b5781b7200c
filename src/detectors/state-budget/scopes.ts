import type { SgNode } from '@ast-grep/napi';
import { isFunctionKind, isLoopKind } from './syntax.js';

/**
 * The nearest function around a node, and the nearest loop inside that function, from walks up that are
 * kept for every node passed on the way (`enclosingFunction` of `syntax.ts` gives the same function): each
 * `parent()` is a fresh wrapper and a crossing into ast-grep, and the budget rules ask both questions of
 * the same nodes (a model call, then each loop around it, a guard per model call).
 * A walk stops at the first loop or function: below a loop, the loop is the answer to the one question and
 * the loop's own function the answer to the other, found by walking on from the loop only when asked (a
 * guard in a loop's condition answers a model call's pre-check without its function).
 */

interface Scope {
  /** The nearest loop below the function, or undefined. */
  loop: SgNode | undefined;
  /** The function, when known; else `loop` is set and the function is the loop's. */
  fn: SgNode | undefined;
}

const scopes = new WeakMap<SgNode, Scope>();

function scopeOf(node: SgNode, py: boolean): Scope {
  const known = scopes.get(node);
  if (known) return known;
  const path: SgNode[] = [node];
  let fn: SgNode | undefined;
  let loop: SgNode | undefined;
  for (let p = node.parent(); p; p = p.parent()) {
    const kind = String(p.kind());
    if (isFunctionKind(kind, py)) {
      fn = p;
      break;
    }
    if (isLoopKind(kind, py)) {
      loop = p;
      break;
    }
    path.push(p);
  }
  const scope: Scope = { loop, fn };
  for (const n of path) scopes.set(n, scope);
  return scope;
}

export function enclosingFunction(node: SgNode, py: boolean): SgNode | undefined {
  let scope = scopeOf(node, py);
  while (scope.loop) scope = scopeOf(scope.loop, py);
  return scope.fn;
}

/** Nearest loop around `node` that is inside the same function. */
export function enclosingLoop(node: SgNode, py: boolean): SgNode | undefined {
  return scopeOf(node, py).loop;
}

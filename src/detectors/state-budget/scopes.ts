import type { SgNode } from '@ast-grep/napi';
import { isFunctionKind, isLoopKind } from './syntax.js';

/**
 * The nearest function around a node, and the nearest loop inside that function, from one walk up to the
 * function that is kept for every node passed on the way (`enclosingFunction` of `syntax.ts` gives the
 * same function): each `parent()` is a fresh wrapper and a
 * crossing into ast-grep, and the budget rules ask both questions of the same nodes (a model call, then
 * each loop around it, a guard per model call).
 */

interface Scope {
  fn: SgNode | undefined;
  loop: SgNode | undefined;
}

const scopes = new WeakMap<SgNode, Scope>();

function scopeOf(node: SgNode, py: boolean): Scope {
  const known = scopes.get(node);
  if (known) return known;
  const path: SgNode[] = [node];
  const loops: boolean[] = [false];
  let fn: SgNode | undefined;
  for (let p = node.parent(); p; p = p.parent()) {
    const kind = String(p.kind());
    if (isFunctionKind(kind, py)) {
      fn = p;
      break;
    }
    path.push(p);
    loops.push(isLoopKind(kind, py));
  }
  // A node's loop is the nearest loop above it and below its function.
  let loop: SgNode | undefined;
  let scope: Scope | undefined;
  for (let i = path.length - 1; i >= 0; i--) {
    scope = { fn, loop };
    scopes.set(path[i]!, scope);
    if (loops[i]) loop = path[i];
  }
  return scope!;
}

export function enclosingFunction(node: SgNode, py: boolean): SgNode | undefined {
  return scopeOf(node, py).fn;
}

/** Nearest loop around `node` that is inside the same function. */
export function enclosingLoop(node: SgNode, py: boolean): SgNode | undefined {
  return scopeOf(node, py).loop;
}

import type { SgNode } from '@ast-grep/napi';
import { lineOf, type ParsedSource } from '../../core/parse-source.js';
import { calleeName, calleeText, functionRule, isFunctionNode, unwrap } from '../tooling/ast.js';
import type { ProjectContext } from '../types.js';
import { decisionLiterals, type Literal } from './decisions.js';
import { mayDefine } from './definition-text.js';

/** A call that hands a permission decision to a logger, event emitter, transcript or audit store. */
export interface RecordCall {
  /** Start offset in its file: a call seen through two scopes is reported once. */
  at: number;
  line: number;
  callee: string;
}

/** A function whose record calls count (a callback, dispatcher or engine); scopes are told apart by range. */
export interface Scope {
  range: string;
  py: boolean;
  records: RecordCall[];
  /** The file that defines it, when the project step found it in another file than the gate's. */
  path?: string;
}

/** All the permission analysis needs of a function once its tree is gone. */
export interface FunctionFacts extends Scope {
  literals: Literal[];
  /** Names of its plain calls (`return _deny(reason)`): the helpers a callback may delegate to. */
  callees: string[];
}

const RECORD_CALLEE =
  /(^|\.)(log|logger|audit|auditLog|emit|record|append|appendFile|appendFileSync|write|trace|track|journal|transcript|events?|decisions|history|info|debug|warn|log_event|write_event|record_decision|recordDecision)$/i;
const RECORD_RECEIVER =
  /log|audit|transcript|journal|event|decision|history|trace|telemetry|span|store|session/i;
const DECISION_NAME =
  /^(decision|verdict|permissionDecision|permission_decision|permissionResult|permission_result|approval|outcome|behavior)$/;

/** Calls in a function that record a decision value (`audit.log({ decision })`), in tree order. */
function recordCalls(fn: SgNode, py: boolean): RecordCall[] {
  const out: RecordCall[] = [];
  for (const call of fn.findAll({ rule: { kind: py ? 'call' : 'call_expression' } })) {
    const callee = calleeText(call);
    if (/^console\./.test(callee) || /^print$/.test(callee)) continue;
    const name = calleeName(call);
    const receiver = callee.slice(0, Math.max(0, callee.length - name.length - 1));
    if (!RECORD_CALLEE.test(callee)) continue;
    if (receiver && !RECORD_RECEIVER.test(receiver) && !/^(log|emit|record|audit|append)/i.test(name))
      continue;
    const args = call.field('arguments');
    if (!args) continue;
    const mentions = args
      .findAll({
        rule: {
          any: [
            { kind: 'identifier' },
            { kind: 'property_identifier' },
            { kind: 'shorthand_property_identifier' },
          ].filter((r) => !py || r.kind === 'identifier'),
        },
      })
      .some((n) => DECISION_NAME.test(n.text()));
    if (mentions) out.push({ at: call.range().start.index, line: lineOf(call), callee });
  }
  return out;
}

export function scopeOf(fn: SgNode, py: boolean): Scope {
  return { range: `${fn.range().start.index}:${fn.range().end.index}`, py, records: recordCalls(fn, py) };
}

export function functionFacts(fn: SgNode, py: boolean): FunctionFacts {
  return { ...scopeOf(fn, py), literals: decisionLiterals(fn), callees: plainCallees(fn, py) };
}

function plainCallees(fn: SgNode, py: boolean): string[] {
  const out: string[] = [];
  for (const call of fn.findAll({ rule: { kind: py ? 'call' : 'call_expression' } })) {
    const callee = call.field('function');
    if (callee?.kind() === 'identifier') out.push(callee.text());
  }
  return out;
}

const lookable = (name: string) => !!name && /^[A-Za-z_$#][\w$]*$/.test(name);

/** The function `name` defines in one file, as `functionFinder` searches each file. */
function definitionIn(src: ParsedSource, name: string): SgNode | undefined {
  const py = src.language === 'python';
  const exact = `^${name.replace(/\$/g, '\\$')}$`;
  const direct = src.root.find({ rule: { ...functionRule(py), has: { field: 'name', regex: exact } } });
  if (direct) return direct;
  if (py) return undefined;
  const value = src.root
    .find({ rule: { kind: 'variable_declarator', has: { field: 'name', regex: exact } } })
    ?.field('value');
  return value && isFunctionNode(unwrap(value)) ? unwrap(value) : undefined;
}

/** What a file found of the names it looks up: its own definitions, or null when it has none. */
export type Definitions = Map<string, FunctionFacts | null>;

/**
 * The file step's half of a lookup: the name is answered from this file alone and kept in the summary, so
 * the project step reparses only when another file could define the name first.
 */
export class FileLookup {
  constructor(
    private readonly src: ParsedSource,
    readonly defined: Definitions,
  ) {}

  find(name: string): FunctionFacts | undefined {
    if (!lookable(name)) return undefined;
    if (!this.defined.has(name)) {
      const fn = definitionIn(this.src, name);
      this.defined.set(name, fn ? functionFacts(fn, this.src.language === 'python') : null);
    }
    return this.defined.get(name) ?? undefined;
  }

  /** A callback and the helpers it calls, as far as this file knows them. */
  findHelpers(fn: FunctionFacts | undefined) {
    for (const callee of fn?.callees ?? []) this.find(callee);
  }
}

/**
 * A function by name across the project, as `functionFinder` finds it: the first file, in project order,
 * that mentions the name and defines it. A file's own answer comes from its summary; any other file that
 * may define the name is parsed again.
 */
export class ProjectLookup {
  private readonly memo = new Map<string, FunctionFacts | undefined>();

  constructor(
    private readonly ctx: ProjectContext,
    private readonly defined: (path: string) => Definitions | undefined,
  ) {}

  find(name: string): FunctionFacts | undefined {
    if (!lookable(name)) return undefined;
    if (!this.memo.has(name)) this.memo.set(name, this.search(name));
    return this.memo.get(name);
  }

  private search(name: string): FunctionFacts | undefined {
    const word = new RegExp(`(^|[^\\w$])${name.replace(/\$/g, '\\$')}([^\\w$]|$)`);
    for (const file of this.ctx.sourceFiles) {
      if (!file.text.includes(name) || !word.test(file.text)) continue;
      const known = this.defined(file.path)?.get(name);
      if (known !== undefined) {
        if (known) return { ...known, path: file.path };
        continue;
      }
      const py = file.language === 'python';
      if (!mayDefine(file.text, py, name)) continue;
      const src = this.ctx.reparse(file.path);
      const fn = src && definitionIn(src, name);
      if (fn) return { ...functionFacts(fn, py), path: file.path };
    }
    return undefined;
  }
}

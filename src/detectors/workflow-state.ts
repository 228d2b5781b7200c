import type { SgNode } from '@ast-grep/napi';
import type { ParsedSource } from '../core/parse-source.js';
import type { ProjectFile } from '../core/types.js';
import { importsSdk, sdkMechanisms } from './state-budget/sdk-mechanisms.js';
import { nameSets } from './state-budget/state-sets.js';
import {
  argsOf,
  bodyOf,
  calleeText,
  callsIn,
  callsMatching,
  callsOf,
  contains,
  enclosingClassName,
  enclosingFunction,
  endOf,
  functionName,
  functionsIn,
  isPython,
  lastSegment,
  pairsOf,
  startOf,
  stringValue,
} from './state-budget/syntax.js';
import {
  CONVERSATION_TARGETS,
  hasWord,
  isApprovalState,
  isTaskState,
  looksLikeTaskStates,
  wordsOf,
} from './state-budget/vocab.js';
import { type WriteApi, type WriteSite, writeSites } from './state-budget/writes.js';
import type { Detector, EmitContext } from './types.js';

export const FACT_KINDS = [
  'workflow.states',
  'workflow.transition',
  'workflow.approval-state',
  'workflow.state-store',
  'workflow.separate-from-transcript',
  'workflow.checkpoint',
  'workflow.ledger',
] as const;

/** A write site as plain data, so the project step can relate stores across files without trees. */
interface SiteData {
  line: number;
  api: WriteApi;
  appendOnly: boolean;
  pathText: string;
}

/** What one file contributes to the cross-file facts: its state writes and its transcript writes. */
interface WorkflowSummary {
  state: SiteData[];
  transcript: SiteData[];
}

export const workflowStateDetector: Detector<WorkflowSummary> = {
  id: 'workflow-state',
  description:
    'Task state apart from the transcript: explicit state sets, transitions, approval states, state stores, checkpoints (code, LangGraph, Temporal), side-effect ledgers and idempotency keys.',
  file(ctx) {
    const summary: WorkflowSummary = { state: [], transcript: [] };
    for (const site of writeSites(ctx.src)) {
      if (site.target === 'state') summary.state.push(siteData(site));
      else if (CONVERSATION_TARGETS.includes(site.target) || site.target === 'unknown')
        summary.transcript.push(siteData(site));
    }
    analyseFile(ctx, ctx.src);
    return summary.state.length > 0 || summary.transcript.length > 0 ? summary : undefined;
  },
  project(ctx, summaries) {
    const files = new Map(ctx.sourceFiles.map((f) => [f.path, f]));
    const stateSites: { file: ProjectFile; site: SiteData }[] = [];
    const transcriptSites: { file: ProjectFile; site: SiteData }[] = [];
    for (const [path, s] of summaries) {
      const file = files.get(path);
      if (!file) continue;
      for (const site of s.state) stateSites.push({ file, site });
      for (const site of s.transcript) transcriptSites.push({ file, site });
    }
    for (const { file, site } of stateSites)
      ctx.emit('workflow.state-store', file, site.line, { api: site.api, appendOnly: site.appendOnly });
    // Separate means a different path expression: the same file holding both is the transcript itself.
    const transcript = transcriptSites[0];
    if (transcript) {
      const transcriptPaths = new Set(transcriptSites.map((t) => t.site.pathText));
      for (const { file, site } of stateSites) {
        if (transcriptPaths.has(site.pathText)) continue;
        ctx.emit('workflow.separate-from-transcript', file, site.line, {
          transcript: `${transcript.file.path}:${transcript.site.line}`,
        });
      }
    }
  },
};

function siteData(site: WriteSite): SiteData {
  return {
    line: site.call.range().start.line + 1,
    api: site.api,
    appendOnly: site.appendOnly,
    pathText: site.pathText,
  };
}

function analyseFile(ctx: EmitContext, src: ParsedSource): void {
  const py = isPython(src);
  const file = src.file;
  const text = file.text;

  const stateSetNames = new Set<string>();
  for (const set of nameSets(src)) {
    if (!looksLikeTaskStates(set.values)) continue;
    stateSetNames.add(set.name);
    ctx.emit('workflow.states', file, set.node, { name: set.name, states: set.values, how: set.how });
    const approval = set.values.find(isApprovalState);
    if (approval) ctx.emit('workflow.approval-state', file, set.node, { via: 'state', state: approval });
  }
  // One scan instead of one per rule: a file without any of the rules' words skips them all.
  const hinted = RULE_WORDS.test(text);
  if (hinted && /xstate/.test(text)) xstateMachines(ctx, src);
  // Speed gate: a quoted state literal or an enum-style state member somewhere in the file.
  const stateHint =
    hinted && (QUOTED_STATE_HINT.test(text) || /(Status|State|Phase|Stage)\.[A-Za-z_]+/.test(text));
  if (stateHint && /status|state|phase|stage|step/i.test(text)) transitions(ctx, src, py, stateValues(src));
  checkpoints(ctx, src, py, hinted);
  if (hinted && /langgraph/.test(text)) interrupts(ctx, src, py);
  if (hinted && /idempotency|['"]intent['"]|['"]commit(ted)?['"]|ledger|journal|outbox/i.test(text))
    ledgers(ctx, src, py);
}

/**
 * What the text must hold, in any case, for a rule but the state sets': `xstate` or a state field's name
 * (`stat`, `stag`, `step`, `phase`; the transitions need one), `checkpoint`, `langgraph`, or a ledger's
 * words. Few alternatives scan fastest.
 */
const RULE_WORDS =
  /st(?:at|ag|ep)|phase|checkpoint|langgraph|idempotency|['"](?:intent|commit)|ledger|journal|outbox/i;

const STATE_FIELD = /^(status|state|phase|stage|step)$/;
const QUOTED_STATE_HINT =
  /['"`](planned|planning|pending|queued|todo|ready|scheduled|awaiting_?approval|needs_?approval|waiting|paused|blocked|executing|running|in_?progress|active|started|done|completed?|succeeded|success|finished|failed|failure|errored|error|cancell?ed|aborted|skipped|timed_?out|rejected)['"`]/i;
const STATE_FIELD_KEY = `^["']?(status|state|phase|stage|step)["']?$`;
/** A cheap pre-filter for object keys that may be task states; `isTaskState` decides. */
const STATE_NAME_KEY = `^["']?(?i)(planned|planning|pending|queued|todo|ready|scheduled|awaiting_?approval|needs_?approval|pending_?approval|waiting|paused|blocked|executing|running|in_?progress|active|started|done|completed?|succeeded|success|finished|failed|failure|errored|error|cancell?ed|aborted|skipped|timed_?out|rejected)["']?$`;

/** Normalises `TaskStatus.AWAITING_APPROVAL`, `'awaiting-approval'` and `Status.done` to a state word. */
function stateNameOf(node: SgNode): string | undefined {
  const s = stringValue(node);
  if (s !== undefined) return isTaskState(s) ? s : undefined;
  const k = node.kind();
  if (k === 'member_expression' || k === 'attribute' || k === 'dotted_name') {
    const last = lastSegment(node.text());
    return isTaskState(last) ? last : undefined;
  }
  return undefined;
}

function stateValues(src: ParsedSource): Set<string> {
  return new Set(
    nameSets(src)
      .filter((s) => looksLikeTaskStates(s.values))
      .flatMap((s) => s.values),
  );
}

function transitions(ctx: EmitContext, src: ParsedSource, py: boolean, declared: Set<string>): void {
  const file = src.file;
  // Records that set a declared state: `return {"status": "running"}`, `Command(update={"status": "executing"})`
  if (declared.size > 0) {
    for (const obj of src.root.findAll({
      rule: {
        kind: py ? 'dictionary' : 'object',
        has: { kind: 'pair', has: { field: 'key', regex: STATE_FIELD_KEY } },
      },
    })) {
      for (const p of pairsOf(obj)) {
        if (!STATE_FIELD.test(p.key)) continue;
        const values = [p.value, ...p.value.findAll({ rule: { kind: 'string' } })]
          .map((n) => stringValue(n))
          .filter((v): v is string => v !== undefined && declared.has(v));
        if (values.length > 0)
          ctx.emit('workflow.transition', file, p.node, { how: 'update', to: values[0]! });
      }
    }
  }
  const text = src.file.text;
  // Transition tables: { pending: ['running', 'cancelled'], running: ['done', 'failed'] }
  const tableRule = {
    kind: py ? 'dictionary' : 'object',
    has: { kind: 'pair', has: { field: 'key', regex: STATE_NAME_KEY } },
  };
  const tables = /\w['"]?\s*:\s*[[({]\s*['"A-Z]/.test(text) ? src.root.findAll({ rule: tableRule }) : [];
  for (const obj of tables) {
    const pairs = pairsOf(obj).filter((p) => isTaskState(p.key));
    if (pairs.length < 2) continue;
    const targets = pairs.filter((p) => {
      const list =
        p.value.kind() === 'array' ||
        p.value.kind() === 'list' ||
        p.value.kind() === 'set' ||
        p.value.kind() === 'tuple';
      return list && p.value.children().some((c) => stateNameOf(c) !== undefined);
    });
    if (targets.length >= 2)
      ctx.emit('workflow.transition', file, obj, { how: 'table', from: pairs.map((p) => p.key) });
  }
  // switch (task.status) { case 'pending': ... case 'running': ... }  /  match task.status:
  const switchHint = /(switch\s*\(|match\s+)[^\n]*(status|state|phase|stage)/i.test(text);
  const switches = !switchHint
    ? []
    : py
      ? src.root.findAll({ rule: { kind: 'match_statement' } })
      : src.root.findAll({ rule: { kind: 'switch_statement' } });
  for (const sw of switches) {
    const subject = py ? (sw.field('subject') ?? sw.child(1)) : sw.field('value');
    if (!subject || !hasWord(wordsOf(subject.text()), STATE_FIELD)) continue;
    const cases = py
      ? sw
          .findAll({ rule: { kind: 'case_pattern' } })
          .map((c) => c.child(0))
          .filter((c): c is SgNode => c !== null)
      : sw
          .findAll({ rule: { kind: 'switch_case' } })
          .map((c) => c.field('value'))
          .filter((c): c is SgNode => c !== null);
    const states = cases.map(stateNameOf).filter((s): s is string => s !== undefined);
    if (states.length >= 2) ctx.emit('workflow.transition', file, sw, { how: 'switch', states });
  }
  // task.status = 'running'  /  self.state = TaskState.DONE
  const assignKind = py ? 'assignment' : 'assignment_expression';
  const assignHint = /\.(status|state|phase|stage|step)\s*=[^=]/.test(text);
  for (const a of !assignHint
    ? []
    : src.root.findAll({
        rule: { kind: assignKind, has: { field: 'left', regex: '\\.(status|state|phase|stage|step)$' } },
      })) {
    const left = a.field('left');
    const right = a.field('right');
    if (!left || !right) continue;
    if (left.kind() !== (py ? 'attribute' : 'member_expression')) continue;
    if (!STATE_FIELD.test(lastSegment(left.text()))) continue;
    const to = stateNameOf(right);
    if (to) ctx.emit('workflow.transition', file, a, { how: 'assignment', to });
  }
  // update({ status: 'done' }) / setStatus('failed') on a store
  const callHint = /set_?(status|state|phase)\s*\(|transition(_?to)?\s*\(/i.test(text);
  for (const call of !callHint
    ? []
    : callsMatching(src, '(?i)(^|\\.)(set_?(status|state|phase)|transition(_?to)?)$')) {
    const name = lastSegment(calleeText(call));
    if (/^set_?(status|state|phase)$/i.test(name) || /^transition(_?to)?$/i.test(name)) {
      const to = argsOf(call)
        .map(stateNameOf)
        .find((s) => s !== undefined);
      if (to) ctx.emit('workflow.transition', file, call, { how: 'call', to });
    }
  }
}

function xstateMachines(ctx: EmitContext, src: ParsedSource): void {
  const fromXstate = ctx.imports(src).some((b) => b.module === 'xstate');
  if (!fromXstate) return;
  for (const call of callsMatching(src, '(^|\\.)(createMachine|setup)$')) {
    if (!/^(createMachine|setup)$|\.createMachine$/.test(calleeText(call))) continue;
    const config = argsOf(call).find((a) => a.kind() === 'object');
    const statesPair = config && pairsOf(config).find((p) => p.key === 'states');
    if (statesPair?.value.kind() !== 'object') continue;
    const states = pairsOf(statesPair.value).map((p) => p.key);
    ctx.emit('workflow.states', src.file, call, { name: 'xstate', states, how: 'xstate' });
    ctx.emit('workflow.transition', src.file, call, { how: 'xstate' });
  }
}

const CHECKPOINT_VERBS =
  /^(save|write|persist|store|create|put|commit|take|load|restore|read|get|resume|rollback|rewind|list)$/;
const LOAD_VERBS = /^(load|restore|read|get|resume|rollback|rewind|list)$/;
const IO_CALLS =
  /^(writeFile|writeFileSync|appendFile|appendFileSync|readFile|readFileSync|rename|renameSync|open|write_text|read_text|dump|load|loads|dumps|execute|put|insert|insertOne|upsert|query|hset|hget|set|get|copyFile|copy|copy2|cp|mkdir)$/;

function checkpoints(ctx: EmitContext, src: ParsedSource, py: boolean, hinted: boolean): void {
  const file = src.file;
  if (hinted && /checkpoint/i.test(file.text)) {
    for (const fn of functionsIn(src.root, py)) {
      const own = wordsOf(functionName(fn));
      const words =
        own.includes('checkpoint') || own.includes('checkpoints')
          ? own
          : [...own, ...wordsOf(enclosingClassName(fn))];
      if (!hasWord(words, /^checkpoints?$/)) continue;
      const verb = own.find((w) => CHECKPOINT_VERBS.test(w));
      if (!verb) continue;
      const io = callsIn(bodyOf(fn), py).some((c) => IO_CALLS.test(lastSegment(calleeText(c))));
      if (io)
        ctx.emit('workflow.checkpoint', file, fn, {
          via: 'code',
          op: LOAD_VERBS.test(verb) ? 'load' : 'save',
          name: functionName(fn),
        });
    }
  }
  for (const m of sdkMechanisms(src, ctx.imports(src))) {
    if (
      m.sdk === 'langgraph' ||
      m.sdk === 'temporal' ||
      m.mechanism === 'file-checkpointing' ||
      (m.sdk === 'mastra' && m.mechanism === 'workflow')
    )
      ctx.emit('workflow.checkpoint', file, m.node, { via: 'sdk', framework: m.sdk, durable: m.durable });
  }
}

function interrupts(ctx: EmitContext, src: ParsedSource, py: boolean): void {
  const bindings = ctx.imports(src);
  if (!importsSdk(bindings, 'langgraph')) return;
  const interruptLocals = new Set(bindings.filter((b) => b.imported === 'interrupt').map((b) => b.local));
  for (const call of callsOf(src)) {
    const callee = calleeText(call);
    if (interruptLocals.has(callee))
      ctx.emit('workflow.approval-state', src.file, call, { via: 'langgraph-interrupt' });
  }
  const optionPattern = py ? /^interrupt_(before|after)$/ : /^interrupt(Before|After)$/;
  for (const call of callsMatching(src, '(^|\\.)compile$')) {
    if (lastSegment(calleeText(call)) !== 'compile') continue;
    for (const a of argsOf(call)) {
      if (a.kind() === 'keyword_argument' && optionPattern.test(a.field('name')?.text() ?? ''))
        ctx.emit('workflow.approval-state', src.file, a, { via: 'langgraph-interrupt' });
      if (a.kind() === 'object')
        for (const p of pairsOf(a))
          if (optionPattern.test(p.key))
            ctx.emit('workflow.approval-state', src.file, p.node, { via: 'langgraph-interrupt' });
    }
  }
}

const INTENT = /^(intent|intended|pending|started|begin|begun|prepared|in_?progress|running|executing)$/;
const COMMIT = /^(committed|commit|done|completed?|succeeded|success|finished|applied)$/;
const LEDGER_WORDS = /^(ledger|journal|outbox|effects?|wal|intents?)$/;
const INTENT_TEXT = /intent|pending|started|begin|begun|prepared|in_?progress|running|executing/;
const COMMIT_TEXT = /commit|done|complete|succeeded|success|finished|applied/;

/**
 * Side-effect ledgers: a record written with an intent/pending status before a side effect and a
 * committed/done one after it in the same function; idempotency keys handed to side-effecting calls.
 */
function ledgers(ctx: EmitContext, src: ParsedSource, py: boolean): void {
  const file = src.file;
  const text = file.text;
  const keyNodes: SgNode[] = [];
  const keyRule = `^["']?(?i)idempotency[_-]?key["']?$`;
  // Speed gate: the key's text holds the name (`/iu` folds case as the query's `(?i)` does).
  if (/idempotency[_-]?key/iu.test(text)) {
    keyNodes.push(...src.root.findAll({ rule: { kind: 'pair', has: { field: 'key', regex: keyRule } } }));
    if (py)
      keyNodes.push(
        ...src.root.findAll({
          rule: { kind: 'keyword_argument', has: { field: 'name', regex: keyRule } },
        }),
      );
  }

  // Only functions holding an intent-like status record can bracket a side effect. Speed gate: a ledger
  // needs a `status`/`phase`/`state` key with an intent value and one with a commit value, each spelt
  // in the text (a string's value is read as written).
  const bracketed = /status|phase|state/.test(text) && INTENT_TEXT.test(text) && COMMIT_TEXT.test(text);
  const intentRecords = !bracketed
    ? []
    : src.root.findAll({
        rule: {
          kind: py ? 'dictionary' : 'object',
          has: { kind: 'pair', has: { field: 'key', regex: STATE_FIELD_KEY } },
        },
      });
  const candidates = new Map<number, SgNode>();
  for (const o of intentRecords) {
    const fn = enclosingFunction(o, py);
    if (fn) candidates.set(startOf(fn), fn);
  }
  if (py && bracketed)
    for (const k of src.root.findAll({
      rule: { kind: 'keyword_argument', has: { field: 'name', regex: '^(status|phase|state)$' } },
    })) {
      const fn = enclosingFunction(k, py);
      if (fn) candidates.set(startOf(fn), fn);
    }
  for (const fn of candidates.values()) {
    const records = statusRecords(fn, py);
    const intent = records.find((r) => INTENT.test(r.value));
    if (!intent) continue;
    const commit = records.find((r) => COMMIT.test(r.value) && startOf(r.call) > endOf(intent.call));
    if (!commit) continue;
    const explicit = intent.value === 'intent' || /^commit/.test(commit.value);
    const named = [intent, commit].some((r) => hasWord(wordsOf(calleeText(r.call)), LEDGER_WORDS));
    if (!explicit && !named) continue;
    const between = callsIn(bodyOf(fn), py).some(
      (c) => startOf(c) > endOf(intent.call) && endOf(c) < startOf(commit.call) && !contains(c, intent.call),
    );
    if (!between) continue;
    const keyed = keyNodes.some((k) => contains(fn, k));
    ctx.emit('workflow.ledger', file, intent.call, { idempotencyKey: keyed, intentBeforeCommit: true });
    ctx.inventory.stores.push({
      kind: 'ledger',
      file: file.path,
      line: intent.call.range().start.line + 1,
      discipline: ['append'],
    });
  }
  for (const k of keyNodes) {
    ctx.emit('workflow.ledger', file, k, { idempotencyKey: true, intentBeforeCommit: false });
  }
}

interface StatusRecord {
  call: SgNode;
  value: string;
}

/** Calls in a function whose record argument carries `status`/`phase: '<value>'`. */
function statusRecords(fn: SgNode, py: boolean): StatusRecord[] {
  const out: StatusRecord[] = [];
  for (const call of callsIn(bodyOf(fn), py)) {
    const name = lastSegment(calleeText(call));
    if (/^set[A-Z_]|^setState$/.test(name)) continue; // UI state setters, not records
    for (const a of argsOf(call)) {
      const obj = a.kind() === 'object' || a.kind() === 'dictionary' ? a : undefined;
      const pairs = obj
        ? pairsOf(obj)
        : a.kind() === 'keyword_argument'
          ? [{ key: a.field('name')?.text() ?? '', value: a.field('value')! }]
          : [];
      for (const p of pairs) {
        if (!/^(status|phase|state)$/.test(p.key) || !p.value) continue;
        const v = stringValue(p.value);
        if (v) out.push({ call, value: v });
      }
    }
  }
  return out;
}

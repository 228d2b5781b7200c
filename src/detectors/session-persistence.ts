import type { SgNode } from '@ast-grep/napi';
import type { ParsedSource } from '../core/parse-source.js';
import type { StoreInfo } from '../core/types.js';
import { type ResumeFunction, resumeFunctions } from './state-budget/resume.js';
import { sdkMechanisms } from './state-budget/sdk-mechanisms.js';
import {
  argsOf,
  calleeText,
  callsMatching,
  contains,
  enclosingClassName,
  enclosingFunction,
  endsWithName,
  functionName,
  isFunction,
  isPython,
  lastSegment,
  optionValue,
  pairsOf,
  positionalArgs,
  receiverText,
  startOf,
  stringValue,
} from './state-budget/syntax.js';
import {
  CONVERSATION_TARGETS,
  conversationTarget,
  hasWord,
  stateTarget,
  wordsOf,
} from './state-budget/vocab.js';
import { type WriteSite, writeSites } from './state-budget/writes.js';
import type { Detector, EmitContext } from './types.js';

export const FACT_KINDS = [
  'session.write',
  'session.records',
  'session.atomic-write',
  'session.fsync',
  'session.lock',
  'session.schema-version',
  'session.resume',
  'session.torn-write-recovery',
] as const;

const VERSION_KEY =
  /^(version|schemaVersion|schema_version|formatVersion|format_version|storeVersion|store_version)$/;
const VERSION_CONST =
  /^[A-Z_]*(SCHEMA|FORMAT|STORE|SESSION|TRANSCRIPT|FILE|RECORD|LOG)_VERSION$|^(schema|format|store)Version$/;
const RECORD_CATEGORIES: [string, RegExp][] = [
  ['messages', /^(role|content|message|messages|tool|calls)$/],
  ['usage', /^(usage|tokens?|cost|usd)$/],
  ['permission', /^(decision|decisions|permission|permissions|approval|approved|denied|allowed)$/],
  ['config', /^(config|settings|options|cwd|system|tools|mode)$/],
  ['model', /^model$/],
];

export const sessionPersistenceDetector: Detector = {
  id: 'session-persistence',
  description:
    'Transcript/session stores: writes (append, overwrite, insert), atomic rename, fsync, locks, schema versions, resume paths, torn-line recovery.',
  file(ctx) {
    analyseFile(ctx, ctx.src);
  },
};

function analyseFile(ctx: EmitContext, src: ParsedSource): void {
  const py = isPython(src);
  const file = src.file;
  const sites = writeSites(src);
  const resumes = resumeFunctions(src);
  const sdk = sdkMechanisms(src, ctx.imports(src)).filter(
    (m) => m.sdk !== 'temporal' && m.mechanism !== 'file-checkpointing' && m.mechanism !== 'workflow',
  );
  const conversationSites = sites.filter((s) => s.target !== 'state');
  const sessionFile = conversationSites.length > 0 || resumes.length > 0;
  if (sites.length === 0 && resumes.length === 0 && sdk.length === 0) return;

  for (const s of sites) {
    ctx.emit('session.write', file, s.call, {
      api: s.api,
      target: s.target,
      appendOnly: s.appendOnly,
      jsonl: s.jsonl,
    });
    const categories = recordCategories(s.fields);
    if (categories.length > 0)
      ctx.emit('session.records', file, s.call, {
        target: s.target,
        fields: categories,
        keys: s.fields.slice(0, 20),
      });
  }

  const relevant = (node: SgNode) => sessionFile || namesAStore(node, py);
  const atomic = atomicWrites(src, py).filter(relevant);
  for (const a of atomic) ctx.emit('session.atomic-write', file, a, { via: 'rename' });
  const fsyncs = fsyncCalls(src, py).filter(relevant);
  for (const f of fsyncs) ctx.emit('session.fsync', file, f, {});
  const locks = lockSites(ctx, src, py).filter((l) => relevant(l.node));
  for (const l of locks) ctx.emit('session.lock', file, l.node, { via: l.via });
  const versions = schemaVersions(file.text, sites, py);
  for (const v of versions) ctx.emit('session.schema-version', file, v, {});

  for (const r of resumes)
    ctx.emit('session.resume', file, r.fn, { via: 'code', name: r.name, jsonl: r.jsonl });
  for (const m of sdk)
    ctx.emit('session.resume', file, m.node, {
      via: 'sdk',
      sdk: m.sdk,
      mechanism: m.mechanism,
      durable: m.durable,
    });
  for (const t of tornWriteRecovery(src, py, resumes, sessionFile))
    ctx.emit('session.torn-write-recovery', file, t.node, { how: t.how });

  addStores(ctx, src, sites, {
    atomic: atomic.length > 0,
    fsync: fsyncs.length > 0,
    lock: locks.length > 0,
    versioned: versions.length > 0,
  });
}

function recordCategories(keys: readonly string[]): string[] {
  const words = keys.flatMap((k) => wordsOf(k));
  return RECORD_CATEGORIES.filter(([, re]) => hasWord(words, re)).map(([c]) => c);
}

/** Whether the function around a node is named for a session or state store (`saveSession`, `writeState`). */
function namesAStore(node: SgNode, py: boolean): boolean {
  const fn = enclosingFunction(node, py);
  const words = wordsOf(`${fn ? functionName(fn) : ''} ${enclosingClassName(node)}`);
  return conversationTarget(words) !== undefined || stateTarget(words);
}

const TEMP_WORDS = /^(tmp|temp|temporary|staging|partial)$/;

/**
 * Temp file then rename: a write whose path says tmp/temp, followed in the same function by a rename
 * (`rename`, `os.replace`, `Path.replace`, fs-extra `move`) from that path. Also `write-file-atomic` /
 * `atomically` / `atomicwrites` helpers, which do exactly that.
 */
function atomicWrites(src: ParsedSource, py: boolean): SgNode[] {
  const text = src.file.text;
  if (!/rename|replace|move|atomic/i.test(text)) return [];
  const out: SgNode[] = [];
  const calls = callsMatching(
    src,
    '(^|\\.)(writeFile|writeFileSync|open|openSync|write_text|write_bytes|dump|outputFile|writeJson|rename|renameSync|move|moveSync|replace|mkstemp|NamedTemporaryFile|mkstempSync|writeFileAtomic|writeFileAtomicSync|atomic_write|atomicWrite|atomicWriteFile|atomicWriteFileSync)$|^atomically\\.',
  );
  const tempWrites = calls.filter((c) => {
    const name = lastSegment(calleeText(c));
    // tempfile.mkstemp / NamedTemporaryFile(delete=False) create the temp file the rename publishes
    if (/^(mkstemp|NamedTemporaryFile|mkstempSync)$/.test(name)) return true;
    if (
      !/^(writeFile|writeFileSync|open|openSync|write_text|write_bytes|dump|outputFile|writeJson)$/.test(name)
    )
      return false;
    const pathNode =
      py && (name === 'write_text' || name === 'write_bytes')
        ? c.field('function')?.field('object')
        : positionalArgs(c)[0];
    return pathNode ? hasWord(wordsOf(pathNode.text()), TEMP_WORDS) : false;
  });
  for (const c of calls) {
    const callee = calleeText(c);
    const name = lastSegment(callee);
    const args = positionalArgs(c);
    let from: SgNode | undefined;
    if (name === 'rename' || name === 'renameSync' || name === 'move' || name === 'moveSync')
      from = args.length >= 2 ? args[0] : (c.field('function')?.field('object') ?? undefined);
    else if (py && name === 'replace') {
      // os.replace(src, dst) or Path(src).replace(dst); str.replace(a, b) has two args and a str receiver
      if (callee === 'os.replace' || callee === 'shutil.move') from = args[0];
      else if (args.length === 1) from = c.field('function')?.field('object') ?? undefined;
    }
    if (!from) continue;
    const fromWords = wordsOf(from.text());
    const fn = enclosingFunction(c, py);
    const precededByTempWrite = tempWrites.some(
      (w) => startOf(w) < startOf(c) && (fn ? contains(fn, w) : enclosingFunction(w, py) === undefined),
    );
    if (precededByTempWrite && hasWord(fromWords, TEMP_WORDS)) out.push(c);
  }
  if (/atomic/i.test(text)) {
    for (const c of calls) {
      const callee = calleeText(c);
      if (
        /^(writeFileAtomic(Sync)?|atomic_write|atomicWrite(File)?(Sync)?)$/.test(lastSegment(callee)) ||
        /^atomically\./.test(callee)
      )
        out.push(c);
    }
  }
  return out;
}

function fsyncCalls(src: ParsedSource, py: boolean): SgNode[] {
  const text = src.file.text;
  if (!/sync|flush/.test(text)) return [];
  // Speed gate: a `flush` option needs the word.
  const flushHint = text.includes('flush');
  const out: SgNode[] = [];
  const names = [
    'fsync',
    'fsyncSync',
    'fdatasync',
    'fdatasyncSync',
    'sync',
    'datasync',
    'writeFile',
    'writeFileSync',
    'appendFile',
    'appendFileSync',
  ];
  for (const c of callsMatching(src, endsWithName(names))) {
    const callee = calleeText(c);
    const name = lastSegment(callee);
    if (py) {
      if (callee === 'os.fsync' || callee === 'os.fdatasync') out.push(c);
      continue;
    }
    if (/^f(data)?sync(Sync)?$/.test(name)) out.push(c);
    else if (
      (name === 'sync' || name === 'datasync') &&
      hasWord(wordsOf(receiverText(callee)), /^(handle|fh|fd|file)$/)
    )
      out.push(c);
    else if (
      flushHint &&
      /^(writeFile|writeFileSync|appendFile|appendFileSync)$/.test(name) &&
      optionValue(c, 'flush')?.text() === 'true'
    )
      out.push(c);
  }
  return out;
}

interface LockSite {
  node: SgNode;
  via: 'exclusive-create' | 'lockfile' | 'flock';
}

const LOCK_MODULES = /^(proper-lockfile|lockfile|lockfile-promise|filelock|portalocker)$/;

function lockSites(ctx: EmitContext, src: ParsedSource, py: boolean): LockSite[] {
  const text = src.file.text;
  if (!/lock|wx|O_EXCL/i.test(text)) return [];
  const out: LockSite[] = [];
  const lockLocals = new Set(
    ctx
      .imports(src)
      .filter((b) => LOCK_MODULES.test(b.module))
      .map((b) => b.local),
  );
  for (const c of callsMatching(
    src,
    endsWithName([
      'flock',
      'lockf',
      'locking',
      'FileLock',
      'SoftFileLock',
      'Lock',
      'lock',
      'lockSync',
      'check',
      'open',
      'openSync',
      'writeFile',
      'writeFileSync',
    ]),
  )) {
    const callee = calleeText(c);
    const name = lastSegment(callee);
    const root = callee.split('.')[0] ?? '';
    if (py) {
      if (/^fcntl\.(flock|lockf)$|^msvcrt\.locking$/.test(callee)) out.push({ node: c, via: 'flock' });
      else if (
        /^(FileLock|SoftFileLock|Lock|lock)$/.test(name) &&
        (lockLocals.has(root) || lockLocals.has(name))
      )
        out.push({ node: c, via: 'lockfile' });
      else if (callee === 'os.open' && argsOf(c).some((a) => /O_EXCL/.test(a.text())))
        out.push({ node: c, via: 'exclusive-create' });
      continue;
    }
    if ((lockLocals.has(root) || lockLocals.has(name)) && /^(lock|lockSync|check)$/.test(name)) {
      out.push({ node: c, via: 'lockfile' });
      continue;
    }
    if (!/^(open|openSync|writeFile|writeFileSync)$/.test(name)) continue;
    const flagNode = name.startsWith('open') ? positionalArgs(c)[1] : optionValue(c, 'flag');
    const flag = flagNode ? stringValue(flagNode) : undefined;
    if ((flag && /^[aw]x\+?$/.test(flag)) || argsOf(c).some((a) => /\bO_EXCL\b/.test(a.text())))
      out.push({ node: c, via: 'exclusive-create' });
  }
  return out;
}

/** A version field in the records written, or a SCHEMA_VERSION-like constant used where they are built. */
function schemaVersions(text: string, sites: readonly WriteSite[], py: boolean): SgNode[] {
  const out: SgNode[] = [];
  // Speed gates: every VERSION_KEY name holds `ersion`; a VERSION_CONST name, one of these.
  const keyHint = text.includes('ersion');
  const constHint = /_VERSION|(schema|format|store)Version/.test(text);
  if (!keyHint && !constHint) return out;
  const seen = new Set<number>();
  const add = (n: SgNode) => {
    if (!seen.has(startOf(n))) {
      seen.add(startOf(n));
      out.push(n);
    }
  };
  for (const s of sites) {
    const scopes = [...s.data];
    if (s.fn) scopes.push(s.fn);
    for (const scope of scopes) {
      let found = false;
      for (const obj of keyHint ? scope.findAll({ rule: { kind: py ? 'dictionary' : 'object' } }) : []) {
        const pair = pairsOf(obj).find((p) => VERSION_KEY.test(p.key));
        if (pair) {
          add(pair.node);
          found = true;
        }
      }
      for (const id of constHint
        ? scope.findAll({ rule: { kind: 'identifier', regex: VERSION_CONST.source } })
        : []) {
        add(id);
        found = true;
      }
      if (found) break;
    }
  }
  return out;
}

interface TornRecovery {
  node: SgNode;
  how: 'skip-bad-line' | 'trailing-newline';
}

const ITERATING_METHODS = /^(map|flatMap|filter|forEach|reduce|flat_map)$/;

/**
 * Tolerance of a torn last line: a try/catch (try/except) around the per-line parse that does not
 * rethrow, or an explicit check that the stored file ends with a newline before appending or reading.
 */
function tornWriteRecovery(
  src: ParsedSource,
  py: boolean,
  resumes: readonly ResumeFunction[],
  sessionFile: boolean,
): TornRecovery[] {
  if (!sessionFile) return [];
  const out: TornRecovery[] = [];
  const inResume = (n: SgNode) => resumes.some((r) => contains(r.fn, n));
  const text = src.file.text;
  // Speed gate: a try statement only counts around a parse call the file's text names.
  const parses = py ? /json\.loads|model_validate_json/.test(text) : /JSON5?\.parse/.test(text);
  for (const t of parses ? src.root.findAll({ rule: { kind: 'try_statement' } }) : []) {
    const body = t.field('body') ?? t.children().find((c) => c.kind() === 'block');
    if (!body) continue;
    const parse = body.find({
      rule: {
        kind: py ? 'call' : 'call_expression',
        has: {
          field: 'function',
          regex: py ? '^(json|orjson|ujson)\\.loads$|model_validate_json$' : '^JSON5?\\.parse$',
        },
      },
    });
    if (!parse) continue;
    if (!perItem(t, py)) continue;
    const parsedWords = wordsOf(positionalArgs(parse)[0]?.text() ?? '');
    if (!inResume(t) && !hasWord(parsedWords, /^(line|lines|raw|row|entry|record|l)$/)) continue;
    const handlers = t.children().filter((c) => c.kind() === 'catch_clause' || c.kind() === 'except_clause');
    const rethrows = handlers.some((h) => {
      const hb = h.field('body') ?? h.children().find((c) => c.kind() === 'block') ?? h;
      return hb.children().some((s) => s.kind() === 'throw_statement' || s.kind() === 'raise_statement');
    });
    if (handlers.length > 0 && !rethrows) out.push({ node: t, how: 'skip-bad-line' });
  }
  const endsWith = /endsWith|endswith/.test(text)
    ? callsMatching(src, endsWithName(['endsWith', 'endswith']))
    : [];
  for (const c of endsWith) {
    const name = lastSegment(calleeText(c));
    if (name !== 'endsWith' && name !== 'endswith') continue;
    const arg = positionalArgs(c)[0];
    if (arg && stringValue(arg) === '\\n') out.push({ node: c, how: 'trailing-newline' });
  }
  return out;
}

/** Inside a loop, or inside a callback handed to map/filter/forEach/reduce: i.e. once per record. */
function perItem(node: SgNode, py: boolean): boolean {
  for (let p = node.parent(); p; p = p.parent()) {
    const k = p.kind();
    if (k === 'for_statement' || k === 'for_in_statement' || k === 'while_statement' || k === 'do_statement')
      return true;
    if (isFunction(p, py)) {
      const call = p.parent()?.parent();
      if (p.parent()?.kind() === 'arguments' && call && ITERATING_METHODS.test(lastSegment(calleeText(call))))
        return true;
      return false;
    }
  }
  return false;
}

function addStores(
  ctx: EmitContext,
  src: ParsedSource,
  sites: readonly WriteSite[],
  seen: { atomic: boolean; fsync: boolean; lock: boolean; versioned: boolean },
): void {
  const byKind = new Map<StoreInfo['kind'], WriteSite[]>();
  for (const s of sites) {
    const kind: StoreInfo['kind'] =
      CONVERSATION_TARGETS.includes(s.target) || s.target === 'unknown' ? 'transcript' : 'state';
    byKind.set(kind, [...(byKind.get(kind) ?? []), s]);
  }
  for (const [kind, group] of byKind) {
    const discipline: string[] = [];
    if (group.some((s) => s.appendOnly)) discipline.push('append');
    if (seen.atomic) discipline.push('atomic-rename');
    if (seen.fsync) discipline.push('fsync');
    if (seen.lock) discipline.push('lock');
    if (seen.versioned) discipline.push('versioned');
    if (!seen.atomic && group.some((s) => !s.appendOnly)) discipline.push('overwrite');
    const first = group[0]!;
    ctx.inventory.stores.push({
      kind,
      file: src.file.path,
      line: first.call.range().start.line + 1,
      discipline,
    });
  }
}

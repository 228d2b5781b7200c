import type { SgNode } from '@ast-grep/napi';
import { type ImportBinding, moduleMatches } from '../core/imports.js';
import { lineOf, type ParsedSource } from '../core/parse-source.js';
import type { FileRole, ProjectFile } from '../core/types.js';
import { commandText, type ExecCall, execCalls } from './runtime/exec-calls.js';
import { isModelCall } from './runtime/model-calls.js';
import { isInTool, registeredShellHandlers } from './runtime/shell-tool-context.js';
import {
  calleeName,
  calleePath,
  callsIn,
  enclosingFunction,
  identifierUses,
  kindsRule,
  objectEntries,
  positionalArgs,
  receiverOf,
  regexPatterns,
  stringValue,
} from './runtime/syntax.js';
import type { Detector, FileContext, ProjectContext } from './types.js';

/**
 * Fact kinds of this detector:
 * - `shell.exec` {api, shellTrue, inTool}: a process is started; `inTool` when the model can drive it.
 * - `shell.guard` {kind, detail?}: one independent guard layer around the shell tool. Kinds: timeout,
 *   output-cap, cwd-jail, env-scrub, sandbox, parser, compound-split, denylist, allowlist,
 *   injection-check, path-check, network-limit.
 */
export const FACT_KINDS = ['shell.exec', 'shell.guard'] as const;

export type GuardKind =
  | 'timeout'
  | 'output-cap'
  | 'cwd-jail'
  | 'env-scrub'
  | 'sandbox'
  | 'parser'
  | 'compound-split'
  | 'denylist'
  | 'allowlist'
  | 'injection-check'
  | 'path-check'
  | 'network-limit';

/** Roles whose process spawns are not the agent's shell tool (test harnesses, build scripts, CI). */
const NOT_AGENT_ROLES: FileRole[] = ['test', 'script', 'eval', 'ci'];
const SHELL_PATH = /bash|shell|sandbox|command|exec|terminal/i;
const SANDBOX_MODULES = [
  '@anthropic-ai/sandbox-runtime',
  'sandbox_runtime',
  '@e2b/code-interpreter',
  'e2b',
  'e2b_code_interpreter',
  '@vercel/sandbox',
  '@daytonaio/sdk',
  'daytona',
  'dockerode',
  'docker',
  'seccomp',
  'pyseccomp',
];
const SANDBOX_BINARIES =
  /^(bwrap|bubblewrap|firejail|sandbox-exec|nsjail|runsc|srt|minijail0)$|^(docker|podman)\s+(run|exec)\b/;
const PARSER_MODULES = [
  'shell-quote',
  'bash-parser',
  'tree-sitter-bash',
  'mvdan-sh',
  'sh-syntax',
  'shlex',
  'bashlex',
  'shell-parse',
];
const DENY_NAME =
  /deny|denied|block|banned|forbid|dangerous|destructive|unsafe|blacklist|disallow|risky|prohibit/i;
const ALLOW_NAME = /allow|safe|permitted|whitelist|read_?only|trusted/i;
const COMMANDISH = /^[a-z][\w.+-]*(\s|$|\*|:)/;
const OUTPUTISH = /out|stdout|stderr|result|text|buf|log|content/i;
const LIMITISH = /MAX|LIMIT|CAP|TRUNC|max|limit/;

// ---- shell.exec -----------------------------------------------------------------------------------------

function sdkShellTools(src: ParsedSource): { node: SgNode; api: string }[] {
  const python = src.language === 'python';
  const text = src.file.text;
  const out: { node: SgNode; api: string }[] = [];
  if (/bash_\d|['"]Bash/.test(text)) {
    for (const obj of src.root.findAll({ rule: { kind: python ? 'dictionary' : 'object' } })) {
      const type = stringValue(objectEntries(obj).get('type'));
      if (type && /^bash_\d+$/.test(type)) out.push({ node: obj, api: 'anthropic-bash-tool' });
    }
    const listKind = python ? 'list' : 'array';
    for (const list of src.root.findAll({ rule: { kind: listKind } })) {
      const holder = list.parent();
      const key = holder?.field('key')?.text() ?? holder?.field('name')?.text() ?? '';
      if (!/^['"]?(allowedTools|allowed_tools|tools)['"]?$/.test(key)) continue;
      const values = list.children().map((c) => stringValue(c));
      if (values.some((v) => v !== undefined && /^Bash(\(|$)/.test(v)))
        out.push({ node: list, api: 'claude-agent-sdk-bash' });
    }
  }
  // A permission callback or hook that special-cases the SDK's built-in Bash tool.
  if (/['"]Bash['"]/.test(text)) {
    for (const cmp of src.root.findAll({
      rule: kindsRule(python, ['binary_expression'], ['comparison_operator']),
    })) {
      const parts = cmp.children();
      const bash = parts.some((c) => stringValue(c) === 'Bash');
      if (bash && parts.some((c) => /tool_?name|^name$|\.name$|tool$/i.test(c.text())))
        out.push({ node: cmp, api: 'claude-agent-sdk-bash' });
    }
  }
  if (/ShellTool|shellTool/.test(text)) {
    for (const call of [
      ...callsIn(src),
      ...(python ? [] : src.root.findAll({ rule: { kind: 'new_expression' } })),
    ]) {
      const name =
        call.kind() === 'new_expression' ? (call.field('constructor')?.text() ?? '') : calleeName(call);
      if (/^(ShellTool|LocalShellTool|shellTool|localShellTool)$/.test(name))
        out.push({ node: call, api: 'openai-shell-tool' });
    }
  }
  return out;
}

// ---- guards ---------------------------------------------------------------------------------------------

/**
 * One guard layer found in a file, as plain data: exec files are analysed in the file step and their hits
 * cross threads. `ifContained` marks a cwd option, a jail only when some scope file checks path containment.
 */
interface GuardHit {
  line: number;
  kind: GuardKind;
  detail?: string;
  ifContained?: true;
}

/** What the project step needs of one scope file: path-containment checks (emitted first), then the rest. */
interface FileGuards {
  pathChecks: number[];
  hits: GuardHit[];
}

/** Collects one file's hits in the order the checks find them; duplicates are dropped when emitted. */
class GuardHits {
  readonly hits: GuardHit[] = [];
  add(node: SgNode | number, kind: GuardKind, detail?: string, ifContained?: true) {
    const line = typeof node === 'number' ? node : lineOf(node);
    this.hits.push({ line, kind, ...(detail ? { detail } : {}), ...(ifContained ? { ifContained } : {}) });
  }
}

function inheritsEnvironment(env: SgNode): boolean {
  const t = env.text().replace(/\s+/g, '');
  if (/^(process\.env|os\.environ|dict\(os\.environ\)|os\.environ\.copy\(\))$/.test(t)) return true;
  // `{ ...process.env, X }` / `{**os.environ, ...}` still hands every secret to the child.
  return /(\.\.\.|\*\*)(process\.env|os\.environ)/.test(t);
}

function optionGuards(src: ParsedSource, e: ExecCall, guards: GuardHits) {
  const python = src.language === 'python';
  for (const [name, value] of e.options) {
    if (name === 'timeout' && value && value.text() !== 'None' && value.text() !== '0')
      guards.add(e.call, 'timeout', 'option');
    else if (name === 'signal' && value && /timeout/i.test(value.text()))
      guards.add(e.call, 'timeout', 'abort-signal');
    else if (name === 'maxBuffer') guards.add(e.call, 'output-cap', 'maxBuffer');
    else if (name === 'env' && value && !inheritsEnvironment(value)) guards.add(e.call, 'env-scrub');
    else if (name === 'cwd' && value) guards.add(e.call, 'cwd-jail', undefined, true);
  }
  // A sandbox binary wrapping the command: spawn('bwrap', [...]) / exec(`docker run ... ${cmd}`).
  const first = e.command;
  const head = first
    ? (stringValue(first) ?? commandText(first, python).split(/\s+/).slice(0, 2).join(' '))
    : '';
  if (SANDBOX_BINARIES.test(head.trim()) || SANDBOX_BINARIES.test(head.trim().split(/\s+/)[0] ?? ''))
    guards.add(e.call, 'sandbox', head.trim().split(/\s+/)[0]);
}

function hasPathContainment(src: ParsedSource): SgNode[] {
  const out: SgNode[] = [];
  const text = src.file.text;
  if (!/startsWith|startswith|is_relative_to|commonpath|relative\(/.test(text)) return out;
  const resolves = /resolve|realpath|abspath|normalize/.test(text);
  for (const call of callsIn(src)) {
    const name = calleeName(call);
    if (name === 'is_relative_to' || name === 'commonpath') out.push(call);
    else if ((name === 'startsWith' || name === 'startswith') && resolves) {
      const recv = receiverOf(call)?.text() ?? '';
      const arg = positionalArgs(call)[0];
      const argText = arg?.text() ?? '';
      if (
        stringValue(arg) === '..' ||
        /root|workspace|cwd|base|sandbox|allowed|dir|resolved|real|jail/i.test(recv + argText)
      )
        out.push(call);
    }
  }
  return out;
}

function commandAnalysisGuards(src: ParsedSource, imports: readonly ImportBinding[], guards: GuardHits) {
  const python = src.language === 'python';
  const root = src.root;
  // Real shell parsers, called on the command.
  const parserLocals = new Map<string, string>();
  for (const b of imports) {
    const mod = PARSER_MODULES.find((m) => moduleMatches(b.module, m));
    if (mod && b.local) parserLocals.set(b.local, mod);
  }
  for (const call of parserLocals.size > 0 ? callsIn(src) : []) {
    const path = calleePath(call);
    const head = path.split('.')[0] ?? '';
    const mod = parserLocals.get(head);
    if (!mod) continue;
    if (
      mod === 'shlex' &&
      !/^shlex\.split$/.test(path) &&
      !(head === path && parserLocals.get(head) === 'shlex')
    )
      continue;
    guards.add(call, 'parser', mod);
  }
  // Compound commands split on operators before checking; injection / substitution checks.
  for (const { node, pattern } of regexPatterns(root, python)) {
    const ops = [/&&/, /\\\|\\\||\|\|/, /;/, /\\\||(^|[^|])\|([^|]|$)/].filter((re) =>
      re.test(pattern),
    ).length;
    const parent = node.parent()?.parent();
    const splitCall = parent && (calleeName(parent) === 'split' || calleePath(parent) === 're.split');
    if (ops >= 2 && (splitCall || python)) guards.add(node, 'compound-split');
    if (/\\\$\\\(|\\\$\(|`|\\\$\\\{|\$\\\{|<\\\(/.test(pattern)) guards.add(node, 'injection-check');
  }
  for (const call of callsIn(src)) {
    const name = calleeName(call);
    if (name === 'includes' || name === 'indexOf' || name === 'test') {
      const v = stringValue(positionalArgs(call)[0]);
      if (v === '$(' || v === '`' || v === '${') guards.add(call, 'injection-check');
    }
  }
  // Speed gate inside the query: a string child whose value is one of the operators below has one of
  // their characters in its text.
  const stringKinds = python
    ? { kind: 'string' }
    : { any: [{ kind: 'string' }, { kind: 'template_string' }] };
  for (const cmp of root.findAll({
    rule: {
      ...kindsRule(python, ['binary_expression'], ['comparison_operator']),
      has: { ...stringKinds, regex: '[$`&|;]' },
    },
  })) {
    const lits = cmp.children().map((c) => stringValue(c));
    if (lits.some((l) => l === '$(' || l === '`' || l === '${')) guards.add(cmp, 'injection-check');
    if (lits.some((l) => l === '&&' || l === '||' || l === ';') && /\.op\b|\["op"\]|\bop\b/.test(cmp.text()))
      guards.add(cmp, 'compound-split');
  }
  // A set of control operators the checks look for (`{"&&", "||", ";", "|"}`).
  for (const list of root.findAll({
    rule: {
      ...kindsRule(python, ['array'], ['list', 'set', 'tuple']),
      has: { ...stringKinds, regex: '[&|;]' },
    },
  })) {
    const values = list.children().map((c) => stringValue(c));
    const ops = new Set(values.filter((v) => v === '&&' || v === '||' || v === ';' || v === '|'));
    if (ops.size >= 2) guards.add(list, 'compound-split', 'operator-set');
  }
  // Deny- and allowlists of commands, consulted somewhere in the file.
  const declKind = python ? 'assignment' : 'variable_declarator';
  for (const decl of root.findAll({ rule: { kind: declKind } })) {
    const nameNode = decl.field(python ? 'left' : 'name');
    const value = decl.field(python ? 'right' : 'value');
    const name = nameNode?.text() ?? '';
    if (!value || !nameNode || /tool/i.test(name)) continue;
    const kind: GuardKind | undefined = DENY_NAME.test(name)
      ? 'denylist'
      : ALLOW_NAME.test(name)
        ? 'allowlist'
        : undefined;
    if (!kind) continue;
    const elements = value.findAll({ rule: { kind: 'string' } }).map((s) => stringValue(s));
    const regexes = python ? [] : value.findAll({ rule: { kind: 'regex' } });
    const commandLike = elements.some((e) => e !== undefined && COMMANDISH.test(e)) || regexes.length > 0;
    if (!commandLike) continue;
    const simpleName = name.replace(/^self\./, '');
    if (identifierUses(src, simpleName.split('.').pop() ?? simpleName).length >= 2)
      guards.add(decl, kind, simpleName);
  }
  // Network limits: sandbox flags and domain allowlists.
  // Speed gate inside the query: the flags below are `--…n…`, and a string's value is its text's fragments.
  for (const s of root.findAll({ rule: { kind: 'string', regex: '(?s)-.*-.*n' } })) {
    const v = stringValue(s);
    if (v && /^--(unshare-net|unshare-all|network[= ]none|net[= ]none)$/.test(v))
      guards.add(s, 'network-limit', v);
  }
  for (const obj of root.findAll({ rule: { kind: python ? 'dictionary' : 'object' } })) {
    for (const [key, value] of objectEntries(obj)) {
      if (
        /^(allowedDomains|allowed_domains|allowedHosts|allowed_hosts|deniedDomains|denied_domains)$/.test(key)
      )
        guards.add(obj, 'network-limit', key);
      else if (
        /^(network|networkAccess|allowNetwork|network_access|allow_network)$/.test(key) &&
        /^(false|False|'none'|"none")$/.test(value?.text() ?? '')
      )
        guards.add(obj, 'network-limit', key);
      else if (
        key === 'sandbox' &&
        value &&
        (value.kind() === 'true' || objectEntries(value).get('enabled')?.kind() === 'true')
      )
        guards.add(obj, 'sandbox', 'sdk-option');
    }
  }
  // Sandboxes brought in as libraries.
  for (const b of imports) {
    const mod = SANDBOX_MODULES.find((m) => moduleMatches(b.module, m));
    if (mod) guards.add(b.line, 'sandbox', mod);
  }
  for (const list of root.findAll({ rule: { kind: python ? 'list' : 'array' } })) {
    const firstEl = list.children().find((c) => c.isNamed());
    const v = stringValue(firstEl);
    if (v && SANDBOX_BINARIES.test(v)) guards.add(list, 'sandbox', v);
  }
  for (const call of callsIn(src))
    if (calleeName(call) === 'wrapWithSandbox') guards.add(call, 'sandbox', 'sandbox-runtime');
}

function resourceGuards(src: ParsedSource, guards: GuardHits) {
  const python = src.language === 'python';
  for (const call of callsIn(src)) {
    const name = calleeName(call);
    const args = positionalArgs(call);
    if ((name === 'slice' || name === 'substring') && OUTPUTISH.test(receiverOf(call)?.text() ?? '')) {
      const limit = args[args.length - 1];
      const t = limit?.text() ?? '';
      if (LIMITISH.test(t) || Math.abs(Number(t)) >= 100) guards.add(call, 'output-cap', 'slice');
    } else if (
      /^truncate\w*$|^cap\w*Output$|^limit\w*Output$/i.test(name) &&
      args.some((a) => OUTPUTISH.test(a.text()))
    )
      guards.add(call, 'output-cap', name);
    else if (name === 'setTimeout' && args[0] && /\.kill\(/.test(args[0].text()))
      guards.add(call, 'timeout', 'kill-timer');
    else if (
      python &&
      (name === 'communicate' || name === 'wait' || name === 'wait_for') &&
      /timeout/.test(call.field('arguments')?.text() ?? '')
    )
      guards.add(call, 'timeout', name);
    else if (python && calleePath(call) === 'asyncio.wait_for') guards.add(call, 'timeout', 'wait_for');
  }
  if (python) {
    for (const sub of src.root.findAll({ rule: { kind: 'subscript', has: { kind: 'slice' } } })) {
      const value = sub.field('value')?.text() ?? '';
      const slice = sub.find({ rule: { kind: 'slice' } })?.text() ?? '';
      if (OUTPUTISH.test(value) && (LIMITISH.test(slice) || /\d{3,}/.test(slice)))
        guards.add(sub, 'output-cap', 'slice');
    }
  }
}

// ---- scope ----------------------------------------------------------------------------------------------

function resolveRelative(from: string, spec: string, paths: Set<string>): string | undefined {
  const dir = from.slice(0, from.lastIndexOf('/') + 1);
  const parts = (dir + spec).split('/');
  const norm: string[] = [];
  for (const p of parts) {
    if (p === '.' || p === '') continue;
    if (p === '..') norm.pop();
    else norm.push(p);
  }
  const base = norm.join('/').replace(/\.(m|c)?js$/, '');
  for (const ext of ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.mts', '/index.ts', '/index.js', ''])
    if (paths.has(base + ext)) return base + ext;
  return undefined;
}

function pyModulePath(from: string, module: string, paths: Set<string>): string | undefined {
  if (module.startsWith('.')) {
    const dots = module.match(/^\.+/)?.[0].length ?? 0;
    const dir = from.split('/').slice(0, -dots).join('/');
    const rest = module.slice(dots).replace(/\./g, '/');
    for (const c of [`${dir}/${rest}.py`, `${dir}/${rest}/__init__.py`])
      if (paths.has(c.replace(/^\//, ''))) return c.replace(/^\//, '');
    return undefined;
  }
  const rel = module.replace(/\./g, '/');
  for (const p of paths) if (p.endsWith(`${rel}.py`) || p.endsWith(`${rel}/__init__.py`)) return p;
  return undefined;
}

/** Every guard in one scope file; `calls` are its process spawns (none for files pulled in by import or name). */
function fileGuards(src: ParsedSource, imports: readonly ImportBinding[], calls: ExecCall[]): FileGuards {
  const guards = new GuardHits();
  for (const e of calls) optionGuards(src, e, guards);
  commandAnalysisGuards(src, imports, guards);
  resourceGuards(src, guards);
  return { pathChecks: hasPathContainment(src).map(lineOf), hits: guards.hits };
}

/** Records `shell.exec` for every spawn and SDK shell tool of the file. */
function emitExecs(ctx: FileContext, calls: ExecCall[], tools: { node: SgNode; api: string }[]) {
  const src = ctx.src;
  const python = src.language === 'python';
  const imports = ctx.imports(src);
  const handlers = calls.length > 0 ? registeredShellHandlers(src.root, python) : new Set<string>();
  const callKind = python ? 'call' : 'call_expression';
  for (const e of calls) {
    const fn = enclosingFunction(e.call);
    const dynamic =
      e.command !== undefined &&
      stringValue(e.command) === undefined &&
      e.command.kind() !== 'array' &&
      e.command.kind() !== 'list';
    const modelDriven =
      dynamic && fn?.findAll({ rule: { kind: callKind } }).some((c) => isModelCall(c, imports));
    ctx.emit('shell.exec', src.file, e.call, {
      api: e.api,
      shellTrue: e.shellTrue,
      inTool: isInTool(e.call, e.command, handlers, modelDriven === true),
    });
  }
  for (const t of tools)
    ctx.emit('shell.exec', src.file, t.node, { api: t.api, shellTrue: true, inTool: true });
}

/** Guards live next to the spawn, in modules it imports, or in files named for shell handling. */
function guardScope(ctx: ProjectContext, execPaths: Iterable<string>): string[] {
  const sources = ctx.sourceFiles.filter((f) => !NOT_AGENT_ROLES.includes(f.role));
  const byPath = new Map(sources.map((f) => [f.path, f]));
  const paths = new Set(byPath.keys());
  const scope = new Set<string>(execPaths);
  for (const path of [...scope]) {
    const python = byPath.get(path)?.language === 'python';
    for (const b of ctx.importsAt(path)) {
      const target = python
        ? pyModulePath(path, b.module, paths)
        : b.module.startsWith('.')
          ? resolveRelative(path, b.module, paths)
          : undefined;
      if (target) scope.add(target);
    }
  }
  for (const f of sources) if (SHELL_PATH.test(f.path.slice(f.path.lastIndexOf('/') + 1))) scope.add(f.path);
  return [...scope];
}

/**
 * Exec files (the summaries) are analysed in their file step: they are always in scope. Files pulled in by
 * import or name are parsed again here, only when some file spawns a process.
 */
export const shellSecurityDetector: Detector<FileGuards> = {
  id: 'shell-security',
  description:
    'Process spawns (and whether a model-facing tool drives them) and the guard layers around the shell tool.',
  file(ctx) {
    const src = ctx.src;
    if (NOT_AGENT_ROLES.includes(src.file.role)) return undefined;
    const imports = ctx.imports(src);
    const calls = execCalls(src, imports);
    const tools = sdkShellTools(src);
    emitExecs(ctx, calls, tools);
    if (calls.length === 0 && tools.length === 0) return undefined;
    return fileGuards(src, imports, calls);
  },
  project(ctx, summaries) {
    if (claudeSettingsBash(ctx) || summaries.size > 0) claudeSettingsGuards(ctx);
    if (summaries.size === 0) return;
    const files = new Map(ctx.sourceFiles.map((f) => [f.path, f]));
    const scope: { file: ProjectFile; guards: FileGuards }[] = [];
    for (const path of guardScope(ctx, summaries.keys())) {
      const file = files.get(path);
      const src = summaries.has(path) ? undefined : ctx.reparse(path);
      const guards = summaries.get(path) ?? (src && fileGuards(src, ctx.importsAt(path), []));
      if (file && guards) scope.push({ file, guards });
    }
    const contained = scope.some((s) => s.guards.pathChecks.length > 0);
    const seen = new Set<string>();
    // One guard per file, line and kind: the first one found wins.
    const emit = (file: ProjectFile, hit: GuardHit) => {
      const key = `${file.path}:${hit.line}:${hit.kind}`;
      if (seen.has(key)) return;
      seen.add(key);
      ctx.emit(
        'shell.guard',
        file,
        hit.line,
        hit.detail ? { kind: hit.kind, detail: hit.detail } : { kind: hit.kind },
      );
    };
    for (const { file, guards } of scope)
      for (const line of guards.pathChecks) emit(file, { line, kind: 'path-check' });
    for (const { file, guards } of scope)
      for (const hit of guards.hits) if (!hit.ifContained || contained) emit(file, hit);
  },
};

/** Claude Code's own Bash tool governed by the project's settings: deny rules and the sandbox switch. */
function claudeSettingsGuards(ctx: ProjectContext) {
  for (const path of ['.claude/settings.json', '.claude/settings.local.json']) {
    const cfg = ctx.config(path);
    const value = cfg?.value as
      | { permissions?: Record<string, unknown>; sandbox?: { enabled?: unknown } }
      | undefined;
    if (!cfg || !value) continue;
    if (value.sandbox?.enabled === true)
      ctx.emit('shell.guard', cfg.file, cfg.lineOfKey(['sandbox']), {
        kind: 'sandbox',
        detail: 'claude-settings',
      });
    const perms = value.permissions ?? {};
    const rules = (key: string) =>
      (Array.isArray(perms[key]) ? (perms[key] as unknown[]) : []).filter(
        (r): r is string => typeof r === 'string' && /^Bash(\(|$)/.test(r),
      );
    if (rules('deny').length > 0)
      ctx.emit('shell.guard', cfg.file, cfg.lineOfKey(['permissions', 'deny']), {
        kind: 'denylist',
        detail: 'claude-settings',
      });
  }
}

function claudeSettingsBash(ctx: ProjectContext): boolean {
  let found = false;
  for (const path of ['.claude/settings.json', '.claude/settings.local.json']) {
    const cfg = ctx.config(path);
    const perms = (cfg?.value as { permissions?: Record<string, unknown> } | undefined)?.permissions;
    if (!cfg || !perms) continue;
    const mentionsBash = ['allow', 'ask', 'deny'].some(
      (k) =>
        Array.isArray(perms[k]) &&
        (perms[k] as unknown[]).some((r) => typeof r === 'string' && /^Bash(\(|$)/.test(r)),
    );
    if (!mentionsBash) continue;
    ctx.emit('shell.exec', cfg.file, cfg.lineOfKey(['permissions']), {
      api: 'claude-code-bash',
      shellTrue: true,
      inTool: true,
    });
    found = true;
  }
  return found;
}

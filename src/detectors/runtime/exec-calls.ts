import type { SgNode } from '@ast-grep/napi';
import type { ImportBinding } from '../../core/imports.js';
import { moduleMatches } from '../../core/imports.js';
import type { ParsedSource } from '../../core/parse-source.js';
import {
  calleeName,
  calleePath,
  callsIn,
  keywordArg,
  objectEntries,
  positionalArgs,
  receiverOf,
} from './syntax.js';

/**
 * Calls that start a process: Node's child_process (also promisified), execa, zx, shelljs, Bun; Python's
 * subprocess, os.system/popen, asyncio subprocesses, pexpect. Resolved through the file's imports so a
 * local function that happens to be called `exec` is not a process spawn.
 */
export interface ExecCall {
  call: SgNode;
  api: string;
  /** The command goes through a shell (exec/execSync/os.system, or `shell: true` / `shell=True`). */
  shellTrue: boolean;
  command: SgNode | undefined;
  /** Option values by name (`timeout`, `cwd`, `env`, `maxBuffer`, …). */
  options: Map<string, SgNode | null>;
}

const NODE_CP = ['child_process', 'node:child_process'];
const CP_FUNCTIONS = new Set(['exec', 'execSync', 'spawn', 'spawnSync', 'execFile', 'execFileSync', 'fork']);
const CP_SHELL = new Set(['exec', 'execSync']);
const EXECA_FUNCTIONS = new Set(['execa', 'execaSync', 'execaCommand', 'execaCommandSync', '$', 'execaNode']);
const PY_SUBPROCESS = new Set([
  'run',
  'Popen',
  'call',
  'check_call',
  'check_output',
  'getoutput',
  'getstatusoutput',
]);
const PY_SHELL_ALWAYS = new Set([
  'os.system',
  'os.popen',
  'subprocess.getoutput',
  'subprocess.getstatusoutput',
  'asyncio.create_subprocess_shell',
]);

function jsResolver(src: ParsedSource, imports: readonly ImportBinding[]) {
  /** local name → api, for plain calls (`exec(...)`). */
  const direct = new Map<string, string>();
  /** local namespace → api prefix, for member calls (`cp.exec(...)`). */
  const namespaces = new Map<string, string>();
  for (const b of imports) {
    if (!b.local) continue;
    if (NODE_CP.some((m) => b.module === m)) {
      if (b.imported === '*' || b.imported === 'default') namespaces.set(b.local, 'child_process');
      else if (CP_FUNCTIONS.has(b.imported)) direct.set(b.local, `child_process.${b.imported}`);
    } else if (moduleMatches(b.module, 'execa') && EXECA_FUNCTIONS.has(b.imported))
      direct.set(b.local, b.imported === '$' ? 'execa' : b.imported);
    else if (moduleMatches(b.module, 'zx') && (b.imported === '$' || b.imported === '*')) {
      if (b.imported === '$') direct.set(b.local, 'zx');
      else namespaces.set(b.local, 'zx');
    } else if (moduleMatches(b.module, 'shelljs')) namespaces.set(b.local, 'shelljs');
  }
  // promisify(exec) keeps the api under a new name.
  if (src.file.text.includes('promisify')) {
    for (const d of src.root.findAll({
      rule: {
        kind: 'variable_declarator',
        has: { field: 'value', kind: 'call_expression', regex: 'promisify' },
      },
    })) {
      const value = d.field('value');
      const inner = value ? positionalArgs(value)[0] : undefined;
      const name = d.field('name')?.text();
      if (!inner || !name) continue;
      const api = direct.get(inner.text()) ?? resolveMember(inner.text(), namespaces);
      if (api) direct.set(name, api);
    }
  }
  return (call: SgNode): string | undefined => {
    const fn = call.field('function');
    if (!fn) return undefined;
    if (fn.kind() === 'identifier') return direct.get(fn.text());
    const path = calleePath(call);
    if (/^Bun\.(spawn|spawnSync|\$)$/.test(path)) return path === 'Bun.$' ? 'bun.shell' : path.toLowerCase();
    const receiver = receiverOf(call);
    if (
      receiver?.kind() === 'call_expression' &&
      /^require\(\s*['"](node:)?child_process['"]\s*\)$/.test(receiver.text())
    ) {
      const name = calleeName(call);
      return CP_FUNCTIONS.has(name) ? `child_process.${name}` : undefined;
    }
    return resolveMember(path, namespaces);
  };
}

function resolveMember(path: string, namespaces: Map<string, string>): string | undefined {
  const dot = path.lastIndexOf('.');
  if (dot < 0) return undefined;
  const ns = namespaces.get(path.slice(0, dot));
  const name = path.slice(dot + 1);
  if (ns === 'child_process' && CP_FUNCTIONS.has(name)) return `child_process.${name}`;
  if (ns === 'shelljs' && name === 'exec') return 'shelljs.exec';
  if (ns === 'zx' && name === '$') return 'zx';
  return undefined;
}

function pyResolver(imports: readonly ImportBinding[]) {
  const direct = new Map<string, string>();
  const modules = new Map<string, string>();
  for (const b of imports) {
    const mod = b.module;
    if (b.imported === '*' && ['subprocess', 'os', 'asyncio', 'pexpect'].includes(mod))
      modules.set(b.local, mod);
    else if (mod === 'subprocess' && PY_SUBPROCESS.has(b.imported))
      direct.set(b.local, `subprocess.${b.imported}`);
    else if (mod === 'os' && (b.imported === 'system' || b.imported === 'popen'))
      direct.set(b.local, `os.${b.imported}`);
    else if (mod === 'asyncio' && /^create_subprocess_(shell|exec)$/.test(b.imported))
      direct.set(b.local, `asyncio.${b.imported}`);
    else if (mod === 'pexpect' && (b.imported === 'spawn' || b.imported === 'run'))
      direct.set(b.local, `pexpect.${b.imported}`);
  }
  return (call: SgNode): string | undefined => {
    const fn = call.field('function');
    if (!fn) return undefined;
    if (fn.kind() === 'identifier') return direct.get(fn.text());
    const path = calleePath(call);
    const dot = path.lastIndexOf('.');
    const mod = modules.get(path.slice(0, dot));
    const name = path.slice(dot + 1);
    if (mod === 'subprocess' && PY_SUBPROCESS.has(name)) return `subprocess.${name}`;
    if (mod === 'os' && (name === 'system' || name === 'popen')) return `os.${name}`;
    if (mod === 'asyncio' && /^create_subprocess_(shell|exec)$/.test(name)) return `asyncio.${name}`;
    if (mod === 'pexpect' && (name === 'spawn' || name === 'run')) return `pexpect.${name}`;
    return undefined;
  };
}

const truthyShell = (v: SgNode | null | undefined) =>
  v !== undefined && v !== null && v.kind() !== 'false' && v.text() !== 'False' && v.text() !== 'undefined';

export function execCalls(src: ParsedSource, imports: readonly ImportBinding[]): ExecCall[] {
  const text = src.file.text;
  const python = src.language === 'python';
  if (
    python
      ? !/subprocess|os\.|system|popen|asyncio|pexpect/.test(text)
      : !/child_process|execa|zx|shelljs|Bun\./.test(text)
  )
    return [];
  const resolve = python ? pyResolver(imports) : jsResolver(src, imports);
  const out: ExecCall[] = [];
  for (const call of callsIn(src)) {
    const api = resolve(call);
    if (!api) continue;
    const args = positionalArgs(call);
    const options = new Map<string, SgNode | null>();
    if (python) {
      for (const a of call.field('arguments')?.children() ?? [])
        if (a.kind() === 'keyword_argument') options.set(a.field('name')?.text() ?? '', a.field('value'));
    } else {
      const last = args[args.length - 1];
      if (last && last !== args[0] && last.kind() === 'object')
        for (const [k, v] of objectEntries(last)) options.set(k, v);
    }
    const shellOption = python ? keywordArg(call, 'shell') : options.get('shell');
    const shellTrue =
      (python
        ? PY_SHELL_ALWAYS.has(api)
        : CP_SHELL.has(api.replace('child_process.', '')) ||
          api === 'zx' ||
          api === 'shelljs.exec' ||
          api === 'bun.shell') || truthyShell(shellOption);
    out.push({ call, api, shellTrue, command: args[0], options });
  }
  return out;
}

/** Every literal piece of a command argument (string, template head, array of strings), joined by spaces. */
export function commandText(node: SgNode | undefined, python: boolean): string {
  if (!node) return '';
  const kind = python ? 'string_content' : 'string_fragment';
  return node
    .findAll({ rule: { kind } })
    .map((n) => n.text())
    .join(' ');
}

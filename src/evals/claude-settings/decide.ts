import type { Decision, DecisionRequest, DecisionResponse, PermissionMode } from '../protocol.js';
import { bashPatternMatches, candidateTexts, effectiveWords, envIsSafe } from './bash-match.js';
import { globMatches, isInside, ruleGlob, toPosixAbs } from './paths.js';
import { isCriticalRemoval, isProtectedPath } from './protected.js';
import { EDIT_TOOLS, mcpParts, READ_TOOLS, type Rule, SHELL_TOOLS } from './rule.js';
import type { LoadedSettings } from './settings.js';
import { parseCommandLine, type SimpleCommand } from './shell-parse.js';

export interface SimulatorContext {
  /** Absolute POSIX path of the project (the session's original cwd unless the request says otherwise). */
  projectRoot: string;
  home: string;
}

export interface SimulatedDecision extends DecisionResponse {
  /** 1-based line of the deciding rule in its file. */
  line?: number;
  /** The steps that led here, for `plumbline decide`'s explanation. */
  trace: string[];
}

const READ_ONLY_COMMANDS = new Set([
  'ls',
  'cat',
  'echo',
  'pwd',
  'head',
  'tail',
  'grep',
  'find',
  'wc',
  'which',
  'diff',
  'stat',
  'du',
  'cd',
]);
const READ_ONLY_GIT = new Set([
  'status',
  'log',
  'diff',
  'show',
  'rev-parse',
  'ls-files',
  'blame',
  'describe',
  'shortlog',
  'grep',
  'reflog',
  'cat-file',
  'ls-tree',
  'merge-base',
]);
/** Commands whose path arguments are file reads for `Read(...)` deny rules (§1.5: recognised Bash readers). */
const READERS = new Set([
  'cat',
  'head',
  'tail',
  'less',
  'more',
  'grep',
  'egrep',
  'fgrep',
  'rg',
  'sed',
  'awk',
  'wc',
  'diff',
  'stat',
  'strings',
  'base64',
  'xxd',
  'od',
  'file',
  'sort',
  'uniq',
  'cut',
  'nl',
  'tac',
  'jq',
  'yq',
  'bat',
  'source',
  '.',
]);
/** Commands that write their path arguments, for `Edit(...)` rules; `cp`/`mv` write their last argument. */
const WRITERS = new Set(['tee', 'touch', 'mkdir', 'rm', 'rmdir', 'truncate', 'chmod', 'chown', 'ln']);
const ACCEPT_EDITS_COMMANDS = new Set(['mkdir', 'touch', 'rm', 'rmdir', 'mv', 'cp', 'sed']);
const NO_PROMPT_TOOLS = new Set([
  'TodoWrite',
  'TodoRead',
  'Agent',
  'Task',
  'BashOutput',
  'KillShell',
  'KillBash',
  'TaskOutput',
  'TaskStop',
  'ExitPlanMode',
  'EnterPlanMode',
]);
const ALWAYS_ASK_TOOLS = new Set(['AskUserQuestion']);
const MAX_COMMAND_CHARS = 10_000;

/**
 * Constructs that Claude Code's shell validators send to a person whatever the allow rules say
 * ([community] reports of its validator set, reference spec §2). Deny rules still apply first.
 */
const SUSPICIOUS: [RegExp, string][] = [
  [/[\x00-\x08\x0B\x0C\x0E-\x1F\x7F]/, 'control characters'],
  [/\r/, 'a carriage return'],
  [/[\u00A0\u1680\u2000-\u200B\u2028\u2029\u202F\u205F\u3000\uFEFF]/, 'unicode whitespace'],
  [/\$'/, "ANSI-C quoting ($'…')"],
  [/\$"/, 'locale quoting ($"…")'],
  [/\$\{?IFS\b/, 'IFS manipulation'],
  [/\/proc\/[^\s/]+\/environ/, 'a read of /proc/*/environ'],
  [/(^|[^\\])\\[;|&<>]/, 'a backslash-escaped shell operator'],
  [
    /(^|\s)(zmodload|emulate|sysopen|syswrite|zpty|ztcp|zsocket|zf_rm|zf_mv)(\s|$)/,
    'a dangerous zsh builtin',
  ],
  [/(^|[\s;&|])eval(\s|$)/, 'eval'],
];

/** A file a call reads or writes; `via` says how we know (redirect targets must be covered by Edit rules). */
type Subject = { kind: 'read' | 'write'; abs: string; raw: string; via: 'tool' | 'redirect' | 'argument' };

function pathOf(input: Record<string, unknown>): string | undefined {
  for (const key of ['file_path', 'path', 'notebook_path']) {
    const v = input[key];
    if (typeof v === 'string' && v) return v;
  }
  return undefined;
}

function looksLikePath(word: string): boolean {
  if (word.startsWith('-') || /^\d+$/.test(word)) return false;
  if (word.startsWith('$')) return word.includes('/') || /^\$\{?HOME\}?$/.test(word);
  return word.includes('/') || word.includes('.') || word.startsWith('~');
}

/** Folders git is pointed at (`-C`, `--git-dir=`, `--work-tree=`): reading them is reading there. */
function gitPathArgs(words: string[]): string[] {
  if (words[0] !== 'git') return [];
  const out: string[] = [];
  words.forEach((w, i) => {
    if (w === '-C' && words[i + 1]) out.push(words[i + 1]!);
    const m = /^--(git-dir|work-tree)=(.+)$/.exec(w);
    if (m) out.push(m[2]!);
  });
  return out;
}

/** Commands whose prefix rules cannot approve them (§1.4): only an exact rule can. */
function exactMatchOnly(words: string[]): boolean {
  const name = words[0] ?? '';
  if (['watch', 'setsid', 'ionice', 'flock'].includes(name)) return true;
  return name === 'find' && words.some((w) => /^-(exec|execdir|ok|okdir|delete)$/.test(w));
}

/** jq programs that reach outside the JSON they are given ([community] validateJqCommand, spec §2). */
function riskyJq(words: string[]): boolean {
  if (words[0] !== 'jq') return false;
  return words
    .slice(1)
    .some(
      (w) =>
        /^(-f|--from-file|--rawfile|--slurpfile)$/.test(w) ||
        /\benv\b|\$ENV|input_filename|\bsystem\b/.test(w),
    );
}

const baseName = (word: string) => word.slice(word.lastIndexOf('/') + 1);

export function decideWithSettings(
  request: DecisionRequest,
  settings: LoadedSettings,
  ctx: SimulatorContext,
): SimulatedDecision {
  const trace: string[] = [];
  const cwd = toPosixAbs(request.context?.cwd ?? ctx.projectRoot, ctx.projectRoot, ctx.home);
  const mode: PermissionMode = request.context?.mode ?? settings.defaultMode ?? 'default';
  const workDirs = [cwd, ...settings.additionalDirectories.map((d) => toPosixAbs(d, cwd, ctx.home))];
  const inScope = (abs: string) => workDirs.some((d) => isInside(abs, d));
  const tool = request.tool;
  const input = request.input ?? {};
  trace.push(
    `mode ${mode}${request.context?.mode ? ' (from the request)' : settings.defaultMode ? ' (defaultMode)' : ''}`,
  );

  const result = (decision: Decision, reason: string, rule?: Rule): SimulatedDecision => ({
    decision,
    reason,
    rule: rule?.raw ?? null,
    file: rule?.source.file ?? null,
    line: rule?.source.line,
    trace,
  });
  /** What a prompt becomes in this mode. */
  const prompt = (reason: string, rule?: Rule): SimulatedDecision =>
    mode === 'dontAsk'
      ? result('deny', `${reason}; dontAsk mode denies whatever would prompt`, rule)
      : result('ask', reason, rule);

  const rulesOf = (effect: Rule['effect']) => settings.rules.filter((r) => r.effect === effect);

  // Shell commands are split into every simple command they run, nested ones included.
  let commands: SimpleCommand[] = [];
  let unparseable = false;
  const command = typeof input.command === 'string' ? input.command : '';
  if (SHELL_TOOLS.has(tool)) {
    const parsed = parseCommandLine(command);
    commands = parsed.commands;
    unparseable = parsed.unparseable;
    trace.push(
      `split into ${commands.length} command(s): ${commands.map((c) => c.words.join(' ')).join(' ⏐ ') || '(none)'}`,
    );
  }

  // File subjects: the tool's own path, or what shell commands read and write.
  const subjects: Subject[] = [];
  const filePath = pathOf(input);
  if (filePath && (READ_TOOLS.has(tool) || EDIT_TOOLS.has(tool)))
    subjects.push({
      kind: READ_TOOLS.has(tool) ? 'read' : 'write',
      abs: toPosixAbs(filePath, cwd, ctx.home),
      raw: filePath,
      via: 'tool',
    });
  for (const c of commands) {
    for (const r of c.redirects) {
      if (r.op.includes('>') && r.target !== '/dev/null' && !/^&?\d*$/.test(r.target))
        subjects.push({
          kind: 'write',
          abs: toPosixAbs(r.target, cwd, ctx.home),
          raw: r.target,
          via: 'redirect',
        });
      if (r.op === '<')
        subjects.push({
          kind: 'read',
          abs: toPosixAbs(r.target, cwd, ctx.home),
          raw: r.target,
          via: 'redirect',
        });
    }
    const words = effectiveWords(c);
    const name = words[0] ?? '';
    const args = words.slice(1).filter(looksLikePath);
    for (const a of gitPathArgs(words))
      subjects.push({ kind: 'read', abs: toPosixAbs(a, cwd, ctx.home), raw: a, via: 'argument' });
    if (READERS.has(name))
      for (const a of args)
        subjects.push({ kind: 'read', abs: toPosixAbs(a, cwd, ctx.home), raw: a, via: 'argument' });
    if (WRITERS.has(name))
      for (const a of args)
        subjects.push({ kind: 'write', abs: toPosixAbs(a, cwd, ctx.home), raw: a, via: 'argument' });
    if ((name === 'cp' || name === 'mv' || name === 'install') && args.length >= 2) {
      const last = args[args.length - 1]!;
      subjects.push({ kind: 'write', abs: toPosixAbs(last, cwd, ctx.home), raw: last, via: 'argument' });
    }
    if (name === 'dd')
      for (const w of words)
        if (w.startsWith('of='))
          subjects.push({
            kind: 'write',
            abs: toPosixAbs(w.slice(3), cwd, ctx.home),
            raw: w.slice(3),
            via: 'argument',
          });
    if (name === 'sed' && words.some((w) => /^-[a-zA-Z]*i/.test(w) || w === '--in-place'))
      for (const a of args)
        subjects.push({ kind: 'write', abs: toPosixAbs(a, cwd, ctx.home), raw: a, via: 'argument' });
  }

  // Each command's match texts, computed once per decision rather than once per rule.
  const textCache = new Map<SimpleCommand, [string[]?, string[]?]>();
  const textsOf = (c: SimpleCommand, forAllow: boolean): string[] => {
    const entry = textCache.get(c) ?? [];
    const i = forAllow ? 1 : 0;
    entry[i] ??= candidateTexts(c, forAllow);
    textCache.set(c, entry);
    return entry[i]!;
  };
  const globOf = (rule: Rule, specifier: string) => cachedRuleGlob(rule, specifier, cwd, ctx.home);

  const matches = (rule: Rule, forAllow: boolean): boolean => {
    // Tool-name globs: deny/ask may use `*` and `mcp__*`; allow only after a literal `mcp__<server>__`.
    if (rule.specifier === undefined) return toolNameMatches(rule, tool, forAllow);
    if (SHELL_TOOLS.has(rule.tool)) {
      if (!SHELL_TOOLS.has(tool) || rule.tool !== tool) return false;
      return commands.some((c) => textsOf(c, forAllow).some((t) => bashPatternMatches(rule.specifier!, t)));
    }
    if (rule.tool === 'Read' || rule.tool === 'Edit') {
      const glob = globOf(rule, rule.specifier);
      // Read rules cover reads; a Read deny also blocks writes (§1.5); Edit rules cover writes (and Edit allow grants reads).
      return subjects.some((s) => {
        const kindOk =
          rule.tool === 'Read'
            ? s.kind === 'read' || (rule.effect !== 'allow' && s.kind === 'write')
            : s.kind === 'write' || (rule.effect === 'allow' && s.kind === 'read');
        return kindOk && globMatches(glob, s.abs);
      });
    }
    if (rule.tool === 'WebFetch') {
      if (tool !== 'WebFetch') return false;
      const spec = rule.specifier;
      if (!spec.startsWith('domain:')) return false;
      return domainMatches(spec.slice(7), hostOf(input.url));
    }
    const param = /^([A-Za-z_][\w]*):(.*)$/s.exec(rule.specifier);
    if (param && rule.effect !== 'allow' && toolNameMatches(rule, tool, false)) {
      const value = input[param[1]!];
      if (value === undefined || (typeof value === 'object' && value !== null)) return false;
      return bashPatternMatches(param[2]!, String(value));
    }
    if (rule.tool === 'Agent' || rule.tool === 'Task' || rule.tool === 'Skill')
      return (
        tool === rule.tool &&
        bashPatternMatches(rule.specifier, String(input.subagent_type ?? input.skill ?? input.name ?? ''))
      );
    return false;
  };

  // 1. Deny rules: any subcommand or any touched path.
  for (const rule of rulesOf('deny'))
    if (matches(rule, false)) {
      trace.push(`deny rule ${rule.raw} (${rule.source.file}:${rule.source.line}) matched`);
      return result('deny', `denied by ${rule.raw}`, rule);
    }

  // 2. Removals of critical paths always need a person; no allow rule or mode can pre-approve them.
  for (const c of commands) {
    const words = effectiveWords(c);
    const name = baseName(words[0] ?? '');
    if (name !== 'rm' && name !== 'rmdir') continue;
    for (const target of words.slice(1).filter((w) => !w.startsWith('-'))) {
      const abs = toPosixAbs(target, cwd, ctx.home);
      if (isCriticalRemoval(abs, cwd, ctx.home, target)) {
        trace.push(`removal of critical path ${target}`);
        return prompt(`removing ${target} is a critical-path removal that always needs approval`);
      }
    }
  }

  // 3. Ask rules and tools that always ask.
  for (const rule of rulesOf('ask'))
    if (matches(rule, false)) {
      trace.push(`ask rule ${rule.raw} (${rule.source.file}:${rule.source.line}) matched`);
      return prompt(`ask rule ${rule.raw} matched`, rule);
    }
  if (ALWAYS_ASK_TOOLS.has(tool)) return prompt(`${tool} always asks`);
  const mcp = mcpParts(tool);
  if (mcp?.server.startsWith('claude_ai_')) return prompt('organisation connector tools always ask');

  // 4. Writes to protected paths are never auto-approved except in bypassPermissions.
  const protectedWrite = subjects.find((s) => s.kind === 'write' && isProtectedPath(s.abs));
  if (protectedWrite && mode !== 'bypassPermissions') {
    trace.push(`write to protected path ${protectedWrite.raw}`);
    return prompt(`writing ${protectedWrite.raw} touches a protected path`);
  }

  // 5. bypassPermissions approves everything that got this far.
  if (mode === 'bypassPermissions')
    return result('allow', 'bypassPermissions mode approves every call not denied or asked');

  // 6. Shell commands Claude Code refuses to pre-approve.
  if (SHELL_TOOLS.has(tool)) {
    if (!command.trim()) return result('allow', 'an empty command does nothing');
    if (command.length > MAX_COMMAND_CHARS)
      return prompt(`commands over ${MAX_COMMAND_CHARS} characters always ask`);
    if (unparseable) return prompt('the command could not be parsed, so no allow rule can cover it');
    const suspicious = SUSPICIOUS.find(([re]) => re.test(command));
    if (suspicious) return prompt(`the command uses ${suspicious[1]}, which always needs approval`);
    const jq = commands.find((c) => riskyJq(effectiveWords(c)));
    if (jq)
      return prompt(
        `jq program reaches outside its input (${jq.words.join(' ')}), which always needs approval`,
      );
    if (commands.some((c) => c.dynamicName))
      return prompt('a command name comes from an expansion, so no rule can cover it');
  }

  // 7. plan mode: reads only until the plan is approved.
  const isReadOnlyCall =
    READ_TOOLS.has(tool) ||
    (SHELL_TOOLS.has(tool) &&
      commands.every((c) => isReadOnlyCommand(c)) &&
      !subjects.some((s) => s.kind === 'write'));
  if (mode === 'plan' && !isReadOnlyCall && !NO_PROMPT_TOOLS.has(tool))
    return prompt('plan mode holds edits and commands until the plan is approved');

  // 8. acceptEdits: file edits and simple file commands inside the working directories.
  if (mode === 'acceptEdits') {
    if (EDIT_TOOLS.has(tool) && subjects.every((s) => inScope(s.abs)))
      return result('allow', 'acceptEdits mode approves edits inside the working directories');
    if (
      SHELL_TOOLS.has(tool) &&
      commands.length > 0 &&
      commands.every((c) => ACCEPT_EDITS_COMMANDS.has(effectiveWords(c)[0] ?? '') || isReadOnlyCommand(c)) &&
      subjects.every((s) => inScope(s.abs))
    )
      return result('allow', 'acceptEdits mode approves file commands inside the working directories');
  }

  // 9. Allow rules (with read-only commands counting as approved); every subcommand must be covered.
  const allowRules = rulesOf('allow');
  if (SHELL_TOOLS.has(tool)) {
    let decisive: Rule | undefined;
    const uncovered: string[] = [];
    for (const c of commands) {
      const rule = allowRules.find(
        (r) =>
          SHELL_TOOLS.has(r.tool) &&
          r.tool === tool &&
          (exactMatchOnly(effectiveWords(c))
            ? r.specifier !== undefined &&
              !r.specifier.includes('*') &&
              textsOf(c, true).includes(r.specifier)
            : r.specifier === undefined || textsOf(c, true).some((t) => bashPatternMatches(r.specifier!, t))),
      );
      if (rule) decisive ??= rule;
      else if (
        !isReadOnlyCommand(c) ||
        c.redirects.some(
          (r) => r.op.includes('>') && r.target !== '/dev/null' && !/^&?\d*$/.test(r.target),
        ) ||
        !readsInScope(c)
      )
        uncovered.push(c.words.join(' '));
    }
    const writesOutside = subjects.filter(
      (s) =>
        s.kind === 'write' &&
        s.via === 'redirect' &&
        !allowRules.some((r) => r.tool === 'Edit' && matchesRule(r, s)),
    );
    if (uncovered.length === 0 && writesOutside.length === 0) {
      trace.push(
        decisive ? `every command covered; first allow rule ${decisive.raw}` : 'every command is read-only',
      );
      return decisive
        ? result('allow', `allowed by ${decisive.raw}`, decisive)
        : result('allow', 'read-only commands run without a prompt');
    }
    if (uncovered.length === 0)
      return prompt(`output is written to ${writesOutside[0]!.raw}, which no Edit rule allows`);
    return prompt(`no allow rule covers: ${uncovered[0]}`);
  }
  for (const rule of allowRules)
    if (matches(rule, true)) {
      trace.push(`allow rule ${rule.raw} (${rule.source.file}:${rule.source.line}) matched`);
      return result('allow', `allowed by ${rule.raw}`, rule);
    }
  if (READ_TOOLS.has(tool)) {
    if (subjects.every((s) => inScope(s.abs)))
      return result('allow', 'reads inside the working directories need no approval');
    return prompt('reading outside the working directories needs approval');
  }
  if (NO_PROMPT_TOOLS.has(tool)) return result('allow', `${tool} needs no approval`);
  return prompt(`no allow rule covers ${tool}`);

  function matchesRule(rule: Rule, s: Subject): boolean {
    const glob = globOf(rule, rule.specifier ?? '**');
    return rule.specifier === undefined || globMatches(glob, s.abs);
  }

  function readsInScope(c: SimpleCommand): boolean {
    const words = effectiveWords(c);
    // `cd` with no argument goes home; `cd elsewhere && …` runs the rest outside the project.
    const paths =
      words[0] === 'cd' && words.length === 1
        ? ['~']
        : [...words.slice(1).filter(looksLikePath), ...gitPathArgs(words)];
    if (words[0] === 'cd' && words[1] !== undefined && !looksLikePath(words[1]) && !words[1].startsWith('-'))
      paths.push(words[1]);
    return paths.every((a) => inScope(toPosixAbs(a, cwd, ctx.home)));
  }
}

const globCache = new WeakMap<Rule, Map<string, string>>();

/** A rule's absolute glob for a working directory; rules and working directories repeat across decisions. */
function cachedRuleGlob(rule: Rule, specifier: string, cwd: string, home: string): string {
  let byCwd = globCache.get(rule);
  if (!byCwd) {
    byCwd = new Map();
    globCache.set(rule, byCwd);
  }
  const key = `${cwd}\u0000${home}\u0000${specifier}`;
  let glob = byCwd.get(key);
  if (glob === undefined) {
    glob = ruleGlob(specifier, {
      anchorDir: toPosixAbs(rule.source.anchorDir, cwd, home),
      cwd,
      home,
      effect: rule.effect,
    });
    byCwd.set(key, glob);
  }
  return glob;
}

function toolNameMatches(rule: Rule, tool: string, forAllow: boolean): boolean {
  const name = rule.tool;
  if (!name.includes('*')) {
    if (name === tool) return true;
    const ruleMcp = mcpParts(name);
    const toolMcp = mcpParts(tool);
    // `mcp__server` covers every tool of that server.
    return Boolean(ruleMcp && toolMcp && ruleMcp.tool === undefined && ruleMcp.server === toolMcp.server);
  }
  if (forAllow) {
    const m = /^mcp__[^*]+?__(.*)$/.exec(name);
    if (!m) return false; // unanchored allow globs are skipped (§1.3)
  }
  const re = new RegExp(
    `^${name
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
  return re.test(tool);
}

function isReadOnlyCommand(c: SimpleCommand): boolean {
  // A read-only command behind LD_PRELOAD=… or PATH=… is not the command it looks like.
  if (!envIsSafe(c)) return false;
  const words = effectiveWords(c);
  const name = words[0] ?? '';
  if (name === 'git') {
    const sub = words.slice(1).find((w) => !w.startsWith('-'));
    if (sub === 'reflog') {
      const action = words.slice(words.indexOf('reflog') + 1).find((w) => !w.startsWith('-'));
      return action === undefined || action === 'show';
    }
    if (sub === 'branch')
      return (
        !words.some((w) => /^-(d|D|m|M|c|C|f)$|^--(delete|move|copy|force)$/.test(w)) &&
        words.filter((w) => !w.startsWith('-')).length <= 2
      );
    if (sub === 'remote') return words.length <= 3 && (words[2] === '-v' || words[2] === undefined);
    return (
      sub !== undefined &&
      READ_ONLY_GIT.has(sub) &&
      !words.some((w) => w === '--output' || w.startsWith('--output='))
    );
  }
  if (!READ_ONLY_COMMANDS.has(name)) return false;
  if (
    name === 'find' &&
    words.some((w) => /^-(exec|execdir|ok|okdir|delete|fprint|fprint0|fprintf|fls)$/.test(w))
  )
    return false;
  return true;
}

function hostOf(url: unknown): string {
  if (typeof url !== 'string') return '';
  try {
    return new URL(url).hostname.toLowerCase().replace(/\.$/, '');
  } catch {
    return '';
  }
}

/** `WebFetch(domain:…)` (§1.6): exact host; `*.x` any-depth subdomain but not the apex; other `*` one label. */
export function domainMatches(pattern: string, host: string): boolean {
  if (!host) return false;
  const p = pattern.toLowerCase().replace(/\.$/, '');
  if (p === '*') return true;
  if (p.startsWith('*.')) return host.endsWith(p.slice(1)) && host !== p.slice(2);
  if (!p.includes('*')) return host === p;
  const re = new RegExp(
    `^${p
      .split('*')
      .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('[^.]*')}$`,
  );
  return re.test(host);
}

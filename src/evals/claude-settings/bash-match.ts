import type { SimpleCommand } from './shell-parse.js';

/** Wrappers Claude Code strips before matching (§1.4), with how many leading option/value words they take. */
const WRAPPERS: Record<string, (words: string[]) => number | undefined> = {
  timeout: (w) => skipOptions(w, 1, new Set(['-s', '--signal', '-k', '--kill-after'])),
  time: (w) => skipOptions(w, 0, new Set(['-f', '-o'])),
  nice: (w) => skipOptions(w, 0, new Set(['-n', '--adjustment'])),
  nohup: () => 1,
  stdbuf: (w) => skipOptions(w, 0, new Set(['-i', '-o', '-e'])),
  command: (w) => (w[1]?.startsWith('-') ? undefined : 1), // `command -v` is a lookup, not a wrapper
  builtin: () => 1,
  noglob: () => 1,
  xargs: (w) => (w[1]?.startsWith('-') ? undefined : 1), // only bare xargs is stripped
};

/** Counts the wrapper word, its options (and their values) and `positional` required arguments. */
function skipOptions(words: string[], positional: number, takesValue: Set<string>): number | undefined {
  let i = 1;
  while (i < words.length && words[i]!.startsWith('-') && words[i] !== '--') {
    const opt = words[i]!;
    i += takesValue.has(opt) ? 2 : 1;
  }
  if (words[i] === '--') i++;
  i += positional;
  return i < words.length ? i : undefined;
}

/** Leading variables that allow rules may look past (deny and ask look past any assignment). */
const SAFE_ENV = new Set([
  'NODE_ENV',
  'LANG',
  'LC_ALL',
  'LC_CTYPE',
  'NO_COLOR',
  'FORCE_COLOR',
  'TZ',
  'CI',
  'DEBUG',
  'RUST_BACKTRACE',
  'RUST_LOG',
  'PYTHONUNBUFFERED',
  'PYTHONDONTWRITEBYTECODE',
  'TERM',
  'COLUMNS',
]);

/** True when every leading assignment is one of the variables allow rules may look past. */
export function envIsSafe(cmd: SimpleCommand): boolean {
  return cmd.env.every((e) => SAFE_ENV.has(e.name));
}

/**
 * The texts a rule is matched against for one simple command: the command as written (normalised to single
 * spaces), and with wrappers stripped. Deny/ask see past any env prefix; allow only past known-safe ones.
 */
export function candidateTexts(cmd: SimpleCommand, forAllow: boolean): string[] {
  const envOk = !forAllow || cmd.env.every((e) => SAFE_ENV.has(e.name));
  const out: string[] = [];
  let words = cmd.words;
  if (words.length === 0) return out;
  if (!envOk) {
    out.push([...cmd.env.map((e) => `${e.name}=${e.value}`), ...words].join(' '));
    return out;
  }
  out.push(words.join(' '));
  for (let guard = 0; guard < 8; guard++) {
    const strip = WRAPPERS[words[0]!]?.(words);
    if (strip === undefined) break;
    words = words.slice(strip);
    if (words.length === 0) break;
    out.push(words.join(' '));
  }
  return out;
}

/** The command with wrappers stripped: what actually runs. */
export function effectiveWords(cmd: SimpleCommand): string[] {
  let words = cmd.words;
  for (let guard = 0; guard < 8 && words.length; guard++) {
    const strip = WRAPPERS[words[0]!]?.(words);
    if (strip === undefined) break;
    words = words.slice(strip);
  }
  return words;
}

const patternCache = new Map<string, RegExp>();

/**
 * Bash rule specifier semantics (§1.4): `*` matches any characters including spaces; a trailing ` *`
 * also matches the bare prefix (word boundary); a trailing `:*` is the legacy spelling of ` *`.
 */
export function bashPatternMatches(specifier: string, text: string): boolean {
  let re = patternCache.get(specifier);
  if (!re) {
    let spec = specifier;
    if (spec.endsWith(':*')) spec = `${spec.slice(0, -2)} *`;
    let body: string;
    if (spec.endsWith(' *')) {
      const head = spec.slice(0, -2);
      body = `${globToRegex(head)}(?: .*)?`;
    } else body = globToRegex(spec);
    re = new RegExp(`^${body}$`, 's');
    patternCache.set(specifier, re);
  }
  return re.test(text);
}

function globToRegex(glob: string): string {
  return glob
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
}

import { posix } from 'node:path';

/** Normalises a path to an absolute POSIX path (Windows drive paths become `/c/...`, §1.5). */
export function toPosixAbs(path: string, cwd: string, home: string): string {
  let p = path.replace(/\\/g, '/');
  const drive = /^([A-Za-z]):\/(.*)$/.exec(p);
  if (drive) p = `/${drive[1]!.toLowerCase()}/${drive[2]}`;
  p = p.replace(/^\$\{HOME\}|^\$HOME(?=\/|$)/, home);
  if (p === '~') p = home;
  else if (p.startsWith('~/')) p = posix.join(home, p.slice(2));
  else if (/^~[A-Za-z_][\w-]*/.test(p)) {
    // Another user's home: never inside the project.
    const [user, ...rest] = p.slice(1).split('/');
    p = posix.join(user === 'root' ? '/root' : `/home/${user}`, ...rest);
  } else if (p.startsWith('$')) {
    // An unknown variable can point anywhere: treat it as outside every working directory.
    p = `/${p}`;
  } else if (!p.startsWith('/')) p = posix.join(cwd, p);
  return posix.normalize(p).replace(/\/+$/, '') || '/';
}

const HAS_GLOB = /[*?[]/;

/**
 * Turns a Read/Edit rule specifier into an absolute glob, following the anchors of §1.5:
 * `//x` absolute, `~/x` home, `/x` relative to the rule's settings source, `x` and `./x` relative to cwd.
 * A bare file name matches at any depth; for deny/ask a single-segment folder pattern (`secrets/**`) does too.
 */
export function ruleGlob(
  spec: string,
  opts: { anchorDir: string; cwd: string; home: string; effect: string },
): string {
  let s = spec.trim();
  if (s.startsWith('//')) return s.slice(1);
  if (s.startsWith('~/')) return posix.join(opts.home, s.slice(2));
  if (s.startsWith('/')) return posix.join(opts.anchorDir, s.slice(1));
  if (s.startsWith('./')) s = s.slice(2);
  const segments = s.split('/').filter(Boolean);
  if (segments.length === 1 && !s.endsWith('/')) return `/**/${s}`;
  if (
    opts.effect !== 'allow' &&
    segments.length === 2 &&
    segments[1] === '**' &&
    !HAS_GLOB.test(segments[0]!)
  )
    return `/**/${segments[0]}/**`;
  return posix.join(opts.cwd, s);
}

const globCache = new Map<string, RegExp>();

/** gitignore-like matching of an absolute path: `*` within a segment, `**` across segments. */
export function globMatches(glob: string, absPath: string): boolean {
  let re = globCache.get(glob);
  if (!re) {
    let out = '';
    for (let i = 0; i < glob.length; i++) {
      const ch = glob[i]!;
      if (ch === '*' && glob[i + 1] === '*') {
        const slashAfter = glob[i + 2] === '/';
        out += slashAfter ? '(?:.*/)?' : '.*';
        i += slashAfter ? 2 : 1;
      } else if (ch === '*') out += '[^/]*';
      else if (ch === '?') out += '[^/]';
      else out += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
    // A pattern naming a folder also covers what is inside it.
    re = new RegExp(`^${out}(?:/.*)?$`, 's');
    globCache.set(glob, re);
  }
  return re.test(absPath);
}

export function isInside(absPath: string, dir: string): boolean {
  return absPath === dir || absPath.startsWith(dir === '/' ? '/' : `${dir}/`);
}

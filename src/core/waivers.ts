import type { Waiver } from '../config/schema.js';

/** Glob over POSIX relative paths: `**` any depth, `*` and `?` within one segment. */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        i++;
        if (glob[i + 1] === '/') {
          i++;
          re += '(?:.*/)?';
        } else re += '.*';
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

const normalise = (p: string) => p.replace(/\\/g, '/').replace(/^\.\//, '');

/** The waiver's last day has passed (it applies through the whole of its `expires` day, UTC). */
export function isExpired(waiver: Waiver, now: Date): boolean {
  if (!waiver.expires) return false;
  const end = Date.parse(`${waiver.expires}T00:00:00Z`) + 24 * 60 * 60 * 1000;
  return now.getTime() >= end;
}

/** A waiver without `file` and `fingerprint` covers the whole criterion. */
export const coversCriterion = (w: Waiver) => w.file === undefined && w.fingerprint === undefined;

export function waiverMatches(
  w: Waiver,
  finding: { criterion: string; file: string; fingerprint: string },
): boolean {
  if (w.criterion !== finding.criterion) return false;
  if (w.fingerprint !== undefined && w.fingerprint !== finding.fingerprint) return false;
  if (w.file !== undefined) {
    const file = normalise(w.file);
    if (file !== normalise(finding.file) && !globToRegExp(file).test(normalise(finding.file))) return false;
  }
  return true;
}

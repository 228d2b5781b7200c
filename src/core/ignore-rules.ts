import ignore, { type Ignore } from 'ignore';

/** One ignore file (or pattern list) and how to express a target-relative path in its own terms. */
interface Layer {
  matcher: Ignore;
  local(rel: string): string;
}

// Git compares paths case-sensitively unless the filesystem folds case (macOS, Windows).
const IGNORE_CASE = process.platform === 'darwin' || process.platform === 'win32';

const newMatcher = (patterns: string | readonly string[]) =>
  ignore({ ignorecase: IGNORE_CASE }).add(patterns);

/** Whether one layer decides the path: true = ignored, false = re-included by `!pattern`, undefined = silent. */
function verdict(layer: Layer, rel: string, isDir: boolean): boolean | undefined {
  const local = layer.local(rel);
  if (local === '') return undefined;
  try {
    const r = layer.matcher.test(isDir ? `${local}/` : local);
    if (r.ignored) return true;
    if (r.unignored) return false;
  } catch {
    // A name the ignore package cannot express as a relative path; no rule can match it.
  }
  return undefined;
}

/**
 * Gitignore semantics over a whole tree: the deepest `.gitignore` with a matching rule decides, then
 * `.git/info/exclude`, then ancestors' files. Patterns the user passes to plumbline outrank them all and
 * cannot be undone by a `!` in a project file. Immutable: each folder extends its parent's rules.
 */
export class IgnoreRules {
  private constructor(
    private readonly forced: Layer | undefined,
    /** Deepest first. */
    private readonly layers: readonly Layer[],
  ) {}

  static create(userPatterns: readonly string[] = []): IgnoreRules {
    const forced =
      userPatterns.length > 0 ? { matcher: newMatcher(userPatterns), local: (p: string) => p } : undefined;
    return new IgnoreRules(forced, []);
  }

  /** Adds the rules of an ignore file that sits in `dir` (target-relative, '' for the root). */
  withFile(dir: string, text: string): IgnoreRules {
    const matcher = newMatcher(text);
    const prefix = dir === '' ? '' : `${dir}/`;
    const local = (p: string) => (prefix === '' ? p : p.startsWith(prefix) ? p.slice(prefix.length) : '');
    return new IgnoreRules(this.forced, [{ matcher, local }, ...this.layers]);
  }

  /**
   * Adds the rules of an ignore file that sits above the target, `pathToTarget` being the target's path
   * relative to that file's folder (as git would see it).
   */
  withAncestorFile(pathToTarget: string, text: string): IgnoreRules {
    const matcher = newMatcher(text);
    const local = (p: string) => (pathToTarget === '' ? p : p === '' ? pathToTarget : `${pathToTarget}/${p}`);
    return new IgnoreRules(this.forced, [...this.layers, { matcher, local }]);
  }

  /** `rel` is target-relative, POSIX, without a trailing slash. */
  ignores(rel: string, isDir: boolean): boolean {
    if (this.forced && verdict(this.forced, rel, isDir) === true) return true;
    for (const layer of this.layers) {
      const v = verdict(layer, rel, isDir);
      if (v !== undefined) return v;
    }
    return false;
  }

  /** Whether an ancestor's rules would hide the target folder itself. */
  hidesTarget(): boolean {
    return this.layers.some((layer) => {
      const local = layer.local('');
      if (local === '') return false;
      try {
        return layer.matcher.test(`${local}/`).ignored;
      } catch {
        return false;
      }
    });
  }
}

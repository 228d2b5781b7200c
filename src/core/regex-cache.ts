const compiled = new Map<string, RegExp>();

/**
 * A RegExp built once per source (no flags, so no `lastIndex` state to share): for regexes assembled at
 * run time from rubric data or name lists, which would otherwise be compiled again on every use.
 */
export function cachedRegex(source: string): RegExp {
  let re = compiled.get(source);
  if (!re) {
    re = new RegExp(source);
    compiled.set(source, re);
  }
  return re;
}

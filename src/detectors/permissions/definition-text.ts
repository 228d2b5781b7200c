/**
 * Text a file must hold to define a function by some name: `def name`, `function name`, `name = …` /
 * `name: T = …`, or a method `name(…) {`. A necessary condition only: the project step reparses just the
 * files that may define a looked-up name, not every file that calls it (`String(x)`, `print(…)`).
 */
export function mayDefine(text: string, py: boolean, name: string): boolean {
  const esc = name.replace(/\$/g, '\\$');
  if (py) return new RegExp(`(?<![\\w$])def[\\s\\\\]+${esc}(?![\\w$])`).test(text);
  const comment = String.raw`//[^\n]*|/\*(?:[^*]|\*(?!/))*\*/`;
  if (new RegExp(`(?<![\\w$])function(?:\\s|\\*|${comment})*${esc}(?![\\w$])`).test(text)) return true;
  for (const m of text.matchAll(new RegExp(`(?<![\\w$])${esc}(?![\\w$])`, 'g')))
    if (declaresOrDefines(text, m.index + name.length)) return true;
  return false;
}

/** What follows a name: a declarator (`=`, `: T`, `!`), type parameters, or a method's parameters and body. */
function declaresOrDefines(text: string, after: number): boolean {
  const i = skipTrivia(text, after);
  const c = text[i];
  if (c === '=' || c === ':' || c === '!' || c === '<') return true;
  // An optional method `name?() {}`, not optional chaining `name?.x`.
  if (c === '?') return text[i + 1] !== '.';
  return c === '(' && bodyFollows(text, i);
}

/**
 * From `(`: the list closes and a body or return type follows (`) {`, `): T {`), which a call never has.
 * Whatever the scan cannot read for sure (templates, regexes, JSX, `<` of generics) counts as a definition.
 */
function bodyFollows(text: string, open: number): boolean {
  let depth = 0;
  for (let k = open; k < text.length; k++) {
    const c = text[k];
    if (c === '(') depth++;
    else if (c === ')') {
      depth--;
      if (depth === 0) {
        const next = text[skipTrivia(text, k + 1)];
        return next === '{' || next === ':';
      }
    } else if (c === '"' || c === "'") {
      k = stringEnd(text, k);
      if (k < 0) return true;
    } else if (c === '/' && (text[k + 1] === '/' || text[k + 1] === '*')) k = skipTrivia(text, k) - 1;
    else if (c === '/' || c === '`' || c === '<') return true;
  }
  return true;
}

/** Index of the quote closing the string opened at `open`, or -1 when the line ends first. */
function stringEnd(text: string, open: number): number {
  const quote = text[open];
  for (let k = open + 1; k < text.length; k++) {
    const c = text[k];
    if (c === '\\') k++;
    else if (c === quote) return k;
    else if (c === '\n') return -1;
  }
  return -1;
}

/** Skips whitespace and comments; an unclosed block comment runs to the end. */
function skipTrivia(text: string, from: number): number {
  let i = from;
  for (;;) {
    while (i < text.length && /\s/.test(text[i] ?? '')) i++;
    if (text.startsWith('//', i)) {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? text.length : nl;
    } else if (text.startsWith('/*', i)) {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 2;
    } else return i;
  }
}

import type { ParsedSource } from '../../core/parse-source.js';

/** JS escape sequences longer than the backslash and one character (`\x41`, `\u{41}`, `\0`, `\` CR LF, `\?` LF). */
const LONG_ESCAPE = /\\(?:[xu0-7\r]|\?[\n\u2028\u2029])/;

const memo = new WeakMap<ParsedSource, readonly string[] | null>();

/**
 * Texts that hold, whole, every string value `stringValue`/`stringPrefix`/`objectEntries` read from the file
 * (and every identifier), for gates on the text; undefined when that cannot be said. A Python value is its
 * source text (escapes kept). A JS value is its fragments without the escape sequences between them: when
 * every escape is the backslash and one character, that is the text with every backslash pair left out (a
 * string's escapes read in step from its first character). A damaged tree may drop other text from a
 * string.
 */
export function stringValueTexts(src: ParsedSource): readonly string[] | undefined {
  let texts = memo.get(src);
  if (texts === undefined) {
    const text = src.file.text;
    if (src.syntaxErrors > 0) texts = null;
    else if (src.language === 'python' || !text.includes('\\')) texts = [text];
    else if (LONG_ESCAPE.test(text)) texts = null;
    else texts = [text, text.replace(/\\[\s\S]/g, '')];
    memo.set(src, texts);
  }
  return texts ?? undefined;
}

/** Whether `re` may match a string value or an identifier of the file (true when unsure). */
export function mayHaveInStrings(src: ParsedSource, re: RegExp): boolean {
  const texts = stringValueTexts(src);
  return texts === undefined || texts.some((t) => re.test(t));
}

const caselessMemo = new Map<RegExp, RegExp>();
/**
 * `re` without its `i` flag, each ASCII letter spelt as `[aA]`: the same matches (without `u`, `i` folds an
 * ASCII letter only to its other case), and V8 scans a text for it several times faster. Sources with a
 * letter escape other than `\w`, `\d`, `\s`, `\b`, a letter inside `[…]` or a named group keep `i`.
 */
export function caselessRegex(re: RegExp): RegExp {
  let out = caselessMemo.get(re);
  if (!out) {
    const source = re.flags.includes('i') ? caselessSource(re.source) : undefined;
    out = source === undefined ? re : new RegExp(source, re.flags.replace('i', ''));
    caselessMemo.set(re, out);
  }
  return out;
}

function caselessSource(source: string): string | undefined {
  if (/\(\?<[A-Za-z]/.test(source)) return undefined;
  let out = '';
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i] as string;
    if (c === '\\') {
      const next = source[i + 1];
      if (next === undefined || (/[A-Za-z]/.test(next) && !/[wWdDsSbB]/.test(next))) return undefined;
      out += c + next;
      i++;
    } else if (/[A-Za-z]/.test(c)) {
      if (inClass) return undefined;
      out += `[${c.toLowerCase()}${c.toUpperCase()}]`;
    } else {
      if (c === '[') inClass = true;
      else if (c === ']') inClass = false;
      out += c;
    }
  }
  return out;
}

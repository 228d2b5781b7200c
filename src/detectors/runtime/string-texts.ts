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

import type { ParsedSource } from '../../core/parse-source.js';

/** JS escape sequences longer than the backslash and one character (`\x41`, `\u{41}`, `\0`, `\` CR LF, `\?` LF). */
const LONG_ESCAPE = /\\(?:[xu0-7\r]|\?[\n\u2028\u2029])/;

/**
 * Half the width of the pieces `mayHaveInStrings` reads around the places escapes were left out, and so the
 * longest stretch (match and lookarounds) a regex given to it may span: a match that crosses such a place
 * then lies within AROUND characters of it on either side.
 */
const AROUND = 32;
/** Runs of escape sequences, paired from the first backslash on as `text.replace(/\\[\s\S]/g, '')` pairs them. */
const ESCAPE_RUNS = /(?:\\[\s\S])+/g;

interface StringTexts {
  text: string;
  /**
   * With escapes in the file: the joined text (every backslash pair left out) around each place a run of
   * them was left out, AROUND characters either side, pieces joined by a line break. A match of the joined
   * text not in `text` crosses such a place, so lies in a piece.
   */
  around: string | undefined;
}
const memo = new WeakMap<ParsedSource, StringTexts | null>();

/**
 * Texts that hold, whole, every string value `stringValue`/`stringPrefix`/`objectEntries` read from the file
 * (and every identifier), for gates on the text; null when that cannot be said. A Python value is its
 * source text (escapes kept). A JS value is its fragments without the escape sequences between them: when
 * every escape is the backslash and one character, that is the text with every backslash pair left out (a
 * string's escapes read in step from its first character). A damaged tree may drop other text from a
 * string.
 */
function stringTexts(src: ParsedSource): StringTexts | null {
  let texts = memo.get(src);
  if (texts === undefined) {
    const text = src.file.text;
    if (src.syntaxErrors > 0) texts = null;
    else if (src.language === 'python' || !text.includes('\\')) texts = { text, around: undefined };
    else if (LONG_ESCAPE.test(text)) texts = null;
    else texts = { text, around: joinedAround(text) };
    memo.set(src, texts);
  }
  return texts;
}

function joinedAround(text: string): string {
  const pieces: string[] = [];
  let piece = '';
  let end = -1;
  ESCAPE_RUNS.lastIndex = 0;
  for (let m = ESCAPE_RUNS.exec(text); m; m = ESCAPE_RUNS.exec(text)) {
    if (end >= 0 && m.index - end < 2 * AROUND) piece += text.slice(end, m.index);
    else {
      if (end >= 0) pieces.push(piece + text.slice(end, end + AROUND));
      piece = text.slice(Math.max(0, m.index - AROUND), m.index);
    }
    end = m.index + m[0].length;
  }
  if (end >= 0) pieces.push(piece + text.slice(end, end + AROUND));
  return pieces.join('\n');
}

/**
 * Whether `re` may match a string value or an identifier of the file (true when unsure). `re` has no
 * anchors, and a match with its lookarounds spans at most AROUND characters.
 */
export function mayHaveInStrings(src: ParsedSource, re: RegExp): boolean {
  const texts = stringTexts(src);
  return texts === null || re.test(texts.text) || (texts.around !== undefined && re.test(texts.around));
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

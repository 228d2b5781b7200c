import { type ParseError, parse as parseJsonc, printParseErrorCode } from 'jsonc-parser';
import { parse as parseToml, type TomlError } from 'smol-toml';
import { isMap, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import type { ConfigFormat, ProjectFile } from './types.js';

export interface ConfigError {
  line: number;
  column: number;
  message: string;
}

export interface ParsedConfig {
  file: ProjectFile;
  format: ConfigFormat;
  /** The parsed value, or undefined when the file could not be parsed. */
  value: unknown;
  error?: ConfigError;
  /** 1-based line where a top-level or nested key path starts, when the format lets us know. */
  lineOfKey(path: (string | number)[]): number;
}

function lineColAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let last = -1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      last = i;
    }
  }
  return { line, column: offset - last };
}

/** Finds the line of `"key"` occurrences in order along a path; good enough for JSON/JSONC/TOML evidence. */
function textualKeyLine(text: string, path: (string | number)[]): number {
  let from = 0;
  let line = 1;
  for (const key of path) {
    if (typeof key === 'number') continue;
    const re = new RegExp(`["']?${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}["']?\\s*[:=]`, 'g');
    re.lastIndex = from;
    const m = re.exec(text);
    if (!m) break;
    from = m.index + m[0].length;
    line = lineColAt(text, m.index).line;
  }
  return line;
}

export function parseConfigText(file: ProjectFile, format: ConfigFormat): ParsedConfig {
  const text = file.text;
  const textual = (path: (string | number)[]) => textualKeyLine(text, path);
  if (format === 'json' || format === 'jsonc') {
    const errors: ParseError[] = [];
    const value = parseJsonc(text, errors, {
      allowTrailingComma: format === 'jsonc',
      disallowComments: false,
    });
    const first = errors[0];
    if (first) {
      const pos = lineColAt(text, first.offset);
      return {
        file,
        format,
        value: undefined,
        error: { ...pos, message: printParseErrorCode(first.error) },
        lineOfKey: textual,
      };
    }
    return { file, format, value, lineOfKey: textual };
  }
  if (format === 'yaml') {
    const lineCounter = new LineCounter();
    const doc = parseDocument(text, { lineCounter, prettyErrors: false });
    const err = doc.errors[0];
    if (err) {
      const pos = err.linePos?.[0] ?? { line: 1, col: 1 };
      return {
        file,
        format,
        value: undefined,
        error: { line: pos.line, column: pos.col, message: err.message.split('\n')[0] ?? 'invalid YAML' },
        lineOfKey: () => 1,
      };
    }
    const lineOfKey = (path: (string | number)[]) => {
      let node: unknown = doc.contents;
      let line = 1;
      for (const key of path) {
        if (isMap(node)) {
          const pair = node.items.find((p) => (p.key as { value?: unknown } | null)?.value === key);
          if (!pair) break;
          const k = pair.key as YamlNode;
          if (k.range) line = lineCounter.linePos(k.range[0]).line;
          node = pair.value;
        } else if (isSeq(node) && typeof key === 'number') {
          const item = node.items[key] as YamlNode | undefined;
          if (!item) break;
          if (item.range) line = lineCounter.linePos(item.range[0]).line;
          node = item;
        } else break;
      }
      return line;
    };
    return { file, format, value: doc.toJS(), lineOfKey };
  }
  try {
    return { file, format, value: parseToml(text), lineOfKey: textual };
  } catch (e) {
    const te = e as TomlError;
    return {
      file,
      format,
      value: undefined,
      error: {
        line: te.line ?? 1,
        column: te.column ?? 1,
        message: String(te.message).split('\n')[0] ?? 'invalid TOML',
      },
      lineOfKey: textual,
    };
  }
}

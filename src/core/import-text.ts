import type { ImportBinding } from './imports.js';

/*
 * Reading an import statement from its text: one crossing into native code instead of a dozen or more per
 * statement. Only the plain forms are read (`import a, { b as c, type d } from 'm'`, `import * as ns from
 * 'm'`, `import 'm'`); anything else — comments, string-named specifiers, escapes, attributes, `import x =
 * require()`, non-ASCII names — returns undefined and the caller reads the syntax tree instead.
 */

const ID = '[A-Za-z_$][A-Za-z0-9_$]*';
const STATEMENT = new RegExp(
  `^import\\s+(?:(type)\\s+)?(?:(${ID})\\s*(,)?\\s*)?(?:\\{([^{}'"\`/\\\\]*)\\}|\\*\\s*as\\s+(${ID}))?\\s*from\\s*(['"])([^'"\\\\\\n]*)\\6\\s*;?$`,
);
const SIDE_EFFECT = /^import\s*(['"])([^'"\\\n]*)\1\s*;?$/;
const SPECIFIER = new RegExp(`^(?:type\\s+)?(${ID})(?:\\s+as\\s+(${ID}))?$`);

export function importFromText(text: string, line: number): ImportBinding[] | undefined {
  const bare = SIDE_EFFECT.exec(text);
  if (bare) return [{ module: bare[2] as string, imported: '', local: '', line }];
  const m = STATEMENT.exec(text);
  if (!m) return undefined;
  const [, typeKeyword, defaultName, comma, named, namespace, , module = ''] = m;
  // `import type from 'm'` imports a default named `type`: left to the tree, as is any form the regex
  // reads with nothing imported or with a comma that joins nothing.
  if (defaultName === undefined && named === undefined && namespace === undefined) return undefined;
  if (typeKeyword && defaultName === 'from') return undefined;
  if (comma && (defaultName === undefined || (named === undefined && namespace === undefined)))
    return undefined;
  if (!comma && defaultName !== undefined && (named !== undefined || namespace !== undefined))
    return undefined;
  const out: ImportBinding[] = [];
  if (defaultName !== undefined) out.push({ module, imported: 'default', local: defaultName, line });
  if (namespace !== undefined) out.push({ module, imported: '*', local: namespace, line });
  if (named !== undefined) {
    const parts = named.split(',').map((p) => p.trim());
    // One trailing comma is allowed; an empty specifier anywhere else is a syntax error.
    if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
    if (parts.length === 1 && parts[0] === '') return out;
    for (const part of parts) {
      // `type as x` could be a type-only import of `as` or the binding `type` renamed: the tree decides.
      if (/^type\s+as\b/.test(part)) return undefined;
      const s = SPECIFIER.exec(part);
      if (!s) return undefined;
      const name = s[1] as string;
      out.push({ module, imported: name, local: s[2] ?? name, line });
    }
  }
  return out;
}

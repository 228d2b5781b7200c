import type { SgNode } from '@ast-grep/napi';
import { importFromText } from './import-text.js';
import { lineOf, type ParsedSource } from './parse-source.js';

/** One name a module brings into a file. `imported` is `*` for namespaces, `default` for default imports. */
export interface ImportBinding {
  module: string;
  imported: string;
  local: string;
  line: number;
}

function unquote(s: string): string {
  return s.replace(/^['"`]|['"`]$/g, '');
}

/** Calls that can only exist if the text spells `require` or `import` followed by `(` (maybe after a comment). */
const MAY_REQUIRE = /\brequire\b|\bimport\s*(\(|\/[*/])/;

/** Text that may put an import statement below the top level: module and namespace blocks, `export import`. */
const NESTED_IMPORT_HINT = /\b(declare|namespace|module)\b|\bexport\s+import\b/;

/**
 * Import statements in document order. ES imports are legal only at the top level, so the root's children
 * are enough (far cheaper than a walk of the whole tree) unless the text has a block that can nest one or
 * the file did not parse cleanly. (tree-sitter also accepts an import inside an `if` block, which no engine
 * runs; such an import is not read.)
 */
function importStatements(root: SgNode, text: string, damaged: boolean): SgNode[] {
  // Error recovery can leave an import inside an ERROR node: a damaged file gets the full walk.
  if (damaged || NESTED_IMPORT_HINT.test(text)) return root.findAll({ rule: { kind: 'import_statement' } });
  return root.namedChildren().filter((c) => c.is('import_statement'));
}

function jsImports(root: SgNode, text: string, damaged: boolean): ImportBinding[] {
  const out: ImportBinding[] = [];
  const statements = text.includes('import') ? importStatements(root, text, damaged) : [];
  for (const stmt of statements) {
    if (!damaged) {
      const read = importFromText(stmt.text(), lineOf(stmt));
      if (read) {
        out.push(...read);
        continue;
      }
    }
    const source = stmt.field('source');
    if (!source) continue;
    const module = unquote(source.text());
    const line = lineOf(stmt);
    const clause = stmt.find({ rule: { kind: 'import_clause' } });
    if (!clause) {
      out.push({ module, imported: '', local: '', line }); // side-effect import
      continue;
    }
    for (const child of clause.children()) {
      if (child.kind() === 'identifier') out.push({ module, imported: 'default', local: child.text(), line });
      else if (child.kind() === 'namespace_import') {
        const id = child.find({ rule: { kind: 'identifier' } });
        if (id) out.push({ module, imported: '*', local: id.text(), line });
      } else if (child.kind() === 'named_imports') {
        for (const spec of child.findAll({ rule: { kind: 'import_specifier' } })) {
          const name = spec.field('name')?.text() ?? '';
          const alias = spec.field('alias')?.text();
          out.push({ module, imported: name, local: alias ?? name, line });
        }
      }
    }
  }
  // CommonJS and dynamic imports: require('m') and import('m').
  if (!MAY_REQUIRE.test(text)) return out;
  for (const call of root.findAll({
    rule: {
      kind: 'call_expression',
      has: { field: 'function', any: [{ regex: '^require$', kind: 'identifier' }, { kind: 'import' }] },
    },
  })) {
    const arg = call.field('arguments')?.find({ rule: { kind: 'string' } });
    if (!arg) continue;
    const module = unquote(arg.text());
    const line = lineOf(call);
    const decl = call.parent();
    const target = decl?.kind() === 'variable_declarator' ? decl.field('name') : null;
    if (target?.kind() === 'identifier') out.push({ module, imported: '*', local: target.text(), line });
    else if (target?.kind() === 'object_pattern') {
      for (const p of target.children()) {
        if (p.kind() === 'shorthand_property_identifier_pattern')
          out.push({ module, imported: p.text(), local: p.text(), line });
        else if (p.kind() === 'pair_pattern') {
          const key = p.field('key')?.text() ?? '';
          const value = p.field('value')?.text() ?? key;
          out.push({ module, imported: key, local: value, line });
        }
      }
    } else out.push({ module, imported: '*', local: '', line });
  }
  return out;
}

/** The word `import` anywhere, to check where each one sits. */
const PY_IMPORT_WORD = /\bimport\b/g;

/**
 * Whether every Python import statement of a clean file is a child of the module: each `import` word then
 * sits on a line that starts with `import ` or `from ` (a nested statement is indented, or follows `:` or
 * `;` on its line), and no backslash continues a line onto one that does.
 */
function pyImportsAllTopLevel(text: string): boolean {
  if (/\\\r?\n/.test(text)) return false;
  PY_IMPORT_WORD.lastIndex = 0;
  for (let m = PY_IMPORT_WORD.exec(text); m; m = PY_IMPORT_WORD.exec(text)) {
    const lineStart = text.lastIndexOf('\n', m.index) + 1;
    if (!text.startsWith('import ', lineStart) && !text.startsWith('from ', lineStart)) return false;
  }
  return true;
}

function pyImports(root: SgNode, text: string, damaged: boolean): ImportBinding[] {
  const out: ImportBinding[] = [];
  if (!text.includes('import')) return out;
  // Python imports may sit in any block: one walk finds both statement kinds, unless all are top-level.
  const all =
    !damaged && pyImportsAllTopLevel(text)
      ? root.namedChildren().filter((c) => c.is('import_statement') || c.is('import_from_statement'))
      : root.findAll({ rule: { any: [{ kind: 'import_statement' }, { kind: 'import_from_statement' }] } });
  const plain = all.filter((s) => s.is('import_statement'));
  const from = all.filter((s) => !s.is('import_statement'));
  for (const stmt of plain) {
    const line = lineOf(stmt);
    for (const child of stmt.children()) {
      if (child.kind() === 'dotted_name')
        out.push({ module: child.text(), imported: '*', local: child.text(), line });
      else if (child.kind() === 'aliased_import') {
        const name = child.field('name')?.text() ?? '';
        const alias = child.field('alias')?.text() ?? name;
        out.push({ module: name, imported: '*', local: alias, line });
      }
    }
  }
  for (const stmt of from) {
    const line = lineOf(stmt);
    const moduleNode = stmt.field('module_name');
    const module = moduleNode?.text() ?? '';
    // Wrappers are fresh objects on every call: the module's own node is told apart by its id.
    const moduleId = moduleNode?.id();
    const names = stmt.children().filter((c) => c.id() !== moduleId);
    for (const child of names) {
      if (child.kind() === 'dotted_name')
        out.push({ module, imported: child.text(), local: child.text(), line });
      else if (child.kind() === 'aliased_import') {
        const name = child.field('name')?.text() ?? '';
        out.push({ module, imported: name, local: child.field('alias')?.text() ?? name, line });
      } else if (child.kind() === 'wildcard_import') out.push({ module, imported: '*', local: '*', line });
    }
  }
  return out;
}

export function importsOf(src: ParsedSource): ImportBinding[] {
  return src.language === 'python'
    ? pyImports(src.root, src.file.text, src.syntaxErrors > 0)
    : jsImports(src.root, src.file.text, src.syntaxErrors > 0);
}

/** True when `module` is `prefix` itself or a subpath of it (`openai` matches `openai/resources`). */
export function moduleMatches(module: string, prefix: string): boolean {
  return module === prefix || module.startsWith(`${prefix}/`) || module.startsWith(`${prefix}.`);
}

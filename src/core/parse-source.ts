import python from '@ast-grep/lang-python';
import { Lang, parse, registerDynamicLanguage, type SgNode, type SgRoot } from '@ast-grep/napi';
import type { Language, ProjectFile } from './types.js';

let pythonRegistered = false;

function astLang(language: Language): Lang | string {
  switch (language) {
    case 'typescript':
      return Lang.TypeScript;
    case 'tsx':
      return Lang.Tsx;
    case 'javascript':
      // JSX is legal in .js/.jsx files in practice; the TSX grammar is a superset that accepts both.
      return Lang.Tsx;
    case 'python':
      if (!pythonRegistered) {
        registerDynamicLanguage({ python: python as never });
        pythonRegistered = true;
      }
      return 'python';
  }
}

export interface ParsedSource {
  file: ProjectFile;
  language: Language;
  root: SgNode;
  /** Number of ERROR nodes tree-sitter recovered from; > 0 means analysis of this file is best effort. */
  syntaxErrors: number;
}

/** Parses a source file once. Never throws for bad syntax: tree-sitter recovers and we count the damage. */
export function parseSource(file: ProjectFile): ParsedSource {
  if (!file.language) throw new Error(`not a source file: ${file.path}`);
  const tree: SgRoot = parse(astLang(file.language) as Lang, file.text);
  const root = tree.root();
  const syntaxErrors =
    file.text.length > 0 && hasErrors(root) ? root.findAll({ rule: { kind: 'ERROR' } }).length : 0;
  return { file, language: file.language, root, syntaxErrors };
}

function hasErrors(root: SgNode): boolean {
  // find() stops at the first match, far cheaper than findAll on clean files.
  return root.find({ rule: { kind: 'ERROR' } }) !== null;
}

/** 1-based line of a node. */
export function lineOf(node: SgNode): number {
  return node.range().start.line + 1;
}

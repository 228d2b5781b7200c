import { readFileSync } from 'node:fs';
import { UsageError } from '../core/errors.js';
import { createEnvironment, HELPER_NAMES } from './helpers.js';

/** What every template is rendered with (docs/scaffolding.md lists them). */
export interface RenderVariables {
  projectName: string;
  /** Source root relative to the project, POSIX, no trailing slash (`src`, `lib`, `.`). */
  srcDir: string;
  /** Test folder relative to the project: always one folder at the project root (`test`, `tests`). */
  testDir: string;
  /** `{srcDir}/harness`. */
  harnessDir: string;
  phase: string;
  /** Template id → whether its module is in the project after this run; every known id is a key. */
  has: Record<string, boolean>;
}

const BUILT_IN_HELPERS = new Set(['if', 'unless', 'each', 'with', 'lookup', 'log', ...HELPER_NAMES]);
// Blocks that change the context: paths inside them refer to the item, not to the template variables.
const CONTEXT_BLOCKS = new Set(['each', 'with']);

/** A template mistake, located in the template file. */
export class TemplateError extends UsageError {}

type Node = { type: string; loc?: { start: { line: number; column: number } } } & Record<string, unknown>;

/**
 * Handlebars strict mode throws only when a missing variable is *printed*; `{{#if has.strem}}` would be
 * silently false. This walks the template's syntax tree and refuses any top-level variable (or `has` key)
 * the engine does not provide, wherever it appears.
 */
function checkVariables(ast: Node, vars: RenderVariables, where: string): void {
  const known = new Set(Object.keys(vars));
  const fail = (node: Node, message: string): never => {
    const pos = node.loc?.start;
    throw new TemplateError(`${where}:${pos?.line ?? 1}:${(pos?.column ?? 0) + 1}: ${message}`, {
      file: where,
      hint: `variables: ${[...known].join(', ')}; has keys: ${Object.keys(vars.has).join(', ')}`,
    });
  };
  const checkPath = (node: Node): void => {
    const parts = node.parts as string[];
    const original = String(node.original);
    if (node.data || (node.depth as number) > 0 || parts.length === 0 || original.startsWith('this')) return;
    const head = parts[0]!;
    if (!known.has(head)) fail(node, `unknown variable "${head}"`);
    if (head === 'has' && parts[1] !== undefined && !Object.hasOwn(vars.has, parts[1]))
      fail(node, `"has" has no key "${parts[1]}"`);
  };
  const checkCall = (node: Node, inContext: boolean): void => {
    const path = node.path as Node;
    const params = (node.params as Node[]) ?? [];
    const hash = ((node.hash as Node | undefined)?.pairs as Node[] | undefined) ?? [];
    const name = path.type === 'PathExpression' ? String(path.original) : '';
    const isHelper = params.length > 0 || hash.length > 0 || BUILT_IN_HELPERS.has(name);
    if (!inContext) {
      if (!isHelper && path.type === 'PathExpression') checkPath(path);
      if (isHelper && path.type === 'PathExpression' && !BUILT_IN_HELPERS.has(name))
        fail(path, `unknown helper "${name}"`);
      if (name === 'lookup') {
        const [obj, key] = params;
        if (obj?.type === 'PathExpression' && obj.original === 'has' && key?.type === 'StringLiteral')
          if (!Object.hasOwn(vars.has, String(key.value)))
            fail(key, `"has" has no key "${String(key.value)}"`);
      }
    }
    for (const p of [...params, ...hash.map((h) => h.value as Node)]) walk(p, inContext);
  };
  const walk = (node: Node | undefined, inContext: boolean): void => {
    if (!node) return;
    switch (node.type) {
      case 'Program':
        for (const s of node.body as Node[]) walk(s, inContext);
        return;
      case 'MustacheStatement':
      case 'SubExpression':
        checkCall(node, inContext);
        return;
      case 'BlockStatement': {
        checkCall(node, inContext);
        const name = String((node.path as Node).original);
        walk(node.program as Node, inContext || CONTEXT_BLOCKS.has(name) || !BUILT_IN_HELPERS.has(name));
        walk(node.inverse as Node | undefined, inContext);
        return;
      }
      case 'PathExpression':
        if (!inContext) checkPath(node);
        return;
      case 'PartialStatement':
      case 'PartialBlockStatement':
        fail(node, 'partials are not supported in templates');
        return;
      default:
        return;
    }
  };
  walk(ast, false);
}

/** Renders template text with Handlebars in strict mode (no HTML escaping: the output is code). */
export class Renderer {
  private readonly hb = createEnvironment();
  constructor(readonly vars: RenderVariables) {}

  /** `where` names the source in errors: a template file's display path, or `template.yaml files[2].to`. */
  render(text: string, where: string): string {
    let ast: Node;
    try {
      ast = this.hb.parse(text) as unknown as Node;
    } catch (e) {
      const msg = (e as Error).message;
      const line = /line (\d+)/.exec(msg)?.[1] ?? '1';
      throw new TemplateError(`${where}:${line}:1: Handlebars syntax error: ${msg.split('\n').at(-1)}`, {
        file: where,
        hint: 'write a literal "{{" in generated code as "\\{{"',
      });
    }
    checkVariables(ast, this.vars, where);
    try {
      return this.hb.compile(text, { strict: true, noEscape: true })(this.vars);
    } catch (e) {
      const msg = (e as Error).message;
      const m = /^"(.+)" not defined in .* - (\d+):(\d+)$/.exec(msg);
      if (m)
        throw new TemplateError(`${where}:${m[2]}:${Number(m[3]) + 1}: missing variable "${m[1]}"`, {
          file: where,
        });
      throw new TemplateError(`${where}: ${msg}`, { file: where });
    }
  }

  renderFile(abs: string, where: string): string {
    return this.render(readFileSync(abs, 'utf8'), where);
  }
}

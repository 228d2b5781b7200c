import type { SgNode } from '@ast-grep/napi';
import {
  calleeName,
  calleePath,
  decoratorNames,
  enclosingFunctions,
  functionName,
  objectEntries,
  stringValue,
} from './syntax.js';

/**
 * Decides whether a process spawn sits inside a tool the model can call (as opposed to the harness
 * running `git rev-parse` for itself): inside a tool definition object or helper, a decorated tool
 * function, a function or class named like a shell tool, a branch on a shell tool's name, or fed from the
 * tool input's `command` field.
 */
const TOOL_SCHEMA_KEYS = /^(input_schema|inputSchema|parameters|args_schema|argsSchema|schema)$/;
const TOOL_HELPER =
  /^(tool|createTool|defineTool|registerTool|addTool|DynamicStructuredTool|StructuredTool|DynamicTool|FunctionTool|betaZodTool|betaTool|function_tool)$/;
const TOOL_DECORATOR = /(^|\.)(tool|function_tool|beta_tool)$/;
const SHELL_FUNCTION = /bash|shell|run_?command|exec(ute)?_?command|run_?cmd|exec_?cmd|terminal/i;
const SHELL_CLASS = /(bash|shell|command|terminal|exec)\w*tool|tool\w*(bash|shell)/i;
export const SHELL_TOOL_LITERAL =
  /^(bash|shell|sh|run_command|run_shell|execute_command|exec_command|exec|terminal|run_terminal_cmd|execute_bash|run_bash|command)$/i;
const TOOL_INPUT_COMMAND =
  /(input|args|params|arguments|tool_?input|payload|call\.input)\??(\.|\[\s*["'])(command|cmd)\b/i;

export function registeredShellHandlers(root: SgNode, python: boolean): Set<string> {
  const names = new Set<string>();
  for (const obj of root.findAll({ rule: { kind: python ? 'dictionary' : 'object' } })) {
    for (const [key, value] of objectEntries(obj)) {
      if (SHELL_TOOL_LITERAL.test(key) && value?.kind() === 'identifier') names.add(value.text());
    }
  }
  return names;
}

function branchesOnShellName(node: SgNode): boolean {
  for (const a of node.ancestors()) {
    const k = a.kind();
    if (k === 'switch_case' || k === 'case_clause') {
      const value = a.field('value') ?? a.children().find((c) => c.kind() === 'case_pattern');
      const lit = value
        ? (stringValue(value) ?? stringValue(value.find({ rule: { kind: 'string' } })))
        : undefined;
      if (lit && SHELL_TOOL_LITERAL.test(lit)) return true;
    }
    if (k === 'if_statement' || k === 'elif_clause') {
      const cond = a.field('condition');
      const lits = cond?.findAll({ rule: { kind: 'string' } }).map((s) => stringValue(s)) ?? [];
      if (lits.some((l) => l !== undefined && SHELL_TOOL_LITERAL.test(l))) return true;
    }
  }
  return false;
}

/**
 * `modelDriven`: the command is not a literal and the same function calls the model — the command comes
 * from model output even without a declared tool (`RUN: <command>` protocols).
 */
export function isInTool(
  call: SgNode,
  command: SgNode | undefined,
  handlers: Set<string>,
  modelDriven: boolean,
): boolean {
  if (command && TOOL_INPUT_COMMAND.test(command.text())) return true;
  if (modelDriven) return true;
  for (const a of call.ancestors()) {
    const k = a.kind();
    if (k === 'object' || k === 'dictionary') {
      // The schema may sit one level down: `{ definition: { name, input_schema }, execute }`.
      const entries = objectEntries(a);
      const keys = [...entries.keys()];
      for (const v of entries.values())
        if (v && (v.kind() === 'object' || v.kind() === 'dictionary')) keys.push(...objectEntries(v).keys());
      if (
        keys.some((key) => TOOL_SCHEMA_KEYS.test(key)) &&
        keys.some((key) => /^(name|description)$/.test(key))
      )
        return true;
    } else if (k === 'call_expression' || k === 'call') {
      if (TOOL_HELPER.test(calleeName(a)) || /\.(tool|registerTool|addTool)$/.test(calleePath(a)))
        return true;
    } else if (k === 'class_declaration' || k === 'class_definition' || k === 'class') {
      if (SHELL_CLASS.test(a.field('name')?.text() ?? '')) return true;
    }
  }
  for (const fn of enclosingFunctions(call)) {
    const name = functionName(fn);
    if (SHELL_FUNCTION.test(name) || handlers.has(name)) return true;
    if (decoratorNames(fn).some((d) => TOOL_DECORATOR.test(d))) return true;
  }
  return branchesOnShellName(call);
}

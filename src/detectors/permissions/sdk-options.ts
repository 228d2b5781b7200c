import type { SgNode } from '@ast-grep/napi';
import type { ImportBinding } from '../../core/imports.js';
import { lineOf, type ParsedSource } from '../../core/parse-source.js';
import type { FactValue } from '../../core/types.js';
import {
  calleeName,
  enclosingFunction,
  isFunctionNode,
  literalEntries,
  resolveLocal,
  stringValue,
  unwrap,
} from '../tooling/ast.js';
import { type FileLookup, functionFacts } from './functions.js';
import { addFact, type Callback, type GatesSummary } from './summary.js';

type Family = 'claude-agent-sdk' | 'openai-agents' | 'vercel-ai' | 'langgraph';

function families(imports: readonly ImportBinding[], py: boolean): Set<Family> {
  const out = new Set<Family>();
  for (const { module: m, imported } of imports) {
    if (/^@anthropic-ai\/(claude-agent-sdk|claude-code)/.test(m) || /^claude_(agent|code)_sdk/.test(m))
      out.add('claude-agent-sdk');
    if (
      m.startsWith('@openai/agents') ||
      (py && (m === 'agents' || m.startsWith('agents.')) && imported !== 'helpers')
    )
      out.add('openai-agents');
    if (m === 'ai') out.add('vercel-ai');
    if (m.startsWith('@langchain/langgraph') || m.startsWith('langgraph') || m.startsWith('langchain'))
      out.add('langgraph');
  }
  return out;
}

/** Option name (camelCase and snake_case spellings) → what it is and which SDKs define it. */
const OPTIONS: Record<
  string,
  { option: string; families: Family[]; gate?: 'sdk-callback' | 'hook' | 'interrupt' }
> = {
  canUseTool: { option: 'canUseTool', families: ['claude-agent-sdk'], gate: 'sdk-callback' },
  can_use_tool: { option: 'canUseTool', families: ['claude-agent-sdk'], gate: 'sdk-callback' },
  permissionMode: { option: 'permissionMode', families: ['claude-agent-sdk'] },
  permission_mode: { option: 'permissionMode', families: ['claude-agent-sdk'] },
  allowedTools: { option: 'allowedTools', families: ['claude-agent-sdk'] },
  allowed_tools: { option: 'allowedTools', families: ['claude-agent-sdk'] },
  disallowedTools: { option: 'disallowedTools', families: ['claude-agent-sdk'] },
  disallowed_tools: { option: 'disallowedTools', families: ['claude-agent-sdk'] },
  hooks: { option: 'hooks', families: ['claude-agent-sdk'], gate: 'hook' },
  settingSources: { option: 'settingSources', families: ['claude-agent-sdk'] },
  setting_sources: { option: 'settingSources', families: ['claude-agent-sdk'] },
  needsApproval: { option: 'needsApproval', families: ['openai-agents', 'vercel-ai'], gate: 'sdk-callback' },
  needs_approval: { option: 'needsApproval', families: ['openai-agents'], gate: 'sdk-callback' },
  toolUseBehavior: { option: 'toolUseBehavior', families: ['openai-agents'] },
  tool_use_behavior: { option: 'toolUseBehavior', families: ['openai-agents'] },
  inputGuardrails: { option: 'inputGuardrails', families: ['openai-agents'] },
  input_guardrails: { option: 'inputGuardrails', families: ['openai-agents'] },
  toolInputGuardrails: { option: 'toolInputGuardrails', families: ['openai-agents'], gate: 'sdk-callback' },
  tool_input_guardrails: { option: 'toolInputGuardrails', families: ['openai-agents'], gate: 'sdk-callback' },
  interruptBefore: { option: 'interruptBefore', families: ['langgraph'], gate: 'interrupt' },
  interrupt_before: { option: 'interruptBefore', families: ['langgraph'], gate: 'interrupt' },
  interruptOn: { option: 'interruptOn', families: ['langgraph'], gate: 'interrupt' },
  interrupt_on: { option: 'interruptOn', families: ['langgraph'], gate: 'interrupt' },
};

/**
 * Every key `key in OPTIONS` accepts: the options, and what objects inherit (`constructor`, `__proto__`),
 * which reach the lookup below as well.
 */
const OPTION_KEY_TEXT = new RegExp(
  [...Object.keys(OPTIONS), ...Object.getOwnPropertyNames(Object.prototype)].join('|'),
);

/**
 * Speed gate: a keyword name, a key or a shorthand property is written as it reads, so one that names an
 * option is in the text; a JS string key is read without its escapes (`'hoo\x6bs'`), hence the backslash.
 */
function mayNameOption(text: string, py: boolean): boolean {
  return OPTION_KEY_TEXT.test(text) || (!py && text.includes('\\'));
}

/** The function a callback option points at: inline, or a function by name anywhere in the project. */
function callbackOf(value: SgNode, py: boolean): Callback[] {
  const v = unwrap(value);
  if (isFunctionNode(v) || v.kind() === 'lambda') return [{ inline: functionFacts(v, py) }];
  if (v.kind() !== 'identifier' && v.kind() !== 'shorthand_property_identifier') return [];
  return [{ name: v.text() }];
}

/** An option value as a literal: itself, or what a same-file constant holds. */
function resolveValue(value: SgNode, root: SgNode): SgNode | undefined {
  const v = unwrap(value);
  if (v.kind() === 'identifier' || v.kind() === 'shorthand_property_identifier')
    return resolveLocal(root, v.text());
  return v;
}

/**
 * Callbacks registered for PreToolUse / PermissionRequest in an SDK hooks map: every identifier in the
 * list (only those naming a function count), then the inline functions.
 */
function hookCallbacks(hooks: SgNode, srcPy: boolean): Callback[] {
  const out: Callback[] = [];
  for (const [event, list] of literalEntries(hooks)) {
    if (event !== 'PreToolUse' && event !== 'PermissionRequest') continue;
    for (const id of list.findAll({ rule: { kind: 'identifier' } })) out.push({ name: id.text() });
    const py = hooks.kind() === 'dictionary';
    for (const fn of list.findAll({ rule: { kind: py ? 'lambda' : 'arrow_function' } }))
      out.push({ inline: functionFacts(fn, srcPy) });
  }
  return out;
}

/**
 * Permission options of agent SDKs: Claude Agent SDK `canUseTool`/`permissionMode`/`allowedTools`/hooks,
 * OpenAI Agents and Vercel AI `needsApproval` and guardrails, LangGraph interrupts.
 */
export function sdkPermissionOptions(
  out: GatesSummary,
  src: ParsedSource,
  imports: readonly ImportBinding[],
  lookup: FileLookup,
) {
  const py = src.language === 'python';
  const fams = families(imports, py);
  if (fams.size === 0) return;
  const root = src.root;
  const entries: { key: string; value: SgNode; at: SgNode }[] = [];
  const named = mayNameOption(src.file.text, py);
  for (const node of named ? root.findAll({ rule: { kind: py ? 'keyword_argument' : 'pair' } }) : []) {
    const keyNode = node.field(py ? 'name' : 'key');
    const key = keyNode ? (stringValue(keyNode) ?? keyNode.text()) : '';
    const value = node.field('value');
    if (value && key in OPTIONS) entries.push({ key, value, at: node });
  }
  // `{ canUseTool, hooks }`: shorthand properties name the option and the value at once.
  if (!py && named)
    for (const node of root.findAll({ rule: { kind: 'shorthand_property_identifier' } }))
      if (node.text() in OPTIONS) entries.push({ key: node.text(), value: node, at: node });
  entries.sort((a, b) => a.at.range().start.index - b.at.range().start.index);
  for (const { key, value, at } of entries) {
    const spec = OPTIONS[key]!;
    const family = spec.families.find((f) => fams.has(f));
    if (!family) continue;
    // `hooks` is a common key; only the SDK's map of hook events counts.
    const hookMap = spec.option === 'hooks' ? resolveValue(value, root) : undefined;
    const hookEvents = hookMap ? [...literalEntries(hookMap).keys()] : [];
    if (
      spec.option === 'hooks' &&
      !hookEvents.some((e) =>
        /^(PreToolUse|PostToolUse|PermissionRequest|UserPromptSubmit|Stop|SessionStart)$/.test(e),
      )
    )
      continue;
    const literal = stringValue(value);
    const list = unwrap(value);
    const items =
      list.kind() === 'array' || list.kind() === 'list'
        ? list
            .children()
            .map((c) => stringValue(c))
            .filter((x): x is string => x !== undefined)
        : [];
    const data: Record<string, FactValue> = {
      option: spec.option,
      framework: family,
      value: literal ?? null,
      // Literal list values (`allowedTools: ['Read']`, `settingSources: ['project']`).
      values: items,
    };
    addFact(out, 'permission.sdk-option', at, data);
    out.sources.push({
      kind: 'sdk-option',
      file: src.file.path,
      line: lineOf(at),
      detail: spec.option,
    });
    if (spec.option === 'permissionMode' && literal)
      addFact(out, 'permission.mode', at, { mode: literal, source: 'sdk' });
    if (spec.gate === 'hook' && !hookEvents.some((e) => e === 'PreToolUse' || e === 'PermissionRequest'))
      continue;
    if (
      spec.gate === 'sdk-callback' &&
      spec.option === 'needsApproval' &&
      /^(false|False)$/.test(value.text())
    )
      continue;
    if (spec.gate) {
      // The policy lives in the callback (canUseTool) or in the PreToolUse / PermissionRequest hooks; its
      // decisions wait for the project step, which knows where a callback named here is defined.
      const callbacks =
        spec.gate === 'sdk-callback'
          ? callbackOf(value, py)
          : spec.gate === 'hook' && hookMap
            ? hookCallbacks(hookMap, py)
            : [];
      // Answer what this file can now, while its tree is here: most callbacks and helpers live beside the option.
      for (const c of callbacks) lookup.findHelpers('inline' in c ? c.inline : lookup.find(c.name));
      addFact(
        out,
        'permission.gate',
        at,
        { style: spec.gate, option: spec.option, framework: family },
        { callbacks },
      );
    }
  }
  if (py && fams.has('openai-agents')) guardrailDecorators(out, src);
  if (fams.has('langgraph')) interrupts(out, src, imports);
}

function guardrailDecorators(out: GatesSummary, src: ParsedSource) {
  for (const dec of src.root.findAll({
    rule: { kind: 'decorator', regex: '^@(input_guardrail|tool_input_guardrail)\\b' },
  })) {
    const option = dec.text().startsWith('@tool_input') ? 'toolInputGuardrails' : 'inputGuardrails';
    addFact(out, 'permission.sdk-option', dec, { option, framework: 'openai-agents', value: null });
  }
}

/** `interrupt(...)` from LangGraph inside a function that handles tool calls, and human-in-the-loop middleware. */
function interrupts(out: GatesSummary, src: ParsedSource, imports: readonly ImportBinding[]) {
  const locals = new Set(
    imports
      .filter(
        (b) =>
          (b.module.startsWith('langgraph') || b.module.startsWith('@langchain/langgraph')) &&
          b.imported === 'interrupt',
      )
      .map((b) => b.local),
  );
  const middleware = new Set(
    imports
      .filter((b) => /^(HumanInTheLoopMiddleware|humanInTheLoopMiddleware)$/.test(b.imported))
      .map((b) => b.local),
  );
  if (locals.size === 0 && middleware.size === 0) return;
  const seen = new Set<number>();
  for (const call of src.root.findAll({
    rule: { kind: src.language === 'python' ? 'call' : 'call_expression' },
  })) {
    const name = calleeName(call);
    const isInterrupt = locals.has(call.field('function')?.text() ?? '') && name !== '';
    const isMiddleware = middleware.has(name);
    if (!isInterrupt && !isMiddleware) continue;
    const fn = enclosingFunction(call);
    if (isInterrupt && (!fn || !/tool/i.test(fn.text()))) continue;
    const key = fn ? fn.range().start.index : call.range().start.index;
    if (seen.has(key)) continue;
    seen.add(key);
    addFact(out, 'permission.gate', call, {
      style: 'interrupt',
      option: isMiddleware ? 'humanInTheLoopMiddleware' : 'interrupt',
      framework: 'langgraph',
      decisions: [],
      denyFirst: false,
    });
  }
}

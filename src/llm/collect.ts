import type { SgNode } from '@ast-grep/napi';
import { lineOf, type ParsedSource, parseSource } from '../core/parse-source.js';
import type { Fact, Inventory, ProjectFile } from '../core/types.js';
import {
  calleePath,
  enclosingFunctions,
  keywordArg,
  objectEntries,
  positionalArgs,
} from '../detectors/runtime/syntax.js';
import { functionRule } from '../detectors/tooling/ast.js';
import type { Subject } from './criteria.js';

/**
 * What the model grades, gathered from what the audit already loaded: the tool inventory, the project's
 * system prompts (string literals passed as `system:` to `messages.create/stream`, or `instructions=` /
 * `system_prompt=` in Python), the permission policy from the inventory, and the prompt strings of the
 * model-verifier function the verification detector found. Nothing from the project is executed.
 */

/** Longest single prompt handed to the model; longer ones are cut (and say so). */
export const MAX_PROMPT_CHARS = 8 * 1024;
/** Tools listed per grading call; a project with more is graded on the first ones (and says so). */
const MAX_TOOLS = 40;

export interface Location {
  file: string;
  line: number;
}

export interface SubjectText {
  /** The text the model grades. */
  text: string;
  /** Where a criterion-level finding points. */
  anchor: Location;
  /** Where the graded material was found (the criterion's evidence). */
  evidence: Location[];
  /** Locations of named items (tools, rules) so per-item verdicts become findings at the right line. */
  named: Map<string, Location>;
}

export type Collected = Record<Subject, SubjectText | { missing: string }>;

export interface CollectInput {
  files: readonly ProjectFile[];
  facts: readonly Fact[];
  inventory: Inventory;
}

export function collect(input: CollectInput): Collected {
  const verifiers = verifierFacts(input.facts);
  const parsed = new Map<string, ParsedSource>();
  const parse = (file: ProjectFile) => {
    let src = parsed.get(file.path);
    if (!src) {
      src = parseSource(file);
      parsed.set(file.path, src);
    }
    return src;
  };
  return {
    'tool-descriptions': toolDescriptions(input.inventory),
    'prompt-and-policy': promptAndPolicy(input, verifiers, parse),
    'verifier-prompt': verifierPrompt(input, verifiers, parse),
  };
}

const clip = (text: string, max = MAX_PROMPT_CHARS) =>
  text.length <= max ? text : `${text.slice(0, max)}\n[… cut at ${max} characters]`;

// ---- tools ---------------------------------------------------------------------------------------------

function toolDescriptions(inventory: Inventory): SubjectText | { missing: string } {
  const tools = inventory.tools.filter((t) => t.role === 'source' || t.role === 'config');
  if (tools.length === 0) return { missing: 'No tool definitions in the project’s own code to grade.' };
  const shown = tools.slice(0, MAX_TOOLS);
  const blocks = shown.map((t) => {
    const params = t.parameters.map(
      (p) =>
        `  - ${p.name}${p.type ? ` (${p.type})` : ''}${p.required ? ', required' : ''}: ${p.description ?? '(no description)'}`,
    );
    return [
      `### ${t.name}  (${t.file}:${t.line})`,
      `description: ${clip(t.description ?? '(none)', 2000)}`,
      params.length > 0 ? `parameters:\n${params.join('\n')}` : 'parameters: (none declared)',
    ].join('\n');
  });
  if (tools.length > shown.length) blocks.push(`(${tools.length - shown.length} more tools not shown)`);
  const first = shown[0]!;
  return {
    text: blocks.join('\n\n'),
    anchor: { file: first.file, line: Math.max(1, first.line) },
    evidence: shown.slice(0, 10).map((t) => ({ file: t.file, line: Math.max(1, t.line) })),
    named: new Map(shown.map((t) => [t.name, { file: t.file, line: Math.max(1, t.line) }])),
  };
}

// ---- system prompts and the permission policy ------------------------------------------------------------

type Parse = (file: ProjectFile) => ParsedSource;

/** `verify.step` facts of kind model-verifier, primary roles first. */
function verifierFacts(facts: readonly Fact[]): Fact[] {
  const all = facts.filter((f) => f.kind === 'verify.step' && f.data.kind === 'model-verifier');
  const primary = all.filter((f) => f.role === 'source');
  return primary.length > 0 ? primary : all.filter((f) => f.role !== 'test');
}

const SDK_CREATE = /(^|\.)messages\.(create|stream|parse)$/;
/** Necessary text for any of the structural matches below (a speed gate only). */
const PROMPT_GATE = /\bsystem\b|instructions|system_prompt/;

interface FoundPrompt {
  text: string;
  at: Location;
}

function systemPrompts(input: CollectInput, verifiers: readonly Fact[], parse: Parse): FoundPrompt[] {
  const out: FoundPrompt[] = [];
  const seen = new Set<string>();
  for (const file of input.files) {
    if (file.role !== 'source' || !file.language || !PROMPT_GATE.test(file.text)) continue;
    const src = parse(file);
    const verifierLines = new Set(verifiers.filter((f) => f.file === file.path).map((f) => f.line));
    for (const { value, call } of promptArguments(src)) {
      // The verifier's own system prompt is graded by the verification criterion, not as the agent's.
      if (enclosingFunctions(call).some((fn) => verifierLines.has(lineOf(fn)))) continue;
      const text = resolveText(value, src, 0);
      if (!text || text.trim().length < 20) continue;
      const key = text.trim();
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ text: clip(text.trim()), at: { file: file.path, line: lineOf(value) } });
    }
  }
  return out;
}

/** The value nodes passed as a system prompt, with the call they are passed to. */
function promptArguments(src: ParsedSource): { value: SgNode; call: SgNode }[] {
  const out: { value: SgNode; call: SgNode }[] = [];
  if (src.language === 'python') {
    for (const call of src.root.findAll({ rule: { kind: 'call' } })) {
      const system = SDK_CREATE.test(calleePath(call)) ? keywordArg(call, 'system') : null;
      for (const value of [system, keywordArg(call, 'instructions'), keywordArg(call, 'system_prompt')])
        if (value) out.push({ value, call });
    }
    return out;
  }
  for (const call of src.root.findAll({ rule: { kind: 'call_expression' } })) {
    if (!SDK_CREATE.test(calleePath(call))) continue;
    const first = positionalArgs(call)[0];
    // The options object is passed inline, or built first: `const request = {…}; messages.create(request)`.
    const options = first?.kind() === 'identifier' ? constantValue(src, first.text()) : first;
    const object = options ? unwrapObject(options) : undefined;
    if (!object) continue;
    const entries = objectEntries(object);
    if (!entries.has('system')) continue;
    const value = entries.get('system');
    if (value) out.push({ value, call });
    else {
      // `{ system }` shorthand: the value is the identifier of the same name.
      const shorthand = object.children().find((c) => c.kind() === 'shorthand_property_identifier');
      if (shorthand?.text() === 'system') out.push({ value: shorthand, call });
    }
  }
  return out;
}

/** An object literal, seen through `as` / `satisfies` / parentheses. */
function unwrapObject(node: SgNode): SgNode | undefined {
  const kind = node.kind();
  if (kind === 'object') return node;
  if (kind === 'as_expression' || kind === 'satisfies_expression' || kind === 'parenthesized_expression') {
    const inner = node.children().find((c) => c.isNamed());
    return inner ? unwrapObject(inner) : undefined;
  }
  return undefined;
}

const STRING_KINDS = new Set(['string', 'template_string']);

/** The literal text of a string node, quotes stripped; substitutions stay as written (`${task}`, `{task}`). */
function literalText(node: SgNode): string {
  const raw = node.text();
  const m = /^([rRbBuUfF]{0,2})("""|'''|"|'|`)/.exec(raw);
  if (!m) return raw;
  const quote = m[2]!;
  const body = raw.slice(m[0].length);
  return body.endsWith(quote) ? body.slice(0, body.length - quote.length) : body;
}

/**
 * Follows a prompt expression to its text: string literals, same-file constants, `+` concatenation and
 * content-block arrays (`[{ type: 'text', text: '…' }]`). Anything computed at run time gives undefined.
 */
function resolveText(node: SgNode, src: ParsedSource, depth: number): string | undefined {
  if (depth > 3) return undefined;
  const kind = String(node.kind());
  if (STRING_KINDS.has(kind)) return literalText(node);
  if (kind === 'concatenated_string')
    return node
      .children()
      .filter((c) => STRING_KINDS.has(String(c.kind())))
      .map(literalText)
      .join('');
  if (kind === 'parenthesized_expression') {
    const inner = node.children().find((c) => c.isNamed());
    return inner ? resolveText(inner, src, depth + 1) : undefined;
  }
  if (kind === 'binary_expression' || kind === 'binary_operator') {
    const left = node.field('left');
    const right = node.field('right');
    const l = left ? resolveText(left, src, depth + 1) : undefined;
    const r = right ? resolveText(right, src, depth + 1) : undefined;
    return l !== undefined && r !== undefined ? l + r : (l ?? r);
  }
  if (kind === 'array' || kind === 'list') {
    const texts = node
      .children()
      .filter((c) => c.kind() === 'object' || c.kind() === 'dictionary')
      .map((c) => objectEntries(c).get('text'))
      .map((v) => (v ? resolveText(v, src, depth + 1) : undefined))
      .filter((t): t is string => t !== undefined);
    return texts.length > 0 ? texts.join('\n\n') : undefined;
  }
  if (kind === 'identifier' || kind === 'shorthand_property_identifier') {
    const value = constantValue(src, node.text());
    return value ? resolveText(value, src, depth + 1) : undefined;
  }
  return undefined;
}

/** The initial value of a same-file constant (`const X = …`, Python `X = …`). */
function constantValue(src: ParsedSource, name: string): SgNode | undefined {
  if (src.language === 'python') {
    for (const a of src.root.findAll({ rule: { kind: 'assignment' } }))
      if (a.field('left')?.text() === name) return a.field('right') ?? undefined;
    return undefined;
  }
  for (const d of src.root.findAll({ rule: { kind: 'variable_declarator' } }))
    if (d.field('name')?.text() === name) return d.field('value') ?? undefined;
  return undefined;
}

function policyText(
  inventory: Inventory,
  facts: readonly Fact[],
  files: readonly ProjectFile[],
): { text: string; at: Location[] } {
  const lines: string[] = [];
  const at: Location[] = [];
  for (const p of inventory.permissionSources) {
    at.push({ file: p.file, line: Math.max(1, p.line) });
    const head = `- ${p.kind} at ${p.file}:${p.line}${p.defaultMode ? ` (defaultMode: ${p.defaultMode})` : ''}${p.detail ? ` — ${p.detail}` : ''}`;
    lines.push(head);
    if (p.rules)
      for (const effect of ['deny', 'ask', 'allow'] as const)
        if (p.rules[effect].length > 0) lines.push(`    ${effect}: ${p.rules[effect].join(', ')}`);
  }
  for (const f of facts) {
    if (!isEngine(f)) continue;
    at.push({ file: f.file, line: Math.max(1, f.line) });
    const decisions = Array.isArray(f.data.decisions) ? f.data.decisions.join('/') : '';
    lines.push(
      `- decision function ${String(f.data.name ?? '')} at ${f.file}:${f.line}: decisions ${decisions || 'unknown'}, deny-first ${f.data.denyFirst === true ? 'yes' : 'no'}`,
    );
  }
  // Rules written in code rather than as data: the decision function's file is the policy.
  if (!inventory.permissionSources.some((p) => p.rules)) {
    const engines = [...new Set(facts.filter(isEngine).map((f) => f.file))].slice(0, 2);
    for (const path of engines) {
      const file = files.find((f) => f.path === path);
      if (file) lines.push('', `### ${path}`, clip(file.text));
    }
  }
  return { text: clip(lines.join('\n'), 2 * MAX_PROMPT_CHARS), at };
}

const isEngine = (f: Fact) => f.kind === 'permission.engine' && f.role === 'source';

function promptAndPolicy(
  input: CollectInput,
  verifiers: readonly Fact[],
  parse: Parse,
): SubjectText | { missing: string } {
  const prompts = systemPrompts(input, verifiers, parse);
  if (prompts.length === 0)
    return {
      missing: 'No literal system prompt passed to a model call was found to compare with the policy.',
    };
  const policy = policyText(input.inventory, input.facts, input.files);
  if (!policy.text)
    return { missing: 'No permission policy in the inventory to compare the system prompt with.' };
  const promptBlocks = prompts.map((p) => `### system prompt at ${p.at.file}:${p.at.line}\n${p.text}`);
  return {
    text: `## System prompts\n\n${promptBlocks.join('\n\n')}\n\n## Permission policy\n\n${policy.text}`,
    anchor: prompts[0]!.at,
    evidence: [...prompts.map((p) => p.at), ...policy.at].slice(0, 10),
    named: new Map(),
  };
}

// ---- the verifier ---------------------------------------------------------------------------------------

function verifierPrompt(
  input: CollectInput,
  verifiers: readonly Fact[],
  parse: Parse,
): SubjectText | { missing: string } {
  const byPath = new Map(input.files.map((f) => [f.path, f]));
  const blocks: string[] = [];
  const evidence: Location[] = [];
  for (const fact of verifiers) {
    const file = byPath.get(fact.file);
    if (!file?.language) continue;
    const src = parse(file);
    const fn = src.root
      .findAll({ rule: functionRule(src.language === 'python') })
      .find((n) => lineOf(n) === fact.line);
    if (!fn) continue;
    const strings = promptStrings(fn, src);
    if (strings.length === 0) continue;
    const signature = fn.text().split('\n')[0]!.slice(0, 200);
    blocks.push(
      `### verifier ${String(fact.data.name ?? '')} at ${fact.file}:${fact.line}\nfunction: ${signature}\n\n${strings.map((s) => `---\n${s}`).join('\n')}`,
    );
    evidence.push({ file: fact.file, line: fact.line });
  }
  if (blocks.length === 0)
    return { missing: 'No model-verifier function with literal prompt strings was found.' };
  return {
    text: clip(blocks.join('\n\n'), 2 * MAX_PROMPT_CHARS),
    anchor: evidence[0]!,
    evidence,
    named: new Map(),
  };
}

/** String literals in a function, and the same-file constants it names, that read like prompt text. */
function promptStrings(fn: SgNode, src: ParsedSource): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const add = (text: string | undefined) => {
    const t = text?.trim();
    if (!t || t.length < 20 || seen.has(t)) return;
    seen.add(t);
    out.push(clip(t));
  };
  for (const s of fn.findAll({ rule: { any: [{ kind: 'string' }, { kind: 'template_string' }] } })) {
    // Python docstrings describe the function; they are not sent to the model.
    if (s.parent()?.kind() === 'expression_statement') continue;
    add(literalText(s));
  }
  const names = new Set(fn.findAll({ rule: { kind: 'identifier' } }).map((n) => n.text()));
  for (const name of names) {
    const value = constantValue(src, name);
    if (value && !fn.text().includes(value.text())) add(resolveText(value, src, 1));
  }
  return out;
}

import type { Rule, SgNode } from '@ast-grep/napi';
import { lineOf, type ParsedSource } from '../core/parse-source.js';
import type { ProjectFile } from '../core/types.js';
import { commandText, execCalls } from './runtime/exec-calls.js';
import { isModelCall, LOCAL_WRAPPER } from './runtime/model-calls.js';
import {
  argsOf,
  calleeName,
  calleePath,
  enclosingFunction,
  functionName,
  identChar,
  isFunctionNode,
  objectEntries,
  positionalArgs,
  receiverOf,
  stringValue,
} from './runtime/syntax.js';
import type { Detector, FileContext, ProjectContext } from './types.js';

/**
 * Fact kinds of this detector:
 * - `verify.step` {kind, name?, via?}: a result is checked before it is accepted (a verifier model call,
 *   the project's tests run by the agent, a reviewer agent, a schema validator over model output).
 * - `verify.harness-test` {area, areas, cases}: a test file exercising harness code.
 * - `verify.eval-suite` {kind, framework?}: an eval suite file (promptfoo config, case corpus, dataset, custom).
 * - `verify.ci` {runs, provider}: a CI workflow and what it runs (tests, evals, plumbline, lint).
 */
export const FACT_KINDS = ['verify.step', 'verify.harness-test', 'verify.eval-suite', 'verify.ci'] as const;

const VERIFIER_NAME = /verif|review|grade|grading|judge|critique|critic|evaluat|validat|check|assess|score/i;
const NOT_VERIFIER = /permission|auth|budget|limit|quota|health|rate/i;
const REVIEWER_ROLE = /review|verif|critic|judge|grader|checker|\bqa\b|auditor|evaluator/i;
const ROLE_RUNNER = /^(run|spawn|call|invoke|delegate|ask|start)_?(role|agent|sub_?agent)$/i;
const AGENT_CTOR = /^(Agent|AgentDefinition|createAgent|LlmAgent|ReActAgent|create_react_agent|Assistant)$/;
const TEST_COMMAND =
  /\b(npm|pnpm|yarn|bun)\s+(run\s+)?test\b|\bnpx\s+(vitest|jest|mocha|playwright)\b|\b(vitest|jest|mocha)\b|\bpytest\b|python3?\s+-m\s+(pytest|unittest)|\bgo\s+test\b|\bcargo\s+test\b|\bmake\s+test\b|\btsc\b.*--noEmit/;
const MODEL_OUTPUT_ACCESS =
  /\.(content|text|output_text|output|choices|final_output|completion|message|tool_calls)\b|\[["']content["']\]/;
/** Python keyword arguments that ask a model for structured output. */
const FORMAT_KEYWORD = /response_format|output_format|text_format/;
const ZOD_PARSE = /^(parse|safeParse|parseAsync|safeParseAsync)$/;
const PY_VALIDATE =
  /^(model_validate|model_validate_json|parse_raw|parse_obj|validate_python|validate_json)$/;
const VALIDATOR_NAMES = [
  ...[ZOD_PARSE, PY_VALIDATE].flatMap((r) => r.source.replace(/^\^\(|\)\$$/g, '').split('|')),
];
const VALIDATOR_NAME_SET = new Set(VALIDATOR_NAMES);

/**
 * Callee names `detectSteps` acts on: model calls (isModelCall: SDK paths end in these names, SDK functions,
 * `Runner.run*`, `invoke`, `query`), agent constructors (`Agent.create` ends in `create`) and role runners;
 * the wrapper and runner name families are patterns.
 */
const STEP_CALL_NAMES = [
  'create',
  'parse',
  'stream',
  'generate_content',
  'generateContent',
  'generatecontent',
  'generateText',
  'generateObject',
  'streamText',
  'streamObject',
  'completion',
  'acompletion',
  'run',
  'run_sync',
  'run_streamed',
  'invoke',
  'ainvoke',
  'query',
  ...AGENT_CTOR.source.replace(/^\^\(|\)\$$/g, '').split('|'),
];

/**
 * The names, and the wrapper and runner name patterns, each followed by no identifier character. The two
 * patterns share one scan: no name matches both (their last words differ), so at each position at most
 * one of them matches, and the scan finds what two would.
 */
const NAME_SCANS = [false, true].map((python) => [
  new RegExp(
    `(?:${[...new Set([...STEP_CALL_NAMES, ...VALIDATOR_NAMES])].join('|')})(?![${identChar(python)}])`,
    'g',
  ),
  new RegExp(
    `(?:${[LOCAL_WRAPPER, ROLE_RUNNER].map((r) => r.source.replace(/^\^|\$$/g, '')).join('|')})(?![${identChar(python)}])`,
    'gi',
  ),
]);

/**
 * The strings, found in the text, that the callee of every call `detectSteps` acts on contains: a call acts
 * by its name (or by its path, which ends in one), and a name is an identifier token, so it occurs in the
 * text followed by no identifier character. Scanning from every position finds each such occurrence: a
 * match there can only end where the token does. The literals make a cheap native regex; extra candidates
 * take no branch.
 */
function callNameLiterals(text: string, python: boolean): string[] {
  const found = new Set<string>();
  for (const scan of NAME_SCANS[python ? 1 : 0] as RegExp[]) {
    scan.lastIndex = 0;
    for (let m = scan.exec(text); m; m = scan.exec(text)) {
      found.add(m[0]);
      scan.lastIndex = m.index + 1;
    }
  }
  // A call named `run*` acts only as `Runner.run*` (isModelCall): its callee's text, blanks and `!` left
  // out (see calleePath), starts so.
  if (RUNNER_METHODS.some((n) => found.has(n)) && !RUNNER_TEXT.test(text))
    for (const n of RUNNER_METHODS) found.delete(n);
  return [...found];
}
const RUNNER_METHODS = ['run', 'run_sync', 'run_streamed'];
const RUNNER_TEXT = /R[\s!]*u[\s!]*n[\s!]*n[\s!]*e[\s!]*r/;

const AGENTS_ENTRY: Rule = {
  kind: 'pair',
  inside: { kind: 'object', inside: { kind: 'pair', has: { field: 'key', regex: '^agents$' } } },
};
const ZOD_SCHEMA: Rule = { kind: 'variable_declarator', has: { field: 'value', regex: '^z\\.' } };

/**
 * What the file step keeps of one source file. Every `verify.step` and `verify.harness-test` fact is emitted
 * by the project step from here: a Python test file's fact depends on the project's module names, and the
 * facts must keep their file-by-file order, so none can be emitted before all files are seen.
 */
interface FileSummary {
  /** `verify.step` facts, by 1-based line. */
  steps?: { line: number; data: Record<string, string> }[];
  harness?: HarnessCandidate;
  /** An eval-role source file with at least one top-level node (an eval suite candidate). */
  evalBody?: true;
}

/**
 * Words a report of `detectSteps` needs in the text, asked lazily. A name or string read from the tree is
 * part of the text, but for a string key's or literal's value: its fragments around escape sequences,
 * joined. A word of letters and `_` that spans an escape so has a letter or `_` just before a backslash;
 * a `qa` reviewer (the only bounded word) has its letters in the text either way.
 */
class ReportWords {
  #escapes?: boolean;
  #verifier?: boolean;
  #reviewer?: boolean;
  #typedOutput?: boolean;
  constructor(readonly text: string) {}
  private escapes(): boolean {
    this.#escapes ??= /[A-Za-z_]\\/.test(this.text);
    return this.#escapes;
  }
  /** A function named as a verifier (`model-verifier`). */
  verifier(): boolean {
    this.#verifier ??= VERIFIER_NAME.test(this.text) || this.escapes();
    return this.#verifier;
  }
  /** A reviewer role or key. */
  reviewer(): boolean {
    this.#reviewer ??= REVIEWER_ROLE.test(this.text) || /qa/i.test(this.text) || this.escapes();
    return this.#reviewer;
  }
  /** What `agentDefinition` reports: a reviewer role, a typed output, output guardrails. */
  agentDefinition(): boolean {
    this.#typedOutput ??= /outputType|output_type|outputGuardrails/.test(this.text) || this.escapes();
    return this.#typedOutput || this.reviewer();
  }
}

/**
 * Whether a call named one of `names` can take a branch of `detectSteps` that reports: a validator; a model
 * call in a function named as a verifier or with a typed output (`generateObject`, `messages.parse`, a
 * Python format keyword); an agent definition (`Agent`…, `Agent.create`) or role runner that reports.
 */
function namedCallsCanReport(names: readonly string[], python: boolean, words: ReportWords): boolean {
  if (names.some((n) => VALIDATOR_NAME_SET.has(n))) return true;
  if (words.verifier()) return true;
  if (names.some((n) => n === 'generateObject' || n === 'streamObject')) return true;
  if (python && FORMAT_KEYWORD.test(words.text)) return true;
  if (names.some((n) => n === 'create' || AGENT_CTOR.test(n)) && words.agentDefinition()) return true;
  return names.some((n) => ROLE_RUNNER.test(n)) && words.reviewer();
}

// ---- verification steps in code ----------------------------------------------------------------------

function detectSteps(ctx: FileContext, src: ParsedSource): FileSummary['steps'] {
  const python = src.language === 'python';
  const imports = ctx.imports(src);
  const seen = new Set<string>();
  const steps: NonNullable<FileSummary['steps']> = [];
  const emit = (node: SgNode, data: Record<string, string>) => {
    const line = node.range().start.line;
    const key = `${line}:${data.kind}`;
    if (seen.has(key)) return;
    seen.add(key);
    steps.push({ line: line + 1, data });
  };
  let modelCallFns: Set<number> | undefined;
  const zodSchemas = new Set<string>();
  const text = src.file.text;
  // One walk finds every node the passes below read (split by kind here); the text tests are speed gates,
  // each a necessary condition of the rule it guards.
  const callKind = python ? 'call' : 'call_expression';
  const names = callNameLiterals(text, python);
  const words = new ReportWords(text);
  const any: Rule[] = [];
  if (names.length > 0 && namedCallsCanReport(names, python, words))
    any.push({ kind: callKind, has: { field: 'function', regex: names.join('|') } });
  // The output_guardrails keyword's name is in the arguments' text, whatever the call is named.
  const guardrailKeyword = python && text.includes('output_guardrails');
  if (guardrailKeyword) any.push({ kind: 'call', has: { field: 'arguments', regex: 'output_guardrails' } });
  // A constructor named so is an identifier token: among `names`.
  if (!python && names.some((n) => AGENT_CTOR.test(n)) && words.agentDefinition())
    any.push({ kind: 'new_expression' });
  // Reviewer sub-agents declared as data: `agents: { 'code-reviewer': { description, prompt } }`.
  if (!python && text.includes('agents') && words.reviewer()) any.push(AGENTS_ENTRY);
  // Zod schemas are only read for a zod parse call's receiver.
  if (!python && text.includes('z.') && names.some((n) => ZOD_PARSE.test(n))) any.push(ZOD_SCHEMA);
  const calls: SgNode[] = [];
  const ctors: SgNode[] = [];
  const agentEntries: SgNode[] = [];
  if (any.length > 0)
    for (const n of src.root.findAll({ rule: any.length === 1 ? (any[0] as Rule) : { any } })) {
      if (python || n.is('call_expression')) calls.push(n);
      else if (n.is('new_expression')) ctors.push(n);
      else if (n.is('pair')) agentEntries.push(n);
      else {
        const name = n.field('name')?.text();
        if (name) zodSchemas.add(name);
      }
    }
  /** An agent definition (`new Agent({...})`, `Agent(name=...)`) whose role is reviewing, or whose output is typed. */
  const agentDefinition = (call: SgNode) => {
    const opts = python
      ? undefined
      : call
          .field('arguments')
          ?.children()
          .find((c) => c.isNamed());
    const entries = opts ? objectEntries(opts) : undefined;
    const role = python ? stringValue(keywordOf(call, 'name')) : stringValue(entries?.get('name'));
    if (role && REVIEWER_ROLE.test(role)) emit(call, { kind: 'reviewer', name: role });
    const outputType = python ? keywordOf(call, 'output_type') : entries?.get('outputType');
    if (outputType) emit(call, { kind: 'schema-validation', via: 'sdk' });
    const guardrails = entries?.get('outputGuardrails');
    if (guardrails && guardrails.text() !== '[]') emit(call, { kind: 'output-guardrail' });
  };
  // A keyword's name is in the call's text.
  let formatKeywords: boolean | undefined;
  const mayNameFormat = (): boolean => {
    if (formatKeywords === undefined) formatKeywords = FORMAT_KEYWORD.test(text);
    return formatKeywords;
  };
  const modelCalls: SgNode[] = [];
  // Every call that can take a branch below is among `calls` (a call acts by its name, or by its path,
  // which ends in such a name); the others take none.
  for (const call of calls) {
    const name = calleeName(call);
    if (isModelCall(call, imports)) {
      modelCalls.push(call);
      // Every function around the call, innermost first (each `ancestors()` and `kind()` crosses into
      // ast-grep, so only when a name can matter).
      if (words.verifier())
        for (const f of call.ancestors()) {
          if (!isFunctionNode(f)) continue;
          const fname = functionName(f);
          if (VERIFIER_NAME.test(fname) && !NOT_VERIFIER.test(fname)) {
            emit(f, { kind: 'model-verifier', name: fname });
            break;
          }
        }
      // Structured output validated by the SDK itself.
      const path = calleePath(call);
      const sdkSchema =
        /^(generateObject|streamObject)$/.test(name) ||
        /(messages|completions|responses)\.parse$/.test(path) ||
        (python &&
          mayNameFormat() &&
          (keywordOf(call, 'response_format') ||
            keywordOf(call, 'output_format') ||
            keywordOf(call, 'text_format')));
      if (sdkSchema) emit(call, { kind: 'schema-validation', via: 'sdk' });
    }
    if (AGENT_CTOR.test(name) || /^Agent\.create$/.test(calleePath(call))) agentDefinition(call);
    else if (ROLE_RUNNER.test(name)) {
      const role = stringValue(positionalArgs(call)[0]);
      if (role && REVIEWER_ROLE.test(role)) emit(call, { kind: 'reviewer', name: role });
    }
    if (guardrailKeyword && keywordOf(call, 'output_guardrails')) emit(call, { kind: 'output-guardrail' });
  }
  for (const ctor of ctors) {
    const name = ctor.field('constructor')?.text() ?? '';
    if (AGENT_CTOR.test(name)) agentDefinition(ctor);
  }
  for (const pair of agentEntries) {
    const key = pair.field('key');
    const keyText = key ? (stringValue(key) ?? key.text()) : '';
    const value = pair.field('value');
    if (
      REVIEWER_ROLE.test(keyText) &&
      value &&
      /prompt|instructions|description/.test([...objectEntries(value).keys()].join(' '))
    )
      emit(pair, { kind: 'reviewer', name: keyText });
  }
  // Schema validators applied to model output.
  for (const call of calls) {
    const name = calleeName(call);
    const isValidator = python
      ? PY_VALIDATE.test(name)
      : ZOD_PARSE.test(name) && isZodReceiver(receiverOf(call), zodSchemas);
    if (!isValidator) continue;
    const arg = python ? call.field('arguments') : positionalArgs(call)[0];
    const fn = enclosingFunction(call);
    // The innermost function of each model call, as `enclosingFunction` finds it, read at the first validator.
    // By node id: every lookup returns a fresh wrapper, so wrappers never compare equal.
    if (!modelCallFns)
      modelCallFns = new Set(
        modelCalls
          .map(enclosingFunction)
          .filter((f): f is SgNode => f !== null)
          .map((f) => f.id()),
      );
    const nearModel = fn !== null && modelCallFns.has(fn.id());
    if (nearModel || (arg && MODEL_OUTPUT_ACCESS.test(arg.text())))
      emit(call, { kind: 'schema-validation', via: 'parse' });
  }
  // The agent runs the project's tests as a check.
  if (src.file.role !== 'script' && src.file.role !== 'test') {
    for (const e of execCalls(src, imports)) {
      const args = e.call.field('arguments');
      if (args && TEST_COMMAND.test(commandText(args, python))) emit(e.call, { kind: 'tests', name: e.api });
    }
  }
  return steps.length > 0 ? steps : undefined;
}

const keywordMemo = new WeakMap<SgNode, Map<string, SgNode | null>>();

/** `keywordArg`, from one pass over the call's arguments (the first keyword so named wins). */
function keywordOf(call: SgNode, name: string): SgNode | null {
  let byName = keywordMemo.get(call);
  if (!byName) {
    byName = new Map();
    for (const a of argsOf(call)) {
      if (!a.is('keyword_argument')) continue;
      const n = a.field('name')?.text();
      if (n !== undefined && !byName.has(n)) byName.set(n, a.field('value'));
    }
    keywordMemo.set(call, byName);
  }
  return byName.get(name) ?? null;
}

function isZodReceiver(receiver: SgNode | null, zodSchemas: Set<string>): boolean {
  if (!receiver) return false;
  const text = receiver.text();
  if (receiver.kind() === 'identifier') return zodSchemas.has(text) || /Schema$/.test(text);
  return /^z\./.test(text) || /Schema$/.test(text);
}

// ---- harness tests ---------------------------------------------------------------------------------------

const AREAS: [string, RegExp][] = [
  [
    'permissions',
    /permission|polic(y|ies)|guard|approv|allowlist|denylist|gate|decide|can_?use_?tool|sandbox/i,
  ],
  ['budget', /budget|token|cost|usage|limit|quota/i],
  ['session', /session|transcript|persist|store|checkpoint|resume|history|memory|ledger|workflow|state/i],
  ['tools', /tool|registry|mcp/i],
  ['loop', /agent|loop|runner|harness|orchestrat|engine|conversation|query/i],
  ['other', /event|stream|logg|audit|compact|shell|bash|command|verif|sub_?agent|prompt|hook|trace/i],
];
const TEST_LIBS =
  /^(vitest|jest|@jest\/|mocha|chai|node:test|node:assert|assert|sinon|@testing-library\/|supertest|nock|msw|pytest|unittest|hypothesis|mock|pytest_\w+)/;

const TEST_CALLEE = /^(it|test)(\.(each|only|concurrent|skip|todo)(`|\()?[^\n]*)?$/;

const FEW_FUNCTIONS = 4;

/** The test cases' count, and a node on the first one's line. */
function testCases(src: ParsedSource): { count: number; first?: SgNode } {
  if (src.language === 'python') {
    // The regex costs a query more than reading a few functions' names (each has a `def` in the text).
    const fns =
      (src.file.text.match(/\bdef\b/g)?.length ?? 0) <= FEW_FUNCTIONS
        ? src.root
            .findAll({ rule: { kind: 'function_definition' } })
            .filter((fn) => fn.field('name')?.text().startsWith('test_'))
        : src.root.findAll({
            rule: { kind: 'function_definition', has: { field: 'name', regex: '^test_' } },
          });
    return { count: fns.length, first: fns[0] };
  }
  if (src.syntaxErrors === 0) {
    const callees = plainTestCallees(src.root, src.file.text);
    if (callees) return { count: callees.length, first: callees[0] };
  }
  // The whole callee regex compiled natively costs more than the walk: its plain prefix is found natively,
  // the rest tested here (`[^\n]` is the Rust regex's `.`).
  const calls = src.root
    .findAll({ rule: { kind: 'call_expression', has: { field: 'function', regex: '^(?:it|test)' } } })
    .filter((c) => TEST_CALLEE.test(c.field('function')?.text() ?? ''));
  return { count: calls.length, first: calls[0] };
}

/** Where a member form's callee (`it.each…`) can start: its first token, `it` or `test`, then `.` and a word. */
const TEST_MEMBER = /(?<![\w$])(?:it|test)\.(?:each|only|concurrent|skip|todo)/;

/**
 * In a tree without syntax errors, when no callee `TEST_CALLEE` takes can be a member form (`it.each…`): the
 * callees it takes, each a bare `it` or `test` identifier starting its call (so on the call's line); else
 * undefined, for the full query. An identifier so spelled whose parent is a call is its function (the only
 * identifier a call holds). A single-token pattern asks for it without the regex and `has` rule a query
 * compiles; a name absent from the text as a token needs no pattern.
 */
function plainTestCallees(root: SgNode, text: string): SgNode[] | undefined {
  if (TEST_MEMBER.test(text)) return undefined;
  const it = /(?<![\w$])it(?![\w$])/.test(text);
  const test = /(?<![\w$])test(?![\w$])/.test(text);
  if (!it && !test) return [];
  const inside: Rule = { kind: 'call_expression' };
  return root.findAll({
    rule:
      it && test
        ? { any: [{ pattern: 'it' }, { pattern: 'test' }], inside }
        : { pattern: it ? 'it' : 'test', inside },
  });
}

function projectModuleRoots(files: readonly ProjectFile[]): Set<string> {
  const roots = new Set<string>();
  for (const f of files) {
    if (f.language !== 'python') continue;
    for (const part of f.path.replace(/\.py$/, '').split('/')) roots.add(part);
  }
  return roots;
}

/**
 * A test file's cases and the names it imports from the project. Whether a Python import is the project's
 * own needs every file's path, so such an import keeps its top-level module as `root` for the project step.
 */
interface HarnessCandidate {
  line: number;
  cases: number;
  imports: { root?: string; subjects: string[] }[];
}

function harnessCandidate(ctx: FileContext, src: ParsedSource): HarnessCandidate | undefined {
  const { count, first } = testCases(src);
  if (count === 0 || !first) return undefined;
  const imports: HarnessCandidate['imports'] = [];
  for (const b of ctx.imports(src)) {
    if (TEST_LIBS.test(b.module)) continue;
    let root: string | undefined;
    if (src.language === 'python') {
      if (!b.module.startsWith('.')) root = b.module.split('.')[0] ?? '';
    } else if (!/^(\.|\/|@\/|~\/|src\/)/.test(b.module)) continue;
    const segments = b.module.split(/[/.]/).filter((s) => s && s !== '..' && s !== 'src' && s !== 'index');
    imports.push({
      ...(root === undefined ? {} : { root }),
      subjects: [segments.slice(-2).join('/'), b.imported, b.local],
    });
  }
  return { line: lineOf(first), cases: count, imports };
}

function emitHarnessTest(
  ctx: ProjectContext,
  file: ProjectFile,
  candidate: HarnessCandidate,
  pyRoots: () => Set<string>,
) {
  const subjects = candidate.imports
    .filter((i) => i.root === undefined || pyRoots().has(i.root))
    .flatMap((i) => i.subjects);
  const areas = AREAS.filter(([, re]) => subjects.some((s) => re.test(s))).map(([id]) => id);
  const area = areas[0];
  if (!area) return;
  ctx.emit('verify.harness-test', file, candidate.line, { area, areas, cases: candidate.cases });
}

// ---- eval suites and CI ----------------------------------------------------------------------------------

const EVAL_FRAMEWORKS: [string, RegExp][] = [
  ['promptfoo', /^promptfoo/],
  ['inspect', /^inspect_ai/],
  ['braintrust', /^braintrust/],
  ['deepeval', /^deepeval/],
  ['langsmith', /^langsmith/],
  ['openai-evals', /^evals(\.|$)/],
  ['vitest', /^vitest/],
];

function detectEvalSuites(ctx: ProjectContext, summaries: ReadonlyMap<string, FileSummary>) {
  const configByPath = new Map(ctx.configs().map((c) => [c.file.path, c]));
  for (const file of ctx.project.files) {
    if (file.role !== 'eval') continue;
    const base = file.path.slice(file.path.lastIndexOf('/') + 1);
    if (/\.(jsonl|ndjson|csv|tsv)$/i.test(base)) {
      if (file.text.trim().length > 0) ctx.emit('verify.eval-suite', file, 1, { kind: 'dataset' });
      continue;
    }
    const config = configByPath.get(file.path);
    if (config) {
      const v = config.value;
      if (!v || typeof v !== 'object') continue;
      const o = v as Record<string, unknown>;
      if (
        /^promptfooconfig\./.test(base) ||
        ('prompts' in o && 'providers' in o) ||
        ('providers' in o && 'tests' in o)
      )
        ctx.emit('verify.eval-suite', file, config.lineOfKey(['tests']), { kind: 'promptfoo' });
      else if (Array.isArray(o.cases) && o.cases.length > 0)
        ctx.emit('verify.eval-suite', file, config.lineOfKey(['cases']), { kind: 'corpus' });
      else if (
        Array.isArray(v)
          ? v.length > 0
          : ['tests', 'examples', 'samples', 'dataset', 'data'].some((k) => Array.isArray(o[k]))
      )
        ctx.emit('verify.eval-suite', file, 1, { kind: 'dataset' });
      continue;
    }
    if (summaries.get(file.path)?.evalBody) {
      const modules = ctx.importsAt(file.path).map((b) => b.module);
      const framework = EVAL_FRAMEWORKS.find(([, re]) => modules.some((m) => re.test(m)))?.[0] ?? 'none';
      const kind = framework === 'promptfoo' ? 'promptfoo' : 'custom';
      ctx.emit('verify.eval-suite', file, 1, { kind, framework });
    }
  }
}

const CI_RUNS: [string, RegExp][] = [
  ['tests', TEST_COMMAND],
  ['evals', /promptfoo|\bevals?\b|inspect\s+eval|braintrust\s+eval|deepeval/],
  ['plumbline', /plumbline/],
  [
    'lint',
    /\b(eslint|biome|ruff|flake8|pylint|mypy|pyright|prettier\s+--check|black\s+--check|oxlint)\b|\b(npm|pnpm|yarn)\s+(run\s+)?(lint|typecheck|check)\b|\btsc\b/,
  ],
];

/** Every command string and action reference in a CI file (`run:`, `script:`, `uses:`, `command:`). */
function ciCommands(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) ciCommands(v, out);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (/^(run|uses|script|before_script|after_script|command|commands)$/.test(k)) {
        if (typeof v === 'string') out.push(v);
        else if (Array.isArray(v))
          for (const s of v)
            if (typeof s === 'string') out.push(s);
            else ciCommands(v, out);
      } else ciCommands(v, out);
    }
  }
  return out;
}

function detectCi(ctx: ProjectContext) {
  for (const config of ctx.configs()) {
    const file = config.file;
    if (file.role !== 'ci' || config.value === undefined) continue;
    const commands = ciCommands(config.value);
    const runs = CI_RUNS.filter(([, re]) => commands.some((c) => re.test(c))).map(([id]) => id);
    const provider = file.path.startsWith('.github/')
      ? 'github'
      : file.path.includes('gitlab')
        ? 'gitlab'
        : 'other';
    const line = provider === 'github' ? config.lineOfKey(['jobs']) : 1;
    ctx.emit('verify.ci', file, line, { runs, provider });
  }
}

export const verificationDetector: Detector<FileSummary> = {
  id: 'verification',
  description:
    'Verification steps (verifier model calls, test runs, reviewer agents, schema validation of output), harness tests, eval suites, CI workflows.',
  file(ctx) {
    const { src } = ctx;
    const summary: FileSummary = {};
    if (src.file.role === 'test') {
      const harness = harnessCandidate(ctx, src);
      if (harness) summary.harness = harness;
    } else {
      const steps = detectSteps(ctx, src);
      if (steps) summary.steps = steps;
    }
    if (src.file.role === 'eval' && src.root.children().length > 0) summary.evalBody = true;
    return Object.keys(summary).length > 0 ? summary : undefined;
  },
  project(ctx, summaries) {
    let roots: Set<string> | undefined;
    const pyRoots = () => {
      roots ??= projectModuleRoots(ctx.project.files);
      return roots;
    };
    // File by file, in project order, as the facts were found.
    for (const file of ctx.sourceFiles) {
      const summary = summaries.get(file.path);
      if (summary?.harness) emitHarnessTest(ctx, file, summary.harness, pyRoots);
      for (const step of summary?.steps ?? []) ctx.emit('verify.step', file, step.line, step.data);
    }
    detectEvalSuites(ctx, summaries);
    detectCi(ctx);
  },
};

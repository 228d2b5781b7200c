import type { SgNode } from '@ast-grep/napi';
import type { ParsedSource } from '../../core/parse-source.js';
import { nodesOf } from './file-index.js';
import { spans, spansWithin } from './name-scan.js';
import {
  argsOf,
  calleeText,
  callsMatching,
  endOf,
  isPython,
  lastSegment,
  pairsOf,
  receiverText,
  startOf,
} from './syntax.js';
import { hasWord, wordsOf } from './vocab.js';

/**
 * Calls that send a request to a model: Anthropic and OpenAI clients, the Vercel AI SDK, LiteLLM and
 * LangChain chat models (`llm.invoke`). Matched on the callee's shape, not on a client variable name.
 */
const MODEL_CALLEE = [
  /(^|\.)messages\.(create|stream|parse)$/,
  /(^|\.)completions\.(create|parse|stream)$/,
  /(^|\.)responses\.(create|stream|parse)$/,
  /^(generateText|streamText|generateObject|streamObject)$/,
  /^(litellm\.)?a?completion$/,
  /(^|\.)generate_content(_async)?$/,
  /(^|\.)generateContent(Stream)?$/,
];
const LANGCHAIN_METHOD = /^(a?invoke|a?stream|a?batch)$/;

export function isModelCall(call: SgNode): boolean {
  const callee = calleeText(call);
  if (MODEL_CALLEE.some((re) => re.test(callee))) return true;
  // count_tokens takes the same body as a request but sends nothing to the model
  if (/^(countTokens|count_tokens)$/.test(lastSegment(callee))) return false;
  if (isRequestShaped(call)) return true;
  const method = lastSegment(callee);
  if (!LANGCHAIN_METHOD.test(method)) return false;
  const recv = wordsOf(receiverText(callee));
  return hasWord(recv, /^(llm|model|chat|claude|gpt|anthropic|openai|summarizer|summariser)$/);
}

const cache = new WeakMap<ParsedSource, SgNode[]>();

const CALLEE_HINT =
  '^(create|stream|parse|generateText|streamText|generateObject|streamObject|completion|acompletion|generate_content|generate_content_async|generateContent|generateContentStream|invoke|ainvoke|astream|batch|abatch)$';
/** Speed gate for the callee shapes above. */
const MODEL_TEXT_HINT =
  /(messages|completions|responses)\s*\.\s*(create|stream|parse)|generateText|streamText|generateObject|streamObject|completion\(|generate_?[cC]ontent|\.a?(invoke|stream|batch)\(/;
const MODEL_KEY = /^["']?(model)["']?$/;
const MESSAGES_KEY = /^["']?(messages|input)["']?$/;

/**
 * Whether a call's arguments hold a request body: a JS object literal argument with `model` and `messages` or
 * `input` keys (keyed pairs or shorthand), or Python `model=` and `messages=`/`input=` keywords. The calls
 * come from the file's shared list of calls with an object literal (Python: keyword) argument; the keys are
 * read here: key regexes in a query cost more to compile than reading the few candidates.
 */
function hasRequestBody(call: SgNode, py: boolean): boolean {
  if (py) {
    let model = false;
    let messages = false;
    for (const a of argsOf(call)) {
      if (a.kind() !== 'keyword_argument') continue;
      const name = a.field('name')?.text();
      if (name === 'model') model = true;
      else if (name === 'messages' || name === 'input') messages = true;
    }
    return model && messages;
  }
  for (const a of argsOf(call)) {
    if (a.kind() !== 'object') continue;
    // Speed gate: both keys are part of the object's text.
    const text = a.text();
    if (!text.includes('model') || !(text.includes('messages') || text.includes('input'))) continue;
    let model = false;
    let messages = false;
    for (const c of a.children()) {
      const k = c.kind();
      if (k === 'pair') {
        const key = c.field('key')?.text();
        if (key === undefined) continue;
        if (MODEL_KEY.test(key)) model = true;
        if (MESSAGES_KEY.test(key)) messages = true;
      } else if (k === 'shorthand_property_identifier') {
        const name = c.text();
        if (name === 'model') model = true;
        if (name === 'messages' || name === 'input') messages = true;
      }
    }
    if (model && messages) return true;
  }
  return false;
}

export function modelCalls(src: ParsedSource): SgNode[] {
  let out = cache.get(src);
  if (!out) {
    const py = isPython(src);
    const text = src.file.text;
    const byCallee = MODEL_TEXT_HINT.test(text) ? callsMatching(src, CALLEE_HINT).filter(isModelCall) : [];
    // Hand-rolled clients: any call whose argument is a request body with `model` and `messages`/`input`.
    // A call found by its callee is not read again: the same node would take its own place below.
    let byBody: SgNode[] = [];
    if (/model/.test(text) && /messages|input/.test(text)) {
      const found = new Set(byCallee.map((c) => `${startOf(c)}:${endOf(c)}`));
      // `hasRequestBody` needs the keys' text (a key, keyword name or shorthand spelt `model`, and one spelt
      // `messages` or `input`) inside the call, so a call without both is not read.
      const models = spans(text, /model/g);
      const bodies = spans(text, /messages|input/g);
      byBody = nodesOf(src, 'bodyCalls').filter(
        (c) =>
          !found.has(`${startOf(c)}:${endOf(c)}`) &&
          spansWithin(models, c) &&
          spansWithin(bodies, c) &&
          hasRequestBody(c, py) &&
          isModelCall(c),
      );
    }
    const all = new Map<number, SgNode>();
    for (const c of [...byCallee, ...byBody]) all.set(startOf(c), c);
    out = [...all.values()].sort((a, b) => startOf(a) - startOf(b));
    cache.set(src, out);
  }
  return out;
}

/** A hand-rolled client: the call carries a Messages/Chat request body (`model` and `messages`). */
function isRequestShaped(call: SgNode): boolean {
  const keys = new Set<string>();
  for (const a of argsOf(call)) {
    if (a.kind() === 'keyword_argument') keys.add(a.field('name')?.text() ?? '');
    else if (a.kind() === 'object' || a.kind() === 'dictionary') for (const p of pairsOf(a)) keys.add(p.key);
  }
  return keys.has('model') && (keys.has('messages') || keys.has('input'));
}

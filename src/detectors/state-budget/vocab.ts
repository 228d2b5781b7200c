/**
 * Word-level vocabulary for names in code. Names are split into lower-case words (`saveTranscriptV2` →
 * save, transcript, v2) so rules can ask "does this path expression talk about a session?" without
 * matching substrings such as `possession`.
 */

export function wordsOf(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

export function hasWord(words: readonly string[], re: RegExp): boolean {
  return words.some((w) => re.test(w));
}

/** Where a persisted record belongs, from the words around its write. */
export type StoreTarget =
  | 'transcript'
  | 'session'
  | 'conversation'
  | 'history'
  | 'messages'
  | 'state'
  | 'unknown';

export const CONVERSATION_TARGETS: readonly StoreTarget[] = [
  'transcript',
  'session',
  'conversation',
  'history',
  'messages',
];

const TARGET_WORDS: [StoreTarget, RegExp][] = [
  ['transcript', /^transcripts?$/],
  ['session', /^sessions?$/],
  ['conversation', /^(conversations?|convo|chats?|dialog(ue)?s?)$/],
  ['messages', /^(messages|msgs)$/],
  ['history', /^(histor(y|ies))$/],
];

/** Words naming durable task/workflow state rather than the conversation. */
export const STATE_STORE_WORDS = /^(checkpoints?|workflows?|tasks?|todos?|plans?|ledger|journal|runstate)$/;

/** Names of unrelated outputs: a write whose path says these is not a session store. */
export const UNRELATED_WORDS =
  /^(config|configs|settings|package|report|reports|readme|env|manifest|cache|coverage|bench|benchmark|html|css|svg|png|lock|changelog|license)$/;

/** First conversation target named by these words, if any. */
export function conversationTarget(words: readonly string[]): StoreTarget | undefined {
  for (const [target, re] of TARGET_WORDS) if (hasWord(words, re)) return target;
  return undefined;
}

/**
 * `state` on its own is too common to mean anything (every UI has one); it counts when it names a file
 * (`statePath`, `STATE_FILE`, `state.json`) or comes with a task/workflow word.
 */
export function stateTarget(words: readonly string[]): boolean {
  if (hasWord(words, STATE_STORE_WORDS)) return true;
  const i = words.indexOf('state');
  if (i < 0) return false;
  return hasWord(words, /^(path|file|dir|json|jsonl|db|sqlite|store|filename)$/);
}

/** Task-state vocabulary shared by workflow state sets and transitions. */
const ACTIVE_STATES =
  /^(planned|planning|pending|queued|todo|ready|scheduled|created|new|awaiting_?approval|needs_?approval|pending_?approval|approval_?required|waiting(_.+)?|paused|blocked|executing|running|in_?progress|active|started|retrying|suspended|interrupted)$/;
const TERMINAL_STATES =
  /^(done|completed?|succeeded|success|successful|finished|failed|failure|errored|error|cancell?ed|aborted|skipped|timed_?out|rejected|denied)$/;
export const APPROVAL_STATE =
  /^(awaiting_?approval|needs_?approval|pending_?approval|approval_?required|waiting_?(for_?)?approval)$/;

function normalState(value: string): string {
  return value
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
}

export function isActiveState(value: string): boolean {
  return ACTIVE_STATES.test(normalState(value));
}

export function isTerminalState(value: string): boolean {
  return TERMINAL_STATES.test(normalState(value));
}

export function isTaskState(value: string): boolean {
  return isActiveState(value) || isTerminalState(value);
}

export function isApprovalState(value: string): boolean {
  return APPROVAL_STATE.test(normalState(value));
}

/**
 * A set of names looks like task states when at least three are state words and it has both an open
 * state and an end state: `idle | loading | error` (a UI fetch) does not, `pending | running | done` does.
 */
export function looksLikeTaskStates(values: readonly string[]): boolean {
  // `loading` marks a UI fetch status (`idle | loading | success | error`), not a task lifecycle.
  if (values.some((v) => normalState(v) === 'loading')) return false;
  const states = values.filter(isTaskState);
  return states.length >= 3 && values.some(isActiveState) && values.some(isTerminalState);
}

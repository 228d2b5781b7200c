import type { Capability } from '../../core/types.js';
import { words } from './ast.js';

/** Name words that say what a tool does. */
const NAME_WORDS: Record<Capability, readonly string[]> = {
  exec: ['bash', 'shell', 'exec', 'execute', 'command', 'terminal', 'subprocess', 'powershell', 'sh', 'run'],
  write: [
    'write',
    'edit',
    'create',
    'update',
    'save',
    'patch',
    'append',
    'insert',
    'put',
    'modify',
    'replace',
  ],
  read: [
    'read',
    'get',
    'list',
    'search',
    'find',
    'view',
    'grep',
    'glob',
    'ls',
    'cat',
    'query',
    'lookup',
    'fetch',
  ],
  network: ['fetch', 'http', 'web', 'url', 'download', 'browse', 'request', 'api', 'webhook', 'scrape'],
  destructive: ['delete', 'remove', 'rm', 'drop', 'destroy', 'purge', 'truncate', 'kill', 'wipe', 'reset'],
};

/**
 * Calls and modules in an implementation body that reveal a capability. Matched against code (the
 * implementation's text), so they are API names, not prose.
 */
const BODY_PATTERNS: Record<Capability, RegExp> = {
  exec: /\b(?:child_process|execSync|execFile(?:Sync)?|spawn(?:Sync)?|exec|subprocess|os\.system|popen|Popen|execa|Bun\.spawn|Deno\.Command)\s*[.(]/,
  write:
    /\b(?:writeFile(?:Sync)?|appendFile(?:Sync)?|createWriteStream|write_text|write_bytes|mkdir(?:Sync)?|rename(?:Sync)?|copyFile(?:Sync)?)\s*\(|\bopen\([^)]*,\s*['"](?:w|a|x|wb|ab|r\+)['"]/,
  read: /\b(?:readFile(?:Sync)?|readdir(?:Sync)?|createReadStream|read_text|read_bytes|glob|listdir|scandir|os\.walk)\s*\(|\bopen\(\s*[^,)]+\)/,
  network:
    /\b(?:fetch|axios|got|ky|requests|httpx|aiohttp|urllib|urlopen|http\.request|https\.request)\s*[.(]/,
  destructive:
    /\b(?:unlink(?:Sync)?|rmSync|rmdir(?:Sync)?|rm|remove|rmtree|unlinkSync|deleteMany|deleteOne|drop_table|dropTable)\s*\(|\b(?:DROP\s+TABLE|DELETE\s+FROM|TRUNCATE)\b|rm\s+-rf/,
};

const ORDER: readonly Capability[] = ['read', 'write', 'exec', 'network', 'destructive'];

/** Each capability's bit in a mask, in `ORDER`. */
const BIT: Record<Capability, number> = { read: 1, write: 2, exec: 4, network: 8, destructive: 16 };

/** The capabilities each name word says, as a mask: one lookup per word of a name instead of one per list word. */
const WORD_BITS = new Map<string, number>();
for (const cap of ORDER)
  for (const w of NAME_WORDS[cap]) WORD_BITS.set(w, (WORD_BITS.get(w) ?? 0) | BIT[cap]);

/** What a tool can do, from its name, its description's first sentence and its implementation's calls. */
export function inferCapabilities(name: string, description: string | undefined, body: string): Capability[] {
  let found = 0;
  let run = false;
  let otherExec = false;
  for (const w of words(name)) {
    const bits = WORD_BITS.get(w) ?? 0;
    found |= bits;
    if (w === 'run') run = true;
    else if (bits & BIT.exec) otherExec = true;
  }
  // `run_tests` or `run_query` is not a shell; `run` alone only counts with another exec word.
  if (run && !otherExec) found &= ~BIT.exec;
  // Only the first words of the description count, and only for a shell or a destructive act.
  for (const w of words(description ?? '', 12))
    if (w !== 'run' && w !== 'sh') found |= (WORD_BITS.get(w) ?? 0) & (BIT.exec | BIT.destructive);
  for (const cap of ORDER) if (BODY_PATTERNS[cap].test(body)) found |= BIT[cap];
  if (found & BIT.write && /\b(?:overwrite|force)\b/i.test(name)) found |= BIT.destructive;
  const out: Capability[] = [];
  for (const c of ORDER) if (found & BIT[c]) out.push(c);
  return out;
}

/** Keys that carry explicit capability or risk metadata on a tool definition. */
export const CAPABILITY_METADATA_KEYS = new Set([
  'capabilities',
  'capability',
  'readOnly',
  'read_only',
  'readOnlyHint',
  'destructiveHint',
  'idempotentHint',
  'openWorldHint',
  'destructive',
  'isReadOnly',
  'is_read_only',
  'isDestructive',
  'is_destructive',
  'risk',
  'riskLevel',
  'risk_level',
  'permissions',
  'permission',
  'annotations',
  'sideEffects',
  'side_effects',
  'effects',
  'scopes',
]);

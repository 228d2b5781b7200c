// The benchmark's floor: walk a generated repository and read its source and config files as text, with
// no ignore rules beyond the generator's known folders and no analysis. An audit cannot be faster than this.
//
// Usage: node scripts/bench-floor.mjs <dir>   → prints {"files": N, "bytes": B}
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const SKIP = new Set(['node_modules', '.git', 'dist', 'tmp']);
const EXT = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs|py|json|jsonc|json5|ya?ml|toml)$/;

let files = 0;
let bytes = 0;
function walk(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const abs = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIP.has(entry.name)) walk(abs);
    } else if (entry.isFile() && EXT.test(entry.name) && entry.name !== 'package-lock.json') {
      bytes += readFileSync(abs, 'utf8').length;
      files++;
    }
  }
}

walk(process.argv[2] ?? '.');
console.log(JSON.stringify({ files, bytes }));

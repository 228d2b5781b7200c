import { readFileSync } from 'node:fs';

let cached: string | undefined;

/** plumbline's own version, read once from its package.json (dist/ and src/ are both one level down). */
export function packageVersion(): string {
  cached ??= (
    JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
  ).version;
  return cached;
}

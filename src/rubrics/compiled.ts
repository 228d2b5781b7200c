import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { PrimitiveRubric } from './schema.js';

/**
 * Parsing YAML costs about 100 ms in a cold process, most of an audit's startup, so the build stores the
 * validated core rubrics as JSON next to the YAML (`scripts/compile-rubrics.mjs`). The JSON is used only
 * while it was compiled from exactly the YAML on disk (same names and bytes); otherwise the YAML is parsed.
 */
export const COMPILED_VERSION = 1;

export interface CompiledRubrics {
  version: typeof COMPILED_VERSION;
  hash: string;
  primitives: { name: string; rubric: PrimitiveRubric }[];
}

/** `rubrics/core.compiled.json` for `rubrics/core`. */
export const compiledPathFor = (coreDir: string) => join(coreDir, '..', `${basename(coreDir)}.compiled.json`);

/** Fingerprint of the rubric files: their names and bytes, in order. */
export function hashSources(files: readonly { name: string; text: string }[]): string {
  const h = createHash('sha256');
  for (const f of files) h.update(`${f.name}\0${f.text}\0`);
  return h.digest('hex');
}

/** The compiled rubrics, when present and compiled from exactly `hash`. */
export function readCompiled(coreDir: string, hash: string): CompiledRubrics | undefined {
  try {
    const value = JSON.parse(readFileSync(compiledPathFor(coreDir), 'utf8')) as CompiledRubrics;
    return value.version === COMPILED_VERSION && value.hash === hash ? value : undefined;
  } catch {
    return undefined;
  }
}

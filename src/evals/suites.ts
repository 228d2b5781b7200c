import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../core/errors.js';
import type { EvalConfig } from './config.js';
import { type Corpus, loadCorpus } from './corpus.js';

/** plumbline's own corpora, shipped in the package (`evals/corpora`). Both src/ and dist/ sit two levels down. */
export const BUILTIN_CORPORA_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../evals/corpora');

/** Suites that are not corpora and run only when configured or asked for. */
export const SPECIAL_SUITES = ['session-recovery', 'behavior'] as const;

export function builtinCorpusFiles(): string[] {
  if (!existsSync(BUILTIN_CORPORA_DIR)) return [];
  return readdirSync(BUILTIN_CORPORA_DIR)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => join(BUILTIN_CORPORA_DIR, f));
}

export interface CorpusSources {
  projectRoot: string;
  /** Where the config lives (corpora in the config are relative to it). */
  configDir: string;
  config: EvalConfig;
  /** `--corpus` files, relative to the working directory. */
  extra: readonly string[];
}

/** Every corpus in play, grouped by suite id, in a stable order. */
export function loadCorpora(src: CorpusSources): Map<string, Corpus[]> {
  const files: { abs: string; shown: string; fallbackSuite: string }[] = [];
  if (src.config.builtinCorpora !== false)
    for (const abs of builtinCorpusFiles())
      files.push({
        abs,
        shown: `plumbline:evals/corpora/${relative(BUILTIN_CORPORA_DIR, abs)}`,
        fallbackSuite: 'permissions',
      });
  for (const p of src.config.corpora ?? []) {
    const abs = resolve(src.configDir, p);
    files.push({ abs, shown: relative(src.projectRoot, abs) || p, fallbackSuite: 'custom' });
  }
  for (const p of src.extra) {
    const abs = resolve(p);
    if (!existsSync(abs))
      throw new UsageError(`corpus file ${p} does not exist`, { hint: 'Check the --corpus path.' });
    files.push({ abs, shown: relative(process.cwd(), abs) || p, fallbackSuite: 'custom' });
  }
  const bySuite = new Map<string, Corpus[]>();
  for (const f of files) {
    const corpus = loadCorpus(f.abs, f.shown, f.fallbackSuite);
    bySuite.set(corpus.suite, [...(bySuite.get(corpus.suite) ?? []), corpus]);
  }
  return bySuite;
}

import type { LoadedConfig } from '../config/load.js';
import type { RunEvalsOptions } from './run-evals.js';

/** Runners of the suites that are not corpora; each loads its heavy parts only when it runs. */
export function specialSuites(_loaded: LoadedConfig): RunEvalsOptions['special'] {
  return {};
}

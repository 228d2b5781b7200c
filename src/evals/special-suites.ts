import { dirname } from 'node:path';
import type { LoadedConfig } from '../config/load.js';
import { evalConfigOf } from './config.js';
import type { RunEvalsOptions } from './run-evals.js';

/** Runners of the suites that are not corpora; each loads its heavy parts only when it runs. */
export function specialSuites(loaded: LoadedConfig): RunEvalsOptions['special'] {
  const config = evalConfigOf(loaded);
  return {
    ...(config.sessionStore
      ? {
          'session-recovery': async (root: string) =>
            (await import('./session-recovery/configured.js')).configuredSessionRecovery(root, loaded),
        }
      : {}),
    ...(config.behavior
      ? {
          behavior: async (root: string, explicit: boolean) =>
            (await import('./behavior.js')).runBehaviorSuite({
              projectRoot: root,
              configDir: loaded.path ? dirname(loaded.path) : root,
              config,
              explicit,
            }),
        }
      : {}),
  };
}

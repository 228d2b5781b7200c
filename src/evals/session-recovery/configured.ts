import { dirname, relative, resolve } from 'node:path';
import type { LoadedConfig } from '../../config/load.js';
import { evalConfigOf } from '../config.js';
import type { SuiteResult } from '../report.js';
import { metricsOf } from '../run-corpus.js';
import { runSessionRecovery } from './suite.js';

/** The session-recovery suite as `eval.sessionStore` configures it; commands run in the project root. */
export async function configuredSessionRecovery(root: string, loaded: LoadedConfig): Promise<SuiteResult> {
  const store = evalConfigOf(loaded).sessionStore;
  const writer = store ? `command:${store.writer}` : '-';
  if (!store || process.platform === 'win32')
    return {
      id: 'session-recovery',
      adapter: writer,
      status: 'skipped',
      notice: store
        ? 'the session-recovery suite needs POSIX process groups and SIGKILL; it does not run on Windows'
        : 'the session-recovery suite is not configured for this project (eval.sessionStore)',
      cases: [],
      metrics: metricsOf([]),
      categories: [],
    };
  const configDir = loaded.path ? dirname(loaded.path) : root;
  const { suite } = await runSessionRecovery({
    writer: store.writer,
    reader: store.reader,
    cwd: root,
    runs: store.runs,
    records: store.records,
    timeoutMs: store.timeoutMs,
    seed: store.seed,
    storeDir: store.storeDir === undefined ? undefined : resolve(configDir, store.storeDir),
    passEnv: evalConfigOf(loaded).passEnv,
    source: {
      // Like corpus cases: relative to the project when the config lives there.
      file: loaded.path ? relative(root, loaded.path) || loaded.path : 'plumbline config',
      line: loaded.positionOf(['eval', 'sessionStore'], true).line,
    },
  });
  return suite;
}

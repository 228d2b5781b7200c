import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parentPort } from 'node:worker_threads';
import { detectors } from '../detectors/index.js';
import { type FileScan, scanFile } from './file-scan.js';
import type { ProjectFile } from './types.js';

/** A batch of source files to scan, and its id, which the reply carries back. */
export interface ScanRequest {
  start: number;
  files: ProjectFile[];
}

export interface ScanResponse {
  start: number;
  scans?: FileScan[];
  error?: string;
}

/**
 * Work between two collections of dropped trees: a number of files, or fewer when they are large (a tree
 * takes many times its file's size, and real projects hold bundles of hundreds of kilobytes).
 */
const COLLECT_EVERY_FILES = 128;
const COLLECT_EVERY_BYTES = 2 * 1024 * 1024;
let filesSince = 0;
let bytesSince = 0;

// Runs the file step of every detector on batches the main thread sends (see analyze-pool.ts).
parentPort?.on('message', async (req: ScanRequest) => {
  try {
    const scans: FileScan[] = [];
    for (const f of req.files) {
      scans.push(scanFile(f, detectors));
      bytesSince += f.size;
      if (++filesSince >= COLLECT_EVERY_FILES || bytesSince >= COLLECT_EVERY_BYTES) {
        filesSince = 0;
        bytesSince = 0;
        await freeTrees();
      }
    }
    parentPort?.postMessage({ start: req.start, scans } satisfies ScanResponse);
  } catch (err) {
    const error = err instanceof Error ? (err.stack ?? err.message) : String(err);
    parentPort?.postMessage({ start: req.start, error } satisfies ScanResponse);
  }
});

/**
 * ast-grep's trees live in native memory that V8 does not see, so it never feels pressure to collect the
 * small wrappers that keep them alive, and a worker's trees would pile up until it ends. A full collection
 * every few dozen files, then a turn of the event loop (where the native finalizers run), frees them. Workers
 * cannot take --expose-gc, so the collector is fetched through V8's flags.
 */
const collect: () => void = (() => {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
})();

function freeTrees(): Promise<void> {
  collect();
  return new Promise((resolve) => setImmediate(resolve));
}

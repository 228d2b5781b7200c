import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ScanRequest, ScanResponse } from './analyze-worker.js';
import type { FileScan } from './file-scan.js';
import type { ProjectFile } from './types.js';

/** Files per message: large enough to amortise messaging, small enough to balance the workers' load. */
const BATCH = 48;

const MIN_BYTES_FOR_WORKERS = 1024 * 1024;

/**
 * Source files below which a pool is not worth starting before the files are read: about a megabyte of
 * typical agent code. Starting early only overlaps a worker's start-up (~70 ms) with discovery's reads.
 */
const MIN_FILES_FOR_EARLY_START = 300;

/** The `PLUMBLINE_WORKERS` override (0 = main thread only), if set to a number. */
function forcedThreads(): number | undefined {
  const forced = process.env.PLUMBLINE_WORKERS;
  return forced !== undefined && /^\d+$/.test(forced) ? Math.min(Number(forced), 16) : undefined;
}

const threadsForCores = () => Math.max(0, Math.min(availableParallelism(), 4));

/**
 * How many worker threads to use: none for a small project (starting a worker costs about 70 ms, more than
 * it saves below roughly a megabyte of code), else one per core up to four. `PLUMBLINE_WORKERS` overrides
 * (0 = main thread only).
 */
export function workerCount(files: readonly ProjectFile[]): number {
  const forced = forcedThreads();
  if (forced !== undefined) return forced;
  const bytes = files.reduce((sum, f) => sum + f.size, 0);
  if (files.length < 8 || bytes < MIN_BYTES_FOR_WORKERS) return 0;
  return threadsForCores();
}

/**
 * Worker threads that scan source files. Started as soon as the number of files is known, so the workers
 * load their modules while the main thread is still reading the files.
 */
export class ScanPool {
  private readonly workers: Worker[];
  private closed = false;

  private constructor(threads: number) {
    const url = new URL('./analyze-worker.js', import.meta.url);
    this.workers = Array.from({ length: threads }, () => new Worker(url));
  }

  static start(threads: number): ScanPool | undefined {
    return threads > 0 ? new ScanPool(threads) : undefined;
  }

  /** A pool for a project about to be read, or none when its source files are too few to need one. */
  static forSourceCount(sourceFiles: number): ScanPool | undefined {
    const forced = forcedThreads();
    if (forced !== undefined) return ScanPool.start(forced);
    return sourceFiles >= MIN_FILES_FOR_EARLY_START ? ScanPool.start(threadsForCores()) : undefined;
  }

  get size(): number {
    return this.workers.length;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /**
   * Scans files and returns the scans in the files' order. Batches are handed out as workers free up, so
   * one slow file does not stall the rest. The pool is closed afterwards, whatever happens.
   */
  async scan(files: readonly ProjectFile[]): Promise<FileScan[]> {
    const scans: FileScan[] = new Array(files.length);
    const busy = this.workers.slice(0, Math.max(1, Math.ceil(files.length / BATCH)));
    let next = 0;
    try {
      await Promise.all(
        busy.map(
          (worker) =>
            new Promise<void>((resolve, reject) => {
              const send = () => {
                if (next >= files.length) return resolve();
                // Batches shrink towards the end so that the workers finish together.
                const size = Math.max(
                  4,
                  Math.min(BATCH, Math.ceil((files.length - next) / (2 * busy.length))),
                );
                const req: ScanRequest = { start: next, files: files.slice(next, next + size) };
                next += size;
                worker.postMessage(req);
              };
              worker.on('message', (res: ScanResponse) => {
                if (res.error || !res.scans) return reject(new Error(`analysis worker failed: ${res.error}`));
                res.scans.forEach((s, i) => {
                  scans[res.start + i] = s;
                });
                send();
              });
              worker.on('error', reject);
              worker.on('exit', (code) => {
                if (code !== 0 && !this.closed) reject(new Error(`analysis worker exited with code ${code}`));
              });
              send();
            }),
        ),
      );
    } finally {
      this.close();
    }
    return scans;
  }

  /**
   * Stops the workers without waiting for them: a worker still frees the trees of its last files as it
   * shuts down, and that can run on another core while the main thread goes on with the project steps.
   */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const w of this.workers) w.terminate().catch(() => undefined);
  }
}

import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ScanRequest, ScanResponse } from './analyze-worker.js';
import type { FileScan } from './file-scan.js';
import type { ProjectFile } from './types.js';

/** Files per message: large enough to amortise messaging, small enough to balance the workers' load. */
const BATCH = 48;

/**
 * How many worker threads to use: none for a small project (starting a worker costs about 90 ms, more than
 * it saves below roughly a megabyte of code), else one per core up to four. `PLUMBLINE_WORKERS` overrides
 * (0 = main thread only).
 */
export function workerCount(files: readonly ProjectFile[]): number {
  const forced = process.env.PLUMBLINE_WORKERS;
  if (forced !== undefined && /^\d+$/.test(forced)) return Math.min(Number(forced), 16);
  const bytes = files.reduce((sum, f) => sum + f.size, 0);
  if (files.length < 8 || bytes < MIN_BYTES_FOR_WORKERS) return 0;
  return Math.max(0, Math.min(availableParallelism(), 4));
}

const MIN_BYTES_FOR_WORKERS = 1024 * 1024;

/**
 * Scans files on `threads` worker threads and returns the scans in the files' order. Batches are handed
 * out as workers free up, so one slow file does not stall the rest.
 */
export async function scanInWorkers(files: readonly ProjectFile[], threads: number): Promise<FileScan[]> {
  const scans: FileScan[] = new Array(files.length);
  const url = new URL('./analyze-worker.js', import.meta.url);
  const workers = Array.from(
    { length: Math.min(threads, Math.ceil(files.length / BATCH)) },
    () => new Worker(url),
  );
  let next = 0;
  try {
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            const send = () => {
              if (next >= files.length) return resolve();
              const req: ScanRequest = { start: next, files: files.slice(next, next + BATCH) };
              next += BATCH;
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
              if (code !== 0) reject(new Error(`analysis worker exited with code ${code}`));
            });
            send();
          }),
      ),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return scans;
}

import { parentPort } from 'node:worker_threads';
import { detectors } from '../detectors/index.js';
import { type FileScan, scanFile } from './file-scan.js';
import type { ProjectFile } from './types.js';

/** A batch of source files to scan, and where the first one sits in the project's list. */
export interface ScanRequest {
  start: number;
  files: ProjectFile[];
}

export interface ScanResponse {
  start: number;
  scans?: FileScan[];
  error?: string;
}

// Runs the file step of every detector on batches the main thread sends (see analyze-pool.ts).
parentPort?.on('message', (req: ScanRequest) => {
  try {
    const scans = req.files.map((f) => scanFile(f, detectors));
    parentPort?.postMessage({ start: req.start, scans } satisfies ScanResponse);
  } catch (err) {
    const error = err instanceof Error ? (err.stack ?? err.message) : String(err);
    parentPort?.postMessage({ start: req.start, error } satisfies ScanResponse);
  }
});

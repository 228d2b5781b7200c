import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ScanRequest, ScanResponse } from './analyze-worker.js';
import type { FileScan } from './file-scan.js';
import { isScannedSourcePath } from './roles.js';
import { looksLarge } from './source-count-hint.js';
import type { ProjectFile } from './types.js';

/** Files per message: large enough to amortise messaging, small enough to balance the workers' load. */
const BATCH = 48;

/** Batches a worker may hold while the project is still being read (its own load then cannot be balanced). */
const FED_BATCHES_PER_WORKER = 3;

/**
 * Batches a worker holds while scanning. Two (the next one waiting in its queue) saved no measurable time
 * and raised the peak by 60–85 MB (5k and 20k files), so a worker asks for its next batch when done.
 */
const IN_FLIGHT_PER_WORKER = 1;

const MIN_BYTES_FOR_WORKERS = 1024 * 1024;

/**
 * Source files below which a pool is not started before the files are read: about a megabyte of the
 * benchmark's agent code (~2 KB a file), the size at which `workerCount` wants workers at all. Starting
 * early overlaps a worker's start-up with discovery's reads.
 */
const MIN_FILES_FOR_EARLY_START = 500;

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
 * load their modules while the main thread is still reading the files; files can be fed to them as they are
 * read (`feed`), then `scan` hands out the rest and collects every scan.
 */
export class ScanPool {
  private readonly workers: Worker[];
  private closed = false;
  /** Files read but not sent yet. */
  private pending: ProjectFile[] = [];
  /** Batches sent and not answered, by id; and how many each worker holds. */
  private readonly batches = new Map<number, ProjectFile[]>();
  private readonly held = new Map<Worker, number>();
  private nextBatch = 0;
  private readonly results = new Map<string, FileScan>();
  private failure: Error | undefined;
  /** While `scan` waits: the files it needs, and how to settle it. */
  private waiting:
    | { files: readonly ProjectFile[]; resolve: (scans: FileScan[]) => void; reject: (e: Error) => void }
    | undefined;

  private constructor(threads: number) {
    const url = new URL('./analyze-worker.js', import.meta.url);
    this.workers = Array.from({ length: threads }, () => new Worker(url));
    for (const worker of this.workers) {
      this.held.set(worker, 0);
      worker.on('message', (res: ScanResponse) => this.onReply(worker, res));
      worker.on('error', (err) => this.fail(err));
      worker.on('messageerror', (err) => this.fail(err));
      // Any exit before the pool is closed loses that worker's batches.
      worker.on('exit', (code) => {
        if (!this.closed) this.fail(new Error(`analysis worker exited with code ${code}`));
      });
    }
  }

  static start(threads: number): ScanPool | undefined {
    return threads > 0 ? new ScanPool(threads) : undefined;
  }

  /**
   * A pool for a folder not yet walked that looks large enough to need one (`looksLarge`), so the workers
   * load beside the audit's own modules. Give it to the audit, which keeps it or closes it once it has
   * walked the folder (`forSourceCount`); close it if the audit is not reached.
   */
  static forFolder(root: string): ScanPool | undefined {
    const forced = forcedThreads();
    if (forced !== undefined) return ScanPool.start(forced);
    return looksLarge(root, MIN_FILES_FOR_EARLY_START) ? ScanPool.start(threadsForCores()) : undefined;
  }

  /**
   * A pool for a project walked but not yet read, or none when its source files are too few to need one.
   * A pool `started` earlier (`forFolder`) is kept when it is wanted and closed when it is not.
   */
  static forSourceCount(sourceFiles: number, started?: ScanPool): ScanPool | undefined {
    const forced = forcedThreads();
    const wanted = forced !== undefined || sourceFiles >= MIN_FILES_FOR_EARLY_START;
    if (started) {
      if (wanted) return started;
      started.close();
      return undefined;
    }
    if (!wanted) return undefined;
    return ScanPool.start(forced ?? threadsForCores());
  }

  get size(): number {
    return this.workers.length;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /**
   * A source file just read, to scan before the rest of the project is read. Full batches go out at once,
   * up to a few per worker, so the workers are busy while the main thread reads and the rest is still
   * handed out as workers free up.
   */
  feed(file: ProjectFile): void {
    if (this.closed) return;
    this.pending.push(file);
    if (this.pending.length >= BATCH) this.dispatch(FED_BATCHES_PER_WORKER, false);
  }

  /**
   * Scans files (those fed earlier are not sent again) and returns the scans in the files' order. The pool
   * is closed afterwards, whatever happens.
   */
  async scan(files: readonly ProjectFile[]): Promise<FileScan[]> {
    try {
      const fed = new Set<string>();
      for (const b of this.batches.values()) for (const f of b) fed.add(f.path);
      for (const f of this.pending) fed.add(f.path);
      for (const path of this.results.keys()) fed.add(path);
      for (const f of files) if (!fed.has(f.path)) this.pending.push(f);
      return await new Promise<FileScan[]>((resolve, reject) => {
        this.waiting = { files, resolve, reject };
        if (this.failure) return reject(this.failure);
        if (this.closed) return reject(new Error('analysis pool used after it was closed'));
        this.dispatch(IN_FLIGHT_PER_WORKER, true);
        this.settleIfDone();
      });
    } finally {
      this.waiting = undefined;
      this.close();
    }
  }

  /**
   * Stops the workers without waiting for them: a worker still frees the trees of its last files as it
   * shuts down, and that can run on another core while the main thread goes on with the project steps.
   */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    // The scans are the caller's now: the pool may stay reachable until the audit ends.
    this.results.clear();
    this.batches.clear();
    this.pending = [];
    for (const w of this.workers) w.terminate().catch(() => undefined);
  }

  /** Sends batches to workers holding fewer than `perWorker`; partial batches only once scanning. */
  private dispatch(perWorker: number, scanning: boolean): void {
    for (const worker of this.workers) {
      while ((this.held.get(worker) ?? 0) < perWorker && this.pending.length > 0) {
        if (!scanning && this.pending.length < BATCH) return;
        // Batches shrink towards the end so that the workers finish together.
        const size = scanning
          ? Math.max(4, Math.min(BATCH, Math.ceil(this.pending.length / (2 * this.workers.length))))
          : BATCH;
        const files = this.pending.splice(0, size);
        const id = this.nextBatch++;
        this.batches.set(id, files);
        this.held.set(worker, (this.held.get(worker) ?? 0) + 1);
        worker.postMessage({ start: id, files } satisfies ScanRequest);
      }
    }
  }

  private onReply(worker: Worker, res: ScanResponse): void {
    const files = this.batches.get(res.start);
    if (res.error || !res.scans || !files) {
      this.fail(new Error(`analysis worker failed: ${res.error}`));
      return;
    }
    this.batches.delete(res.start);
    this.held.set(worker, (this.held.get(worker) ?? 1) - 1);
    res.scans.forEach((scan, i) => {
      const file = files[i];
      if (file) this.results.set(file.path, scan);
    });
    if (this.waiting) this.dispatch(IN_FLIGHT_PER_WORKER, true);
    else this.dispatch(FED_BATCHES_PER_WORKER, false);
    this.settleIfDone();
  }

  private settleIfDone(): void {
    const w = this.waiting;
    if (!w || this.pending.length > 0 || this.batches.size > 0) return;
    const scans: FileScan[] = [];
    for (const f of w.files) {
      const scan = this.results.get(f.path);
      if (!scan) {
        w.reject(new Error(`analysis worker returned no scan for ${f.path}`));
        return;
      }
      scans.push(scan);
    }
    w.resolve(scans);
  }

  private fail(err: Error): void {
    this.failure ??= err;
    this.waiting?.reject(this.failure);
  }
}

/**
 * Starts the workers for a project whose files are listed but not yet read, when it has enough source
 * files to need them, so their start-up overlaps the reads; or keeps those `started` before the walk, or
 * closes them when the project turned out small. Give the pool to `analyzeAsync`.
 */
export function earlyPool(paths: readonly string[], started?: ScanPool): ScanPool | undefined {
  let sources = 0;
  // Counting stops at the threshold: a path's role takes a few regexes, and large projects list thousands.
  for (const path of paths) if (isScannedSourcePath(path) && ++sources >= MIN_FILES_FOR_EARLY_START) break;
  return ScanPool.forSourceCount(sources, started);
}

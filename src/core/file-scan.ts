import type { SgNode } from '@ast-grep/napi';
import type { Detector, FileContext } from '../detectors/types.js';
import { type ImportBinding, importsOf } from './imports.js';
import { lineOf, type ParsedSource, parseSource } from './parse-source.js';
import type { Fact, FactValue, Inventory, ProjectFile } from './types.js';

/** What one detector's file step left for one file: its facts, inventory entries and summary. */
export interface DetectorFileOutput {
  facts: Fact[];
  inventory?: Inventory;
  summary?: unknown;
}

/** Everything the analysis keeps of one source file once its tree is gone. Plain data: it crosses threads. */
export interface FileScan {
  path: string;
  syntaxErrors: number;
  imports: ImportBinding[];
  /** By detector index; undefined when a detector has no file step or it found nothing. */
  outputs: (DetectorFileOutput | undefined)[];
  /** Detectors that failed on this file (their output for it is dropped; the audit goes on). */
  failures?: DetectorFailure[];
}

export interface DetectorFailure {
  detector: string;
  message: string;
}

/**
 * A detector bug on one odd file must not cost the user the whole audit: the failure is reported as a
 * skip of that file for that detector. PLUMBLINE_DEBUG=1 lets it through with its stack instead.
 */
export function containFailure(detector: string, err: unknown): DetectorFailure {
  if (process.env.PLUMBLINE_DEBUG) throw err;
  return { detector, message: (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '' };
}

export const emptyInventory = (): Inventory => ({ tools: [], permissionSources: [], stores: [] });

const inventoryIsEmpty = (inv: Inventory) =>
  inv.tools.length === 0 && inv.permissionSources.length === 0 && inv.stores.length === 0;

/** Builds a fact the way every detector step records one. */
export function makeFact(
  detector: string,
  kind: string,
  file: ProjectFile,
  node: SgNode | number,
  data: Record<string, FactValue>,
): Fact {
  const line = typeof node === 'number' ? node : lineOf(node);
  return { kind, file: file.path, line, role: file.role, detector, data };
}

/**
 * Parses one source file and runs every detector's file step on it. The tree is not returned, so it can be
 * freed as soon as this returns; the same function serves the main thread and the worker threads.
 */
export function scanFile(file: ProjectFile, detectors: readonly Detector[]): FileScan {
  const src: ParsedSource = parseSource(file);
  const imports = importsOf(src);
  const outputs: (DetectorFileOutput | undefined)[] = [];
  const failures: DetectorFailure[] = [];
  for (const d of detectors) {
    if (!d.file) {
      outputs.push(undefined);
      continue;
    }
    const facts: Fact[] = [];
    const inventory = emptyInventory();
    const ctx: FileContext = {
      src,
      inventory,
      imports: () => imports,
      emit: (kind, f, node, data = {}) => {
        facts.push(makeFact(d.id, kind, f, node, data));
      },
    };
    let summary: unknown;
    try {
      summary = d.file(ctx);
    } catch (err) {
      failures.push(containFailure(d.id, err));
      outputs.push(undefined);
      continue;
    }
    const empty = facts.length === 0 && inventoryIsEmpty(inventory) && summary === undefined;
    outputs.push(
      empty
        ? undefined
        : {
            facts,
            ...(inventoryIsEmpty(inventory) ? {} : { inventory }),
            ...(summary === undefined ? {} : { summary }),
          },
    );
  }
  const scan: FileScan = { path: file.path, syntaxErrors: src.syntaxErrors, imports, outputs };
  if (failures.length > 0) scan.failures = failures;
  return scan;
}

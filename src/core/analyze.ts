import { detectors as allDetectors } from '../detectors/index.js';
import type { Detector, EmitContext, ProjectContext } from '../detectors/types.js';
import { ScanPool, workerCount } from './analyze-pool.js';
import {
  containFailure,
  type DetectorFailure,
  emptyInventory,
  type FileScan,
  makeFact,
  scanFile,
} from './file-scan.js';
import type { ImportBinding } from './imports.js';
import { type ParsedConfig, parseConfigText } from './parse-config.js';
import { type ParsedSource, parseSource } from './parse-source.js';
import { assertPlainData } from './plain-data.js';
import type { Project } from './project.js';
import { isScannedSource } from './roles.js';
import {
  type Fact,
  type FrameworkInfo,
  type Inventory,
  NEVER_EVIDENCE_ROLES,
  type ProjectFile,
  type SkippedFile,
} from './types.js';

export interface Analysis {
  facts: Fact[];
  inventory: Inventory;
  frameworks: FrameworkInfo[];
  languages: string[];
  /** Source files that were parsed (evidence-capable ones). */
  parsedSources: number;
  /** Files we had to skip or could only partly analyse, discovery's and the parser's. */
  skipped: SkippedFile[];
}

const canBeEvidence = (f: ProjectFile) => !NEVER_EVIDENCE_ROLES.includes(f.role);

/** Files scanned on the main thread between two turns of the event loop in `analyzeAsync`. */
const SCAN_BATCH = 100;

/**
 * Runs every detector over the project on the main thread. Pure: reads only what discovery already loaded.
 * For callers that look at one small project; `analyzeAsync` gives the same result, on worker threads
 * when the project is large.
 */
export function analyze(project: Project, detectors: readonly Detector[] = allDetectors): Analysis {
  const run = new AnalysisRun(project, detectors);
  const scans = run.sourceFiles.map((f) => run.checkedScan(f));
  return run.finish(scans);
}

/**
 * Same result as `analyze`. The file step runs on worker threads for large projects (only with the built-in
 * detectors, which the workers load themselves); otherwise on the main thread in batches, turning the
 * event loop between them so ast-grep can free the native memory of trees already scanned. `pool` is one
 * started early by `earlyPool`; it is used if the project needs workers and closed either way.
 */
export async function analyzeAsync(
  project: Project,
  detectors: readonly Detector[] = allDetectors,
  pool?: ScanPool,
): Promise<Analysis> {
  const run = new AnalysisRun(project, detectors);
  const threads = detectors === allDetectors ? workerCount(run.sourceFiles) : 0;
  let scans: FileScan[];
  if (threads > 0) {
    const workers = pool ?? (ScanPool.start(threads) as ScanPool);
    const scanning = workers.scan(run.sourceFiles);
    // The main thread would only wait: parse the configs meanwhile.
    run.prepare();
    scans = await scanning;
  } else {
    pool?.close();
    scans = [];
    for (let i = 0; i < run.sourceFiles.length; i += SCAN_BATCH) {
      for (const f of run.sourceFiles.slice(i, i + SCAN_BATCH)) scans.push(run.checkedScan(f));
      await turnEventLoop();
    }
  }
  return run.finish(scans);
}

const detectorSkip = (path: string, f: DetectorFailure): SkippedFile => ({
  path,
  reason: 'detector-error',
  detail: `${f.detector} detector failed (${f.message}); its findings here are missing — please report it`,
});

const turnEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

const appendInventory = (into: Inventory, from: Inventory) => {
  into.tools.push(...from.tools);
  into.permissionSources.push(...from.permissionSources);
  into.stores.push(...from.stores);
};

/** One analysis: the file step's scans are merged, then each detector's project step follows. */
class AnalysisRun {
  readonly sourceFiles: ProjectFile[];
  private readonly skipped: SkippedFile[];
  private readonly frameworks = new Map<string, FrameworkInfo>();
  private readonly importsByPath = new Map<string, readonly ImportBinding[]>();
  private configs: ParsedConfig[] | undefined;
  private configByPath: Map<string, ParsedConfig> | undefined;
  private sourceByPath: Map<string, ProjectFile> | undefined;

  constructor(
    private readonly project: Project,
    private readonly detectors: readonly Detector[],
  ) {
    this.skipped = [...project.skipped];
    this.sourceFiles = project.files.filter(isScannedSource);
  }

  /** Main-thread scan, with the check that keeps summaries fit to cross a thread. */
  checkedScan(file: ProjectFile): FileScan {
    const scan = scanFile(file, this.detectors);
    scan.outputs.forEach((o, i) => {
      if (o?.summary !== undefined)
        assertPlainData(o.summary, `detector ${this.detectors[i]?.id} summary of ${file.path}`);
    });
    return scan;
  }

  /** Work that does not need the scans: done while workers scan. */
  prepare(): void {
    this.getConfigs();
  }

  finish(scans: readonly FileScan[]): Analysis {
    this.prepare();
    for (const s of scans) {
      this.importsByPath.set(s.path, s.imports);
      if (s.syntaxErrors > 0)
        this.skipped.push({
          path: s.path,
          reason: 'syntax-errors',
          detail: `${s.syntaxErrors} syntax error(s); analysed what parsed`,
        });
      for (const f of s.failures ?? []) this.skipped.push(detectorSkip(s.path, f));
    }
    const facts: Fact[] = [];
    const inventory = emptyInventory();
    this.detectors.forEach((d, i) => {
      const summaries = new Map<string, unknown>();
      for (const s of scans) {
        const out = s.outputs[i];
        if (!out) continue;
        facts.push(...out.facts);
        if (out.inventory) appendInventory(inventory, out.inventory);
        if (out.summary !== undefined) summaries.set(s.path, out.summary);
      }
      const emit: EmitContext['emit'] = (kind, file, node, data = {}) => {
        facts.push(makeFact(d.id, kind, file, node, data));
      };
      try {
        d.project?.(this.projectContext(emit, inventory), summaries);
      } catch (err) {
        this.skipped.push(detectorSkip('.', containFailure(d.id, err)));
      }
    });
    const languages = [
      ...new Set(this.sourceFiles.map((f) => (f.language === 'tsx' ? 'typescript' : f.language))),
    ].sort() as string[];
    return {
      facts,
      inventory,
      frameworks: [...this.frameworks.values()].sort((a, b) => a.id.localeCompare(b.id)),
      languages,
      parsedSources: this.sourceFiles.length,
      skipped: this.skipped,
    };
  }

  private projectContext(emit: EmitContext['emit'], inventory: Inventory): ProjectContext {
    const reparsed = new Map<string, ParsedSource | undefined>();
    this.sourceByPath ??= new Map(this.sourceFiles.map((f) => [f.path, f]));
    const byPath = this.sourceByPath;
    return {
      project: this.project,
      emit,
      inventory,
      frameworks: this.frameworks,
      sourceFiles: this.sourceFiles,
      configs: () => this.getConfigs(),
      config: (path) => {
        this.getConfigs();
        return this.configByPath?.get(path);
      },
      imports: (src) => this.importsAt(src.file.path),
      importsAt: (path) => this.importsAt(path),
      reparse: (path) => {
        if (!reparsed.has(path)) {
          const f = byPath.get(path);
          reparsed.set(path, f ? parseSource(f) : undefined);
        }
        return reparsed.get(path);
      },
    };
  }

  private importsAt(path: string): readonly ImportBinding[] {
    return this.importsByPath.get(path) ?? [];
  }

  private getConfigs(): ParsedConfig[] {
    if (!this.configs) {
      const configs: ParsedConfig[] = [];
      for (const f of this.project.files) {
        if (!f.configFormat || !canBeEvidence(f)) continue;
        const parsed = parseConfigText(f, f.configFormat);
        if (parsed.error)
          this.skipped.push({
            path: f.path,
            reason: 'parse-error',
            detail: `${parsed.error.line}:${parsed.error.column} ${parsed.error.message}`,
          });
        configs.push(parsed);
      }
      this.configs = configs;
      this.configByPath = new Map(configs.map((c) => [c.file.path, c]));
    }
    return this.configs;
  }
}

import type { SgNode } from '@ast-grep/napi';
import { detectors as allDetectors } from '../detectors/index.js';
import type { Detector, DetectorContext } from '../detectors/types.js';
import { type ImportBinding, importsOf } from './imports.js';
import { type ParsedConfig, parseConfigText } from './parse-config.js';
import { lineOf, type ParsedSource, parseSource } from './parse-source.js';
import type { Project } from './project.js';
import {
  type Fact,
  type FactValue,
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

/** Files parsed between two turns of the event loop in `analyzeAsync`. */
const PARSE_BATCH = 250;

/**
 * Runs every detector over the project. Pure: reads only what discovery already loaded. Synchronous, for
 * callers that look at one small project; `analyzeAsync` gives the same result with bounded memory.
 */
export function analyze(project: Project, detectors: readonly Detector[] = allDetectors): Analysis {
  const run = new AnalysisRun(project);
  for (const d of detectors) run.runDetector(d);
  return run.result();
}

/**
 * Same result as `analyze`, but lets the event loop turn between batches of parsed files and between
 * detectors: ast-grep frees the native memory behind dropped nodes only then, so a synchronous run over a
 * large project would hold every node any detector ever touched until it ends.
 */
export async function analyzeAsync(
  project: Project,
  detectors: readonly Detector[] = allDetectors,
): Promise<Analysis> {
  const run = new AnalysisRun(project);
  while (run.parseSome(PARSE_BATCH)) await turnEventLoop();
  for (const d of detectors) {
    run.runDetector(d);
    await turnEventLoop();
  }
  return run.result();
}

const turnEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The state of one analysis: parsed files, collected facts, the context detectors see. */
class AnalysisRun {
  private readonly facts: Fact[] = [];
  private readonly skipped: SkippedFile[];
  private readonly inventory: Inventory = { tools: [], permissionSources: [], stores: [] };
  private readonly frameworks = new Map<string, FrameworkInfo>();
  private readonly toParse: ProjectFile[];
  private readonly parsed: ParsedSource[] = [];
  /** Syntax-error entries of parsed files; they join `skipped` when a detector first asks for sources. */
  private readonly parseSkips: SkippedFile[] = [];
  private sources: ParsedSource[] | undefined;
  private configs: ParsedConfig[] | undefined;
  private configByPath: Map<string, ParsedConfig> | undefined;
  private readonly importCache = new WeakMap<ParsedSource, ImportBinding[]>();
  private currentDetector = '';
  private readonly ctx: DetectorContext;

  constructor(private readonly project: Project) {
    this.skipped = [...project.skipped];
    this.toParse = project.files.filter((f) => f.language && canBeEvidence(f));
    this.ctx = {
      project,
      sources: () => this.getSources(),
      configs: () => this.getConfigs(),
      config: (path) => {
        this.getConfigs();
        return this.configByPath?.get(path);
      },
      imports: (src) => {
        let v = this.importCache.get(src);
        if (!v) {
          v = importsOf(src);
          this.importCache.set(src, v);
        }
        return v;
      },
      emit: (
        kind: string,
        file: ProjectFile,
        node: SgNode | number,
        data: Record<string, FactValue> = {},
      ) => {
        const line = typeof node === 'number' ? node : lineOf(node);
        this.facts.push({
          kind,
          file: file.path,
          line,
          role: file.role,
          detector: this.currentDetector,
          data,
        });
      },
      inventory: this.inventory,
      frameworks: this.frameworks,
    };
  }

  /** Parses up to `n` more source files; false once every source file is parsed. */
  parseSome(n: number): boolean {
    const end = Math.min(this.parsed.length + n, this.toParse.length);
    for (let i = this.parsed.length; i < end; i++) {
      const f = this.toParse[i] as ProjectFile;
      const parsed = parseSource(f);
      if (parsed.syntaxErrors > 0)
        this.parseSkips.push({
          path: f.path,
          reason: 'syntax-errors',
          detail: `${parsed.syntaxErrors} syntax error(s); analysed what parsed`,
        });
      this.parsed.push(parsed);
    }
    return this.parsed.length < this.toParse.length;
  }

  runDetector(d: Detector): void {
    this.currentDetector = d.id;
    d.run(this.ctx);
  }

  result(): Analysis {
    const sources = this.getSources();
    const languages = [
      ...new Set(sources.map((s) => (s.language === 'tsx' ? 'typescript' : s.language))),
    ].sort();
    return {
      facts: this.facts,
      inventory: this.inventory,
      frameworks: [...this.frameworks.values()].sort((a, b) => a.id.localeCompare(b.id)),
      languages,
      parsedSources: sources.length,
      skipped: this.skipped,
    };
  }

  private getSources(): ParsedSource[] {
    if (!this.sources) {
      this.parseSome(this.toParse.length);
      this.skipped.push(...this.parseSkips);
      this.sources = this.parsed;
    }
    return this.sources;
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

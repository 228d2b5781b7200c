import { readFileSync, statSync } from 'node:fs';
import { basename, isAbsolute, relative, resolve, sep } from 'node:path';
import {
  checkConfigAgainstRubrics,
  type LoadedConfig,
  loadConfigFile,
  loadProjectConfig,
} from '../config/load.js';
import type { LlmOptions } from '../llm/review.js';
import { loadRubrics } from '../rubrics/load.js';
import type { PhaseId, Severity } from '../rubrics/schema.js';
import type { Analysis } from './analyze.js';
import { earlyPool, type ScanPool } from './analyze-pool.js';
import { indexFacts } from './conditions.js';
import { discover } from './discover.js';
import { UsageError } from './errors.js';
import { withExcerpts } from './excerpt.js';
import type { Project } from './project.js';
import type { Report } from './report.js';
import { isScannedSource } from './roles.js';
import { score } from './score.js';

export interface AuditOptions {
  /** Target phase; overrides the config's `phase`. */
  phase?: PhaseId;
  /** Overall score threshold (0–10); overrides the config's `failUnder`. */
  failUnder?: number;
  /** Severity threshold; overrides the config's `failOn`. */
  failOn?: Severity;
  /** A config file to use instead of looking for one in the target. */
  configPath?: string;
  /** Extra rubric packs, relative to the working directory; added to the config's. */
  rubricPaths?: string[];
  /** Overrides the config's `maxFileSize`. */
  maxFileBytes?: number;
  /** The moment waivers are judged against (tests pin it). */
  now?: Date;
  /** Base for the report's relative target path; the process's working directory by default. */
  cwd?: string;
  /** Folder of the core rubrics (tests; embedding with a custom standard). Defaults to the package's. */
  coreRubricDir?: string;
  /** Also grade the criteria that need judgement with a model (`--llm`); loaded only when given. */
  llm?: LlmOptions;
  /**
   * Analysis workers the caller started before the audit's modules loaded (`ScanPool.forFolder`). The
   * audit keeps or closes them once it has walked the folder; the caller closes them if it throws earlier.
   */
  pool?: ScanPool;
}

let version: string | undefined;
/** plumbline's own version, from the package.json two levels above this module (src/ or dist/). */
function toolVersion(): string {
  if (version === undefined) {
    try {
      const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
        version?: string;
      };
      version = pkg.version ?? '0.0.0';
    } catch {
      version = '0.0.0';
    }
  }
  return version;
}

const MANIFESTS = ['package.json', 'pyproject.toml', 'setup.py', 'requirements.txt'];

/** Where a finding about something missing points: the root manifest, else the first source file. */
function fallbackLocation(project: Project): { file: string; line: number } {
  const paths = new Set(project.files.map((f) => f.path));
  const manifest = MANIFESTS.find((m) => paths.has(m));
  if (manifest) return { file: manifest, line: 1 };
  const source = project.files.find((f) => f.role === 'source' && f.language) ?? project.files[0];
  return { file: source?.path ?? '.', line: 1 };
}

/**
 * Audits one project folder: config → discovery → detectors → rubric evaluation → report. Never prints;
 * bad arguments, configs and rubrics throw UsageError.
 */
export async function audit(targetPath: string, options: AuditOptions = {}): Promise<Report> {
  const cwd = options.cwd ?? process.cwd();
  const root = resolve(cwd, targetPath);
  let isDir = false;
  try {
    isDir = statSync(root).isDirectory();
  } catch {
    throw new UsageError(`no such folder: ${targetPath}`, {
      hint: 'pass the folder of the agent project to audit',
    });
  }
  if (!isDir)
    throw new UsageError(`not a folder: ${targetPath}`, {
      hint: 'pass the folder of the agent project, not a file',
    });

  const loaded: LoadedConfig = options.configPath
    ? loadConfigFile(resolve(cwd, options.configPath))
    : loadProjectConfig(root);
  const packs = [...loaded.rubricPaths, ...(options.rubricPaths ?? []).map((p) => resolve(cwd, p))];
  const rubrics = loadRubrics(packs, options.coreRubricDir);
  checkConfigAgainstRubrics(loaded, rubrics);
  const { config } = loaded;

  // The detectors load once the files are read, while the first ones are being scanned on the workers: they
  // are not needed before, and loading them first would delay the walk of a large project.
  const analysisModule = import('./analyze.js');
  const early: { pool?: ScanPool } = {};
  let project: Awaited<ReturnType<typeof discover>>;
  let analysis: Analysis;
  try {
    project = await discover(root, {
      maxFileBytes: options.maxFileBytes ?? loaded.maxFileBytes,
      ignore: config.ignore,
      onWalked: (paths) => {
        early.pool = earlyPool(paths, options.pool);
      },
      // Workers start on the first files while the rest are read.
      onRead: (file) => {
        if (early.pool && isScannedSource(file)) early.pool.feed(file);
      },
    });
    const { analyzeAsync } = await analysisModule;
    analysis = await analyzeAsync(project, undefined, early.pool);
  } finally {
    // Closed by the analysis already unless discovery threw.
    early.pool?.close();
  }
  const fallback = fallbackLocation(project);

  const judged = score({
    rubrics,
    facts: indexFacts(analysis.facts),
    parsedSources: analysis.parsedSources,
    config,
    fallback,
    gate: {
      phase: options.phase ?? config.phase,
      failUnder: options.failUnder ?? config.failUnder,
      failOn: options.failOn ?? config.failOn,
    },
    now: options.now,
  });

  const report: Report = {
    schemaVersion: 1,
    tool: { name: 'plumbline', version: toolVersion() },
    target: {
      path: displayTarget(root, cwd),
      languages: analysis.languages,
      frameworks: analysis.frameworks.map((f) => f.id),
      files: project.files.length,
      sourceFiles: analysis.parsedSources,
    },
    maturity: judged.maturity,
    ...(judged.targetPhase ? { targetPhase: judged.targetPhase } : {}),
    phases: judged.phases,
    primitives: judged.primitives,
    findings: withExcerpts(judged.findings, textLookup(project), fallback),
    nextSteps: judged.nextSteps,
    warnings: judged.warnings,
    inventory: {
      tools: analysis.inventory.tools.map((t) => ({
        name: t.name,
        ...(t.description !== undefined ? { description: t.description } : {}),
        file: t.file,
        line: t.line,
        framework: t.framework,
        schema: t.schema,
        parameters: t.parameters,
        capabilities: t.capabilities,
        role: t.role,
      })),
      permissionSources: analysis.inventory.permissionSources.map((p) => ({
        kind: p.kind,
        file: p.file,
        line: p.line,
        ...(p.rules ? { rules: p.rules } : {}),
        ...(p.defaultMode !== undefined ? { defaultMode: p.defaultMode } : {}),
        ...(p.detail !== undefined ? { detail: p.detail } : {}),
      })),
      stores: analysis.inventory.stores.map((s) => ({
        kind: s.kind,
        file: s.file,
        line: s.line,
        discipline: s.discipline,
      })),
    },
    skipped: analysis.skipped.map((s) => ({
      path: s.path,
      reason: s.reason,
      ...(s.detail ? { detail: s.detail } : {}),
    })),
    gate: judged.gate,
  };
  if (!options.llm) return report;
  const [{ llmReview }, { mergeLlmReview }] = await Promise.all([
    import('../llm/review.js'),
    import('../llm/merge.js'),
  ]);
  const review = await llmReview(
    { root, files: project.files, facts: analysis.facts, inventory: analysis.inventory },
    options.llm,
  );
  return mergeLlmReview(report, review, {
    failOn: options.failOn ?? config.failOn,
    textOf: textLookup(project),
    anchor: fallback,
  });
}

/** The text of a project file by its report path; undefined for paths outside the project. */
function textLookup(project: Project): (path: string) => string | undefined {
  const byPath = new Map(project.files.map((f) => [f.path, f.text]));
  return (path) => byPath.get(path);
}

/** The target relative to the working directory (`..` when outside it) — never an absolute path. */
function displayTarget(root: string, cwd: string): string {
  const rel = relative(cwd, root);
  // Another drive (Windows) has no relative path; its folder name is the most we show.
  if (isAbsolute(rel)) return basename(root);
  return rel.split(sep).join('/') || '.';
}

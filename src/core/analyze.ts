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

/** Runs every detector over the project. Pure: reads only what discovery already loaded. */
export function analyze(project: Project, detectors: readonly Detector[] = allDetectors): Analysis {
  const facts: Fact[] = [];
  const skipped: SkippedFile[] = [...project.skipped];
  const inventory: Inventory = { tools: [], permissionSources: [], stores: [] };
  const frameworks = new Map<string, FrameworkInfo>();

  let sources: ParsedSource[] | undefined;
  let configs: ParsedConfig[] | undefined;
  let configByPath: Map<string, ParsedConfig> | undefined;
  const importCache = new WeakMap<ParsedSource, ImportBinding[]>();

  const getSources = () => {
    if (!sources) {
      sources = [];
      for (const f of project.files) {
        if (!f.language || !canBeEvidence(f)) continue;
        const parsed = parseSource(f);
        if (parsed.syntaxErrors > 0)
          skipped.push({
            path: f.path,
            reason: 'syntax-errors',
            detail: `${parsed.syntaxErrors} syntax error(s); analysed what parsed`,
          });
        sources.push(parsed);
      }
    }
    return sources;
  };
  const getConfigs = () => {
    if (!configs) {
      configs = [];
      for (const f of project.files) {
        if (!f.configFormat || !canBeEvidence(f)) continue;
        const parsed = parseConfigText(f, f.configFormat);
        if (parsed.error)
          skipped.push({
            path: f.path,
            reason: 'parse-error',
            detail: `${parsed.error.line}:${parsed.error.column} ${parsed.error.message}`,
          });
        configs.push(parsed);
      }
      configByPath = new Map(configs.map((c) => [c.file.path, c]));
    }
    return configs;
  };

  const ctx: DetectorContext = {
    project,
    sources: getSources,
    configs: getConfigs,
    config: (path) => {
      getConfigs();
      return configByPath?.get(path);
    },
    imports: (src) => {
      let v = importCache.get(src);
      if (!v) {
        v = importsOf(src);
        importCache.set(src, v);
      }
      return v;
    },
    emit: (kind: string, file: ProjectFile, node: SgNode | number, data: Record<string, FactValue> = {}) => {
      const line = typeof node === 'number' ? node : lineOf(node);
      facts.push({ kind, file: file.path, line, role: file.role, detector: currentDetector, data });
    },
    inventory,
    frameworks,
  };

  let currentDetector = '';
  for (const d of detectors) {
    currentDetector = d.id;
    d.run(ctx);
  }
  const languages = [...new Set(getSources().map((s) => (s.language === 'tsx' ? 'typescript' : s.language)))].sort();
  return {
    facts,
    inventory,
    frameworks: [...frameworks.values()].sort((a, b) => a.id.localeCompare(b.id)),
    languages,
    parsedSources: getSources().length,
    skipped,
  };
}

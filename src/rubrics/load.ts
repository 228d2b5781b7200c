import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { closest } from '../core/did-you-mean.js';
import { displayPath } from '../core/display-path.js';
import { UsageError } from '../core/errors.js';
import { type LocatedDocument, parseYamlDocument } from '../core/source-map.js';
import { type FileIssue, inFile, issuesError, syntaxError, validateLocated } from '../core/zod-errors.js';
import { COMPILED_VERSION, type CompiledRubrics, hashSources, readCompiled } from './compiled.js';
import {
  type Criterion,
  PHASES,
  type PhaseId,
  PRIMITIVES,
  type PrimitiveId,
  type PrimitiveRubric,
  PrimitiveRubricSchema,
  RubricPackFileSchema,
} from './schema.js';

/** The phase of each core primitive, as DESIGN.md fixes it. */
export const CORE_PHASE: Record<PrimitiveId, PhaseId> = {
  'tool-registry': 'day-one',
  permissions: 'day-one',
  'session-persistence': 'day-one',
  'workflow-state': 'day-one',
  'token-budget': 'week-one',
  'streaming-events': 'week-one',
  'event-logging': 'week-one',
  verification: 'week-one',
  'tool-pool': 'month-one',
  compaction: 'month-one',
  'shell-security': 'month-one',
  'sub-agents': 'month-one',
};

export interface CriterionEntry {
  criterion: Criterion;
  primitive: PrimitiveRubric;
  /** Display path of the file that defines it. */
  file: string;
}

/** Every primitive with its criteria (core plus extension packs), in phase order. */
export interface RubricSet {
  primitives: PrimitiveRubric[];
  primitive: Map<string, PrimitiveRubric>;
  criteria: Map<string, CriterionEntry>;
}

type PackFile = { pack: string; extends: { primitive: string; criteria: Criterion[] }[] };

/** One parsed rubric file. `doc` locates cross-file errors; in-memory entries (tests) go without. */
export interface RubricSource {
  file: string;
  value: PrimitiveRubric | PackFile;
  doc?: LocatedDocument;
}

/** `rubrics/core` of the installed package: two levels above both src/rubrics/load.ts and dist/rubrics/load.js. */
export function coreRubricDir(): string {
  return fileURLToPath(new URL('../../rubrics/core', import.meta.url));
}

function yamlFilesIn(dir: string): string[] {
  return readdirSync(dir)
    .filter((n) => n.endsWith('.yaml') || n.endsWith('.yml'))
    .sort()
    .map((n) => join(dir, n));
}

function readText(abs: string): string {
  try {
    return readFileSync(abs, 'utf8');
  } catch (e) {
    throw new UsageError(
      `cannot read rubric file ${displayPath(abs)}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`,
      {
        file: displayPath(abs),
        hint: 'check the path in "rubrics" of plumbline.config or --rubric',
      },
    );
  }
}

function parseRubricText(abs: string, text: string, core: boolean): RubricSource {
  const file = displayPath(abs);
  const parsed = parseYamlDocument(text);
  if (!parsed.ok) throw syntaxError(file, parsed.error, 'YAML');
  const checked = validateLocated(core ? PrimitiveRubricSchema : RubricPackFileSchema, parsed.doc);
  if (!checked.ok) throw issuesError(inFile(file, checked.issues));
  return { file, value: checked.value as PrimitiveRubric | PackFile, doc: parsed.doc };
}

const at = (src: RubricSource, path: (string | number)[], key = false) =>
  src.doc?.positionOf(path, key) ?? { line: 1, col: 1 };

const isPack = (v: PrimitiveRubric | PackFile): v is PackFile => 'pack' in v;

/**
 * Merges rubric files into one set and checks what a single file cannot: with `core`, each of the twelve
 * primitives exactly once and in its DESIGN.md phase; always, criterion ids unique and prefixed by their
 * primitive's id, and extension packs only extending primitives that exist.
 */
export function buildRubricSet(sources: readonly RubricSource[], options: { core: boolean }): RubricSet {
  const issues: FileIssue[] = [];
  const primitive = new Map<string, PrimitiveRubric>();
  const origin = new Map<string, RubricSource>();
  const criteria = new Map<string, CriterionEntry>();

  const addCriteria = (
    src: RubricSource,
    prim: PrimitiveRubric,
    list: Criterion[],
    base: (string | number)[],
  ) => {
    list.forEach((c, i) => {
      const pos = at(src, [...base, i, 'id']);
      if (!c.id.startsWith(`${prim.id}.`)) {
        issues.push({
          file: src.file,
          ...pos,
          message: `criterion "${c.id}" must start with its primitive's id "${prim.id}."`,
          hint: `rename it to "${prim.id}.${c.id.slice(c.id.indexOf('.') + 1)}"`,
        });
        return;
      }
      const prev = criteria.get(c.id);
      if (prev) {
        issues.push({
          file: src.file,
          ...pos,
          message: `criterion id "${c.id}" is already defined in ${prev.file}`,
          hint: 'criterion ids must be unique across all rubric packs',
        });
        return;
      }
      criteria.set(c.id, { criterion: c, primitive: prim, file: src.file });
    });
  };

  for (const src of sources) {
    if (isPack(src.value)) continue;
    const rubric = src.value;
    const prev = origin.get(rubric.id);
    if (prev) {
      issues.push({
        file: src.file,
        ...at(src, ['id']),
        message: `primitive "${rubric.id}" is defined twice: here and in ${prev.file}`,
        hint: 'keep one file per primitive; to add criteria to an existing primitive, use a pack with "extends"',
      });
      continue;
    }
    if (options.core) {
      const expected = CORE_PHASE[rubric.id as PrimitiveId];
      if (!expected) {
        const guess = closest(rubric.id, PRIMITIVES);
        issues.push({
          file: src.file,
          ...at(src, ['id']),
          message: `"${rubric.id}" is not one of the twelve core primitives`,
          hint: `${guess ? `did you mean "${guess}"? ` : ''}core primitives: ${PRIMITIVES.join(', ')}`,
        });
        continue;
      }
      if (rubric.phase !== expected)
        issues.push({
          file: src.file,
          ...at(src, ['phase']),
          message: `primitive "${rubric.id}" belongs to phase ${expected}, not ${rubric.phase}`,
          hint: `set "phase: ${expected}" (phases are fixed by DESIGN.md)`,
        });
    }
    const copy: PrimitiveRubric = { ...rubric, criteria: [...rubric.criteria] };
    primitive.set(rubric.id, copy);
    origin.set(rubric.id, src);
    addCriteria(src, copy, rubric.criteria, ['criteria']);
  }

  if (options.core) {
    const missing = PRIMITIVES.filter((id) => !primitive.has(id));
    if (missing.length > 0)
      issues.push({
        file: sources[0]?.file.replace(/[^/]*$/, '') || coreRubricDir(),
        line: 1,
        col: 1,
        message: `missing core rubric for ${missing.join(', ')}`,
        hint: 'each core primitive needs one rubrics/core/<primitive>.yaml',
      });
  }

  for (const src of sources) {
    if (!isPack(src.value)) continue;
    src.value.extends.forEach((ext, i) => {
      const prim = primitive.get(ext.primitive);
      if (!prim) {
        const guess = closest(ext.primitive, primitive.keys());
        issues.push({
          file: src.file,
          ...at(src, ['extends', i, 'primitive']),
          message: `pack "${(src.value as PackFile).pack}" extends unknown primitive "${ext.primitive}"`,
          hint: `${guess ? `did you mean "${guess}"? ` : ''}known primitives: ${[...primitive.keys()].join(', ')}`,
        });
        return;
      }
      prim.criteria.push(...ext.criteria);
      addCriteria(src, prim, ext.criteria, ['extends', i, 'criteria']);
    });
  }

  if (issues.length > 0) throw issuesError(issues);
  const order = (p: PrimitiveRubric) => {
    const core = PRIMITIVES.indexOf(p.id as PrimitiveId);
    return PHASES.indexOf(p.phase) * 100 + (core === -1 ? 50 : core);
  };
  return { primitives: [...primitive.values()].sort((a, b) => order(a) - order(b)), primitive, criteria };
}

const coreCache = new Map<string, RubricSource[]>();

function readCoreTexts(dir: string): { name: string; abs: string; text: string }[] {
  let files: string[];
  try {
    files = yamlFilesIn(dir);
  } catch {
    throw new UsageError(`core rubrics not found in ${displayPath(dir)}`, {
      hint: 'the plumbline installation is incomplete; reinstall the package',
    });
  }
  return files.map((abs) => ({ name: basename(abs), abs, text: readFileSync(abs, 'utf8') }));
}

function coreSources(dir: string): RubricSource[] {
  let cached = coreCache.get(dir);
  if (!cached) {
    const texts = readCoreTexts(dir);
    const compiled = readCompiled(dir, hashSources(texts));
    cached = compiled
      ? compiled.primitives.map((p) => ({ file: displayPath(join(dir, p.name)), value: p.rubric }))
      : texts.map((t) => parseRubricText(t.abs, t.text, true));
    coreCache.set(dir, cached);
  }
  return cached;
}

/**
 * The JSON the build stores next to the core YAML (see compiled.ts): parsed, validated, defaults filled.
 * Throws like `loadRubrics` when a file is invalid.
 */
export function compileCoreRubrics(dir: string = coreRubricDir()): CompiledRubrics {
  const texts = readCoreTexts(dir);
  const sources = texts.map((t) => parseRubricText(t.abs, t.text, true));
  buildRubricSet(sources, { core: true });
  return {
    version: COMPILED_VERSION,
    hash: hashSources(texts),
    primitives: sources.map((s, i) => ({ name: texts[i]!.name, rubric: s.value as PrimitiveRubric })),
  };
}

/** Rubric files of an extension pack: one YAML file, or every YAML file in a folder. */
function packSources(path: string): RubricSource[] {
  const abs = resolve(path);
  let isDir: boolean;
  try {
    isDir = statSync(abs).isDirectory();
  } catch {
    throw new UsageError(`rubric pack not found: ${displayPath(abs)}`, {
      hint: 'paths in "rubrics" are relative to the config file; --rubric paths to the working directory',
    });
  }
  return (isDir ? yamlFilesIn(abs) : [abs]).map((f) => parseRubricText(f, readText(f), false));
}

const setCache = new Map<string, RubricSet>();

/**
 * The core rubrics plus extension packs (absolute paths or relative to the working directory). Parsed
 * core files are cached per process; packs are read on each call.
 */
export function loadRubrics(packs: readonly string[] = [], coreDir: string = coreRubricDir()): RubricSet {
  if (packs.length === 0) {
    const hit = setCache.get(coreDir);
    if (hit) return hit;
  }
  const core = coreSources(coreDir);
  const coreSet = buildRubricSet(core, { core: true });
  if (packs.length === 0) {
    setCache.set(coreDir, coreSet);
    return coreSet;
  }
  const extra = packs.flatMap(packSources);
  // Core files were checked on their own above; here they are only the base the packs extend.
  return buildRubricSet([...core, ...extra], { core: false });
}

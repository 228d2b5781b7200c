import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { closest } from '../core/did-you-mean.js';
import { displayPath } from '../core/display-path.js';
import { UsageError } from '../core/errors.js';
import {
  type LocatedDocument,
  type PathKey,
  type Position,
  parseJsonDocument,
  parseYamlDocument,
  subDocument,
} from '../core/source-map.js';
import { type FileIssue, inFile, issuesError, syntaxError, validateLocated } from '../core/zod-errors.js';
import type { RubricSet } from '../rubrics/load.js';
import { type ProjectConfig, ProjectConfigSchema, parseSize } from './schema.js';

/** Where a project config may live, in the order they are looked for. */
export const CONFIG_FILES = [
  'plumbline.config.yaml',
  'plumbline.config.yml',
  'plumbline.config.json',
] as const;

export interface LoadedConfig {
  config: ProjectConfig;
  /** Absolute path of the file the config came from; undefined when there is none. */
  path?: string;
  /** How to name the config in messages: `plumbline.config.yaml`, `package.json#plumbline`. */
  display?: string;
  /** Extra rubric packs from the config, absolute. */
  rubricPaths: string[];
  /** `maxFileSize` in bytes. */
  maxFileBytes?: number;
  /** Position of a key path inside the config (1:1 when there is no file). */
  positionOf(path: readonly PathKey[], key?: boolean): Position;
}

const EMPTY: LoadedConfig = { config: {}, rubricPaths: [], positionOf: () => ({ line: 1, col: 1 }) };

function packageJsonSection(abs: string): boolean {
  try {
    const value = JSON.parse(readFileSync(abs, 'utf8')) as unknown;
    return typeof value === 'object' && value !== null && 'plumbline' in value;
  } catch {
    // A broken package.json is the audit's business, not the config loader's.
    return false;
  }
}

/** The config files present in `dir`, in lookup order (more than one is an error for the caller). */
export function findConfigFiles(dir: string): string[] {
  const found = CONFIG_FILES.map((n) => join(dir, n)).filter((p) => existsSync(p));
  const pkg = join(dir, 'package.json');
  if (existsSync(pkg) && packageJsonSection(pkg)) found.push(pkg);
  return found;
}

/** Reads and validates one config file (`package.json` means its `plumbline` section). */
export function loadConfigFile(path: string): LoadedConfig {
  const abs = resolve(path);
  const file = displayPath(abs);
  let text: string;
  try {
    text = readFileSync(abs, 'utf8').replace(/^\uFEFF/, '');
  } catch (e) {
    throw new UsageError(
      `cannot read config file ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`,
      {
        file,
        hint: 'check the --config path',
      },
    );
  }
  const isPackage = basename(abs) === 'package.json';
  const yaml = /\.ya?ml$/i.test(abs);
  const parsed = yaml ? parseYamlDocument(text) : parseJsonDocument(text);
  if (!parsed.ok) throw syntaxError(file, parsed.error, yaml ? 'YAML' : 'JSON');
  let doc: LocatedDocument = parsed.doc;
  if (isPackage) {
    doc = subDocument(doc, ['plumbline']);
    if (doc.value === undefined)
      throw new UsageError(`${file} has no "plumbline" section`, {
        file,
        hint: 'add "plumbline": { … } or use plumbline.config.yaml',
      });
  }
  // An empty YAML file is an empty config.
  if (doc.value === null || doc.value === undefined) doc = { value: {}, positionOf: doc.positionOf };
  const checked = validateLocated(ProjectConfigSchema, doc);
  if (!checked.ok) throw issuesError(inFile(file, checked.issues));
  const config = checked.value;
  const base = dirname(abs);
  return {
    config,
    path: abs,
    display: isPackage ? `${file}#plumbline` : file,
    rubricPaths: (config.rubrics ?? []).map((r) => resolve(base, r)),
    maxFileBytes: config.maxFileSize === undefined ? undefined : parseSize(config.maxFileSize),
    positionOf: doc.positionOf,
  };
}

/** The project config of `dir`, or an empty one. Two config files side by side is an error. */
export function loadProjectConfig(dir: string): LoadedConfig {
  const found = findConfigFiles(resolve(dir));
  if (found.length > 1) {
    const names = found.map((f) => displayPath(f));
    throw new UsageError(`two plumbline configs found: ${names[0]} and ${names[1]}`, {
      file: names[0],
      hint: `keep one of them and delete ${found.length > 2 ? 'the others' : 'the other'}`,
    });
  }
  const only = found[0];
  return only ? loadConfigFile(only) : EMPTY;
}

/** Checks the criterion ids the config names (overrides and waivers) against the loaded rubrics. */
export function checkConfigAgainstRubrics(loaded: LoadedConfig, rubrics: RubricSet): void {
  const ids = [...rubrics.criteria.keys()];
  const issues: FileIssue[] = [];
  const file = loaded.display ?? 'config';
  const unknown = (id: string, path: PathKey[], key: boolean) => {
    if (rubrics.criteria.has(id)) return;
    const guess = closest(id, ids);
    const prim = rubrics.primitive.get(id);
    issues.push({
      file,
      ...loaded.positionOf(path, key),
      message: `unknown criterion "${id}"`,
      hint: guess
        ? `did you mean "${guess}"?`
        : prim
          ? `"${id}" is a primitive; name one of its criteria, e.g. "${prim.criteria[0]?.id}"`
          : 'run `plumbline rubrics` to list primitives and `plumbline explain <primitive>` for their criteria',
    });
  };
  for (const id of Object.keys(loaded.config.criteria ?? {})) unknown(id, ['criteria', id], true);
  (loaded.config.waivers ?? []).forEach((w, i) => {
    unknown(w.criterion, ['waivers', i, 'criterion'], false);
  });
  if (issues.length > 0) throw issuesError(issues);
}

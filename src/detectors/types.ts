import type { SgNode } from '@ast-grep/napi';
import type { ImportBinding } from '../core/imports.js';
import type { ParsedConfig } from '../core/parse-config.js';
import type { ParsedSource } from '../core/parse-source.js';
import type { Project } from '../core/project.js';
import type { FactValue, FrameworkInfo, Inventory, ProjectFile } from '../core/types.js';

/**
 * What every detector step can do: record facts and inventory entries, and read import bindings. A detector
 * only reads what it is given; it never touches the disk or runs anything from the target.
 */
export interface EmitContext {
  /** Records a fact; `role` comes from the file. */
  emit(kind: string, file: ProjectFile, node: SgNode | number, data?: Record<string, FactValue>): void;
  inventory: Inventory;
  /** Import bindings of a source file, computed once per file. */
  imports(src: ParsedSource): readonly ImportBinding[];
}

/**
 * One source file during the file step. The tree lives only while the detectors' `file` steps run on it,
 * and the step may run on a worker thread: keep no node, and return only plain data.
 */
export interface FileContext extends EmitContext {
  src: ParsedSource;
}

/** The project step: runs once, after every file step, on the main thread, in detector order. */
export interface ProjectContext extends EmitContext {
  project: Project;
  /** Every parsed config file (JSON/JSONC/YAML/TOML) that can be evidence, parse failures included. */
  configs(): readonly ParsedConfig[];
  /** A config by its relative path, if present. */
  config(path: string): ParsedConfig | undefined;
  /** Frameworks found so far; the framework detector runs first so others can read it. */
  frameworks: Map<string, FrameworkInfo>;
  /** Every source file that was parsed and can be evidence, in project order (no trees). */
  sourceFiles: readonly ProjectFile[];
  /** Import bindings of a parsed source file by path, kept from the file step (no parsing). */
  importsAt(path: string): readonly ImportBinding[];
  /**
   * Parses a source file again, for cross-file work that needs another file's tree (a guard in an imported
   * module, a function defined elsewhere). Costs a parse: ask only for the few files a summary points to.
   */
  reparse(path: string): ParsedSource | undefined;
}

/**
 * A detector works in up to two steps. `file` sees one parsed source at a time (in project order) and
 * returns a plain-data summary of what the project step needs; `project` then sees every summary, keyed
 * by file path in project order, with configs and other project-wide data. Facts and inventory entries of
 * both steps are kept in that order: a detector's file-step facts (file by file), then its project-step ones.
 */
export interface Detector<S = unknown> {
  id: string;
  /** One line: which facts it produces, for AGENTS.md and `--verbose`. */
  description: string;
  file?(ctx: FileContext): S | undefined;
  project?(ctx: ProjectContext, summaries: ReadonlyMap<string, S>): void;
}

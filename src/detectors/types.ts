import type { SgNode } from '@ast-grep/napi';
import type { ImportBinding } from '../core/imports.js';
import type { ParsedConfig } from '../core/parse-config.js';
import type { ParsedSource } from '../core/parse-source.js';
import type { Project } from '../core/project.js';
import type { FactValue, FrameworkInfo, Inventory, ProjectFile } from '../core/types.js';

/**
 * What a detector sees. Sources are parsed once and shared by every detector; a detector only reads them
 * and reports facts and inventory entries — it never touches the disk or runs anything from the target.
 */
export interface DetectorContext {
  project: Project;
  /** Every parsed source file that can be evidence (fixtures, vendored and generated code are left out). */
  sources(): readonly ParsedSource[];
  /** Every parsed config file (JSON/JSONC/YAML/TOML) that can be evidence, parse failures included. */
  configs(): readonly ParsedConfig[];
  /** A config by its relative path, if present. */
  config(path: string): ParsedConfig | undefined;
  /** Import bindings of a source file, computed once. */
  imports(src: ParsedSource): readonly ImportBinding[];
  /** Records a fact; `role` comes from the file. */
  emit(kind: string, file: ProjectFile, node: SgNode | number, data?: Record<string, FactValue>): void;
  inventory: Inventory;
  /** Frameworks found so far; the framework detector runs first so others can read it. */
  frameworks: Map<string, FrameworkInfo>;
}

export interface Detector {
  id: string;
  /** One line: which facts it produces, for AGENTS.md and `--verbose`. */
  description: string;
  run(ctx: DetectorContext): void;
}

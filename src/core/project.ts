import type { ProjectFile, SkippedFile } from './types.js';

/** What discovery hands to analysis: every readable file under the target, classified, plus what was skipped. */
export interface Project {
  /** Absolute path of the audited folder. */
  root: string;
  files: ProjectFile[];
  skipped: SkippedFile[];
}

import type { Project } from '../../src/core/project.js';
import { configFormatOf, languageOf, roleOf } from '../../src/core/roles.js';
import type { ProjectFile } from '../../src/core/types.js';

const ROOT = '/virtual/project';

/** One in-memory file, classified exactly as discovery would classify it. */
export function fileFromText(path: string, text: string): ProjectFile {
  return {
    path,
    abs: `${ROOT}/${path}`,
    size: Buffer.byteLength(text, 'utf8'),
    role: roleOf(path),
    language: languageOf(path),
    configFormat: configFormatOf(path),
    text,
  };
}

/** A tiny in-memory Project for detector tests: keys are relative POSIX paths, values the file text. */
export function projectFromFiles(files: Record<string, string>): Project {
  return {
    root: ROOT,
    files: Object.entries(files).map(([path, text]) => fileFromText(path, text)),
    skipped: [],
  };
}

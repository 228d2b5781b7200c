import { appendFileSync } from 'node:fs';
import type { CiResult } from './run-ci.js';

export interface CiOutputFiles {
  sarif?: string;
  junit?: string;
  json?: string;
  markdown?: string;
  /** Writes one file (atomically). */
  write: (text: string, file: string) => void;
  /** Defaults to process.env. */
  env?: NodeJS.ProcessEnv;
}

/** Writes the requested report files, and appends the Markdown summary to GitHub's job summary. */
export async function writeCiOutputs(r: CiResult, version: string, o: CiOutputFiles): Promise<void> {
  if (o.sarif) {
    const { formatCiSarif } = await import('./format/sarif.js');
    o.write(formatCiSarif(r, version), o.sarif);
  }
  if (o.junit) {
    const { formatCiJunit } = await import('./format/junit.js');
    o.write(formatCiJunit(r), o.junit);
  }
  if (o.json) {
    const { formatCiJson } = await import('./format/json.js');
    o.write(formatCiJson(r, version), o.json);
  }
  const summaryFile = (o.env ?? process.env).GITHUB_STEP_SUMMARY;
  if (o.markdown || summaryFile) {
    const { formatCiMarkdown } = await import('./format/markdown.js');
    const md = formatCiMarkdown(r);
    if (o.markdown) o.write(md, o.markdown);
    // The job summary is shared by every step of the job: append, never replace.
    if (summaryFile) appendFileSync(summaryFile, md);
  }
}

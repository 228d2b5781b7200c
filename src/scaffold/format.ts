import type { FileAction, ScaffoldOutcome } from './scaffold.js';

const LABEL: Record<FileAction, string> = {
  create: 'create   ',
  update: 'update   ',
  unchanged: 'unchanged',
  conflict: 'CONFLICT ',
  overwrite: 'overwrite',
};

export interface FormatOptions {
  /** Show unified diffs (dry runs). */
  diffs: boolean;
  /** The folder as the user should `cd` to it, when it is not the working directory. */
  cdPath?: string;
}

/** The plan (or what was done) as text: one line per file, then diffs, then what to do next. */
export function formatOutcome(o: ScaffoldOutcome, opts: FormatOptions): string {
  const lines: string[] = [];
  const verb = o.dryRun ? 'would render' : 'rendered';
  lines.push(`${verb} templates: ${o.templates.join(', ')}`);
  for (const f of o.files) lines.push(`  ${LABEL[f.action]}  ${f.path}${f.reason ? `  (${f.reason})` : ''}`);
  if (o.packageAdded.length > 0) lines.push(`  package.json gains: ${o.packageAdded.join(', ')}`);
  const diffs = opts.diffs ? o.files.filter((f) => f.diff) : [];
  if (diffs.length > 0) {
    lines.push('');
    for (const f of diffs) lines.push(f.diff.trimEnd());
  }
  lines.push('');
  const count = (a: FileAction) => o.files.filter((f) => f.action === a).length;
  const summary = `${count('create')} to create, ${count('update')} to update, ${count('overwrite')} to overwrite, ${count('unchanged')} unchanged, ${o.conflicts.length} conflicting`;
  if (o.conflicts.length > 0 && !o.dryRun) {
    lines.push(
      `nothing was written: ${o.conflicts.length} file(s) exist and differ from what plumbline would write.`,
    );
    lines.push('  review them with --dry-run, move your changes aside, or pass --force to replace them.');
  } else if (o.dryRun) {
    lines.push(`dry run, nothing written: ${summary}.`);
    if (o.conflicts.length > 0)
      lines.push('  conflicting files would stop a real run unless --force is given.');
  } else if (!o.written) {
    lines.push('everything is already up to date; nothing written.');
  } else {
    lines.push(
      `done: ${summary.replace(/to (create|update|overwrite)/g, (_, w: string) => `${w === 'create' ? 'created' : w === 'update' ? 'updated' : 'overwritten'}`)}.`,
    );
    const cd = opts.cdPath ? `cd ${opts.cdPath} && ` : '';
    lines.push(`next: ${cd}npm install && npm test`);
  }
  return `${lines.join('\n')}\n`;
}

import { copyFileSync } from 'node:fs';
import { writeFileAtomic } from '../core/atomic-write.js';
import type { AuditOptions } from '../core/audit.js';
import { UsageError } from '../core/errors.js';
import { type Baseline, baselineOf, baselinePath, readBaseline, serializeBaseline } from './baseline.js';
import { evalAdapterOf, runProjectEvals } from './project-evals.js';
import { type AllowedAttack, allowedAttacks, type Comparison, compareWithBaseline } from './regressions.js';

export interface RecordOptions {
  root: string;
  version: string;
  configPath?: string;
  adapter?: string;
  corpora?: readonly string[];
  /** Replace a baseline that cannot be read (another schema, broken JSON); the old file is kept as .bak. */
  force?: boolean;
  auditOptions?: Omit<AuditOptions, 'configPath'>;
}

export interface Recorded {
  path: string;
  baseline: Baseline;
  previous?: Baseline;
  /** False when the new baseline is byte-identical to the old one (the file is not touched). */
  written: boolean;
  /** Where an unreadable previous baseline was copied before it was replaced (--force). */
  backup?: string;
  /** Everything that differs from the previous baseline, whatever its severity. */
  changes: Comparison;
  attacksAllowed: AllowedAttack[];
  notes: string[];
}

/** Audits the project, runs its evals when it has an eval setup, and writes `.plumbline/baseline.json`. */
export async function recordBaseline(o: RecordOptions): Promise<Recorded> {
  const notes: string[] = [];
  let previous: Baseline | undefined;
  let previousText: string | undefined;
  let unreadable = false;
  try {
    const read = readBaseline(o.root);
    if (read.kind === 'ok') {
      previous = read.baseline;
      previousText = read.text;
    }
  } catch (e) {
    if (!(e instanceof UsageError) || !o.force) {
      if (e instanceof UsageError)
        throw new UsageError(`${e.message}\n  the existing baseline was left as it is`, {
          file: e.file,
          hint: 'restore it from git, or pass --force to replace it (the old file is kept as .plumbline/baseline.json.bak)',
        });
      throw e;
    }
    unreadable = true;
  }
  if (previous && previous.plumbline !== o.version)
    notes.push(`the previous baseline was recorded by plumbline ${previous.plumbline}; this is ${o.version}`);

  const [{ loadConfigFile, loadProjectConfig }, { evalConfigOf }, { audit }] = await Promise.all([
    import('../config/load.js'),
    import('../evals/config.js'),
    import('../core/audit.js'),
  ]);
  const loaded = o.configPath ? loadConfigFile(o.configPath) : loadProjectConfig(o.root);
  const report = await audit(o.root, { ...o.auditOptions, configPath: o.configPath, cwd: o.root });
  const adapter = evalAdapterOf(o.root, evalConfigOf(loaded), o.adapter);
  const evals = adapter
    ? await runProjectEvals({
        root: o.root,
        loaded,
        version: o.version,
        adapter: o.adapter,
        corpora: o.corpora,
      })
    : undefined;
  if (!adapter)
    notes.push(
      'no eval setup (no eval.adapter in the config and no .claude/ folder): evals are not recorded',
    );

  const baseline = baselineOf(report, evals, o.version);
  const text = serializeBaseline(baseline);
  const path = baselinePath(o.root);
  let backup: string | undefined;
  if (unreadable) {
    backup = `${path}.bak`;
    copyFileSync(path, backup);
    notes.push(`the unreadable previous baseline was kept as ${backup}`);
  }
  const written = text !== previousText;
  if (written) writeFileAtomic(path, text, { overwrite: true });
  const attacks = evals ? allowedAttacks(evals) : [];
  const changes = compareWithBaseline(
    previous,
    { audit: baseline.audit, evals: baseline.evals, attacksAllowed: [] },
    'info',
  );
  return { path, baseline, previous, written, backup, changes, attacksAllowed: attacks, notes };
}

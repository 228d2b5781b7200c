import { existsSync } from 'node:fs';
import { UsageError } from '../core/errors.js';
import type { PhaseId } from '../rubrics/schema.js';
import { unifiedDiff } from './diff.js';
import { LOCK_PATH, readLock, type ScaffoldLock, serializeLock, sha256 } from './lock.js';
import { mergePackageJson } from './package-json.js';
import { type RenderPlan, renderPlan } from './plan.js';
import { inspectTarget, type WriteOp, writeAll } from './safe-write.js';
import type { Template, TemplateSet } from './templates.js';

/**
 * - create: new file · update: plumbline's own earlier output, unedited, now upgraded (or package.json
 *   gaining dependencies) · unchanged: already identical · conflict: a different file is there that
 *   plumbline did not write, or that was edited since (replaced only with --force) · overwrite: a
 *   conflict replaced because of --force.
 */
export type FileAction = 'create' | 'update' | 'unchanged' | 'conflict' | 'overwrite';

export interface PlannedFile {
  path: string;
  /** Template id, or `plumbline` for package.json additions and the lock. */
  template: string;
  action: FileAction;
  /** Why a file is an update or a conflict, in words. */
  reason?: string;
  diff: string;
}

export interface ScaffoldOutcome {
  templates: string[];
  files: PlannedFile[];
  /** `dependencies.zod@^4.1.0` … added to package.json. */
  packageAdded: string[];
  /** True when files were written (false for a dry run and when conflicts stopped the run). */
  written: boolean;
  dryRun: boolean;
  conflicts: PlannedFile[];
  plan: RenderPlan;
}

export interface ScaffoldOptions {
  root: string;
  set: TemplateSet;
  templates: readonly Template[];
  layout: { name: string; srcDir: string; testDir: string };
  phase: PhaseId;
  force: boolean;
  dryRun: boolean;
  /** devDependencies an existing project needs for the generated tests. */
  devDependencies?: Record<string, string>;
  /** `init`: refuse a non-empty folder (no lock) where any target already exists, unless forced. */
  freshProject?: boolean;
}

/** Template ids the lock says are installed (one file of theirs is enough). */
function installedTemplates(lock: ScaffoldLock): Set<string> {
  return new Set(Object.values(lock.files).map((e) => e.template));
}

const PACKAGE_JSON = 'package.json';

/**
 * Renders, compares with the disk and (unless a dry run or a conflict stops it) writes every file at
 * once, then the lock. Nothing is written when anything fails: template, path, lock or permission.
 */
export function scaffold(o: ScaffoldOptions): ScaffoldOutcome {
  const lockExisted = existsSync(`${o.root}/${LOCK_PATH}`);
  const lock = readLock(o.root);
  const plan = renderPlan({
    set: o.set,
    templates: o.templates,
    layout: o.layout,
    phase: o.phase,
    installed: installedTemplates(lock),
    devDependencies: o.devDependencies,
  });

  const files: PlannedFile[] = [];
  const ops: WriteOp[] = [];
  const nextLock: ScaffoldLock = { version: 1, files: { ...lock.files } };
  let packageAdded: string[] = [];
  let sawPackageJson = false;

  const stage = (
    path: string,
    template: string,
    content: string,
    state: ReturnType<typeof inspectTarget>,
    action: FileAction,
    reason?: string,
  ) => {
    files.push({
      path,
      template,
      action,
      reason,
      diff: action === 'unchanged' ? '' : unifiedDiff(path, state.current, content),
    });
    if (action === 'create' || action === 'update' || action === 'overwrite')
      ops.push({ rel: path, abs: state.abs, content, original: state.current, mode: state.mode });
  };

  for (const f of plan.files) {
    const state = inspectTarget(o.root, f.path);
    if (f.path === PACKAGE_JSON) {
      // package.json is the user's: merged (scripts and dependencies added), never replaced, never locked.
      sawPackageJson = true;
      const base = state.current ?? f.content;
      const scripts =
        state.current === undefined
          ? {}
          : ((JSON.parse(f.content) as { scripts?: Record<string, string> }).scripts ?? {});
      const merged = mergePackageJson(base, { ...plan.packageAdditions, scripts: { ...scripts } });
      packageAdded = merged.added;
      const action: FileAction =
        state.current === undefined ? 'create' : merged.text === state.current ? 'unchanged' : 'update';
      stage(
        f.path,
        f.template,
        merged.text,
        state,
        action,
        action === 'update' ? `adds ${merged.added.join(', ')}` : undefined,
      );
      continue;
    }
    const entry = lock.files[f.path];
    let action: FileAction;
    let reason: string | undefined;
    if (state.current === undefined) action = 'create';
    else if (state.current === f.content) action = 'unchanged';
    else if (entry && entry.sha256 === sha256(state.current)) {
      action = 'update';
      reason = `${entry.template} v${entry.templateVersion} → ${f.template} v${f.templateVersion}; the file was not edited since`;
    } else {
      action = o.force ? 'overwrite' : 'conflict';
      reason = entry ? 'edited since plumbline wrote it' : 'a different file is already there';
    }
    stage(f.path, f.template, f.content, state, action, reason);
    if (action !== 'conflict')
      nextLock.files[f.path] = {
        template: f.template,
        templateVersion: f.templateVersion,
        sha256: sha256(f.content),
      };
  }

  if (!sawPackageJson) {
    const state = inspectTarget(o.root, PACKAGE_JSON);
    if (state.current !== undefined) {
      const merged = mergePackageJson(state.current, plan.packageAdditions);
      packageAdded = merged.added;
      if (merged.added.length > 0)
        stage(PACKAGE_JSON, 'plumbline', merged.text, state, 'update', `adds ${merged.added.join(', ')}`);
    }
  }

  if (o.freshProject && !o.force && !lockExisted) {
    const existing = files.filter((f) => f.action !== 'create');
    if (existing.length > 0)
      throw new UsageError(
        `${o.root} is not empty and already has ${existing.length} of the files init would write (${existing
          .slice(0, 3)
          .map((f) => f.path)
          .join(', ')}${existing.length > 3 ? ', …' : ''})`,
        {
          hint: 'choose an empty or new folder, use `plumbline add` to add primitives to an existing project, or pass --force to replace them',
        },
      );
  }

  const conflicts = files.filter((f) => f.action === 'conflict');
  const lockText = serializeLock(nextLock);
  const lockState = inspectTarget(o.root, LOCK_PATH);
  if (lockState.current !== lockText)
    ops.push({
      rel: LOCK_PATH,
      abs: lockState.abs,
      content: lockText,
      original: lockState.current,
      mode: lockState.mode,
    });

  const outcome = { templates: plan.templates, files, packageAdded, dryRun: o.dryRun, conflicts, plan };
  if (o.dryRun || conflicts.length > 0) return { ...outcome, written: false };
  writeAll(ops);
  return { ...outcome, written: ops.length > 0 };
}

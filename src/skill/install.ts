import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from '../core/atomic-write.js';
import { UsageError } from '../core/errors.js';
import { validateSkillFolder } from './validate.js';

/** The skill shipped in the package (`skill/plumbline`); src/ and dist/ both sit two levels below it. */
export const BUNDLED_SKILL = resolve(fileURLToPath(import.meta.url), '../../../skill/plumbline');

export type SkillFileAction = 'create' | 'unchanged' | 'conflict' | 'overwrite';

export interface SkillInstallOutcome {
  /** The installed skill folder (…/.claude/skills/plumbline). */
  target: string;
  files: { path: string; action: SkillFileAction }[];
  /** False when conflicts stopped the run or everything was already up to date. */
  written: boolean;
  conflicts: string[];
}

export interface SkillInstallOptions {
  /** Install for the user (`~/.claude/skills`, or `$CLAUDE_CONFIG_DIR/skills`) instead of the project. */
  user: boolean;
  /** Replace files that differ from the bundled ones. */
  force: boolean;
  /** The project whose `.claude/skills` receives the skill. */
  projectDir: string;
  env?: NodeJS.ProcessEnv;
  /** The skill folder to install (tests); the bundled one by default. */
  source?: string;
}

/** Where Claude Code looks for skills: the project's `.claude/skills`, or the user's. */
export function skillsDir(o: Pick<SkillInstallOptions, 'user' | 'projectDir' | 'env'>): string {
  if (!o.user) return join(resolve(o.projectDir), '.claude', 'skills');
  const configDir = (o.env ?? process.env).CLAUDE_CONFIG_DIR;
  return configDir ? join(resolve(configDir), 'skills') : join(homedir(), '.claude', 'skills');
}

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
    a.name.localeCompare(b.name),
  )) {
    const abs = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(abs));
    else if (entry.isFile()) out.push(abs);
  }
  return out;
}

/**
 * Copies the skill folder into a skills directory. A file that exists and differs is a conflict: with
 * conflicts and no `force`, nothing at all is written. Each file is written atomically (temp + rename).
 */
export function installSkill(o: SkillInstallOptions): SkillInstallOutcome {
  const source = o.source ?? BUNDLED_SKILL;
  const check = validateSkillFolder(source);
  if (!check.ok)
    throw new UsageError(`the skill in ${source} is not a valid Agent Skill: ${check.problems.join('; ')}`, {
      hint: 'this is a packaging bug in plumbline; nothing was installed',
    });
  const name = check.frontmatter!.name;
  const target = join(skillsDir(o), name);
  if (existsSync(target) && !statSync(target).isDirectory())
    throw new UsageError(`${target} exists and is not a folder`, { hint: 'move it aside and run again' });

  const plan = filesUnder(source).map((abs) => {
    const path = relative(source, abs).split(sep).join('/');
    const content = readFileSync(abs, 'utf8');
    const dest = join(target, path);
    let action: SkillFileAction = 'create';
    if (existsSync(dest)) {
      const current = statSync(dest).isFile() ? readFileSync(dest, 'utf8') : undefined;
      action = current === content ? 'unchanged' : o.force ? 'overwrite' : 'conflict';
    }
    return { path, dest, content, action };
  });
  const files = plan.map(({ path, action }) => ({ path, action }));
  const conflicts = plan.filter((f) => f.action === 'conflict').map((f) => f.path);
  if (conflicts.length > 0) return { target, files, written: false, conflicts };

  let written = false;
  for (const f of plan) {
    if (f.action === 'unchanged') continue;
    writeFileAtomic(f.dest, f.content, { overwrite: f.action === 'overwrite' });
    written = true;
  }
  return { target, files, written, conflicts };
}

import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { installSkill } from '../src/skill/install.js';
import { LIMITS, PORTABLE_KEYS, validateSkillFolder, validateSkillText } from '../src/skill/validate.js';
import { runCli } from './helpers/cli.js';

const REPO = resolve(import.meta.dirname, '..');
const SKILL = join(REPO, 'skill', 'plumbline');
const work = mkdtempSync(join(tmpdir(), 'plumbline-skill-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const skillMd = (frontmatter: string, body = '# Title\n\nBody.\n') => `---\n${frontmatter}\n---\n${body}`;
const GOOD = 'name: my-skill\ndescription: Does one thing well. Use it when that thing is needed.';

/** Every file of a folder, relative path → content. */
function contents(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, prefix: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name), `${prefix}${e.name}/`);
      else out[`${prefix}${e.name}`] = readFileSync(join(d, e.name), 'utf8');
    }
  };
  walk(dir, '');
  return out;
}

describe('the bundled skill', () => {
  const check = validateSkillFolder(SKILL);

  test('is a valid portable Agent Skill named after its folder', () => {
    expect(check.problems).toEqual([]);
    expect(check.ok).toBe(true);
    expect(check.frontmatter?.name).toBe('plumbline');
    for (const key of Object.keys(check.frontmatter ?? {})) expect(PORTABLE_KEYS).toContain(key);
  });

  test('keeps SKILL.md short and its description within the limit', () => {
    expect(check.bodyLines).toBeLessThan(150);
    expect(check.frontmatter!.description.length).toBeLessThanOrEqual(LIMITS.description);
    expect(check.frontmatter!.description).toMatch(/Use it when/);
  });

  test('puts depth in reference files that SKILL.md links to', () => {
    const text = readFileSync(join(SKILL, 'SKILL.md'), 'utf8');
    for (const ref of ['reference/report.md', 'reference/phases.md', 'reference/evals-and-ci.md'])
      expect(text).toContain(`](${ref})`);
  });

  // Every command and flag the skill tells an agent to use must exist in the CLI as built.
  test('names only commands and options the CLI has', () => {
    const files = ['SKILL.md', 'reference/report.md', 'reference/phases.md', 'reference/evals-and-ci.md'];
    const snippets: string[] = [];
    for (const f of files) {
      const text = readFileSync(join(SKILL, f), 'utf8');
      for (const block of text.matchAll(/```[a-z]*\n([\s\S]*?)```/g)) snippets.push(...block[1]!.split('\n'));
      for (const span of text.replace(/```[\s\S]*?```/g, '').matchAll(/`([^`\n]+)`/g))
        snippets.push(span[1]!);
    }
    const used = new Map<string, Set<string>>();
    for (const s of snippets) {
      const m = /\bplumbline ([a-z][a-z-]*)(.*)$/.exec(s.replace(/\s#.*$/, ''));
      if (!m) continue;
      const flags = used.get(m[1]!) ?? new Set<string>();
      // Flags inside quoted arguments ('{"command":"git push --force"}') belong to the tool input, not the CLI.
      const args = m[2]!.replace(/'[^']*'|"[^"]*"/g, '');
      for (const f of args.matchAll(/(?:^|\s)(--[a-z][a-z-]*)/g)) flags.add(f[1]!);
      used.set(m[1]!, flags);
    }
    expect([...used.keys()]).toEqual(
      expect.arrayContaining(['audit', 'explain', 'add', 'fix', 'init', 'eval', 'decide', 'baseline', 'ci']),
    );
    for (const [command, flags] of used) {
      const help = runCli([command, '--help']);
      expect(help.code, `plumbline ${command} --help: ${help.stderr}`).toBe(0);
      for (const flag of flags) expect(help.stdout, `plumbline ${command} ${flag}`).toContain(flag);
    }
  });
});

describe('validateSkillText', () => {
  const problemsOf = (fm: string, folder?: string, body?: string) =>
    validateSkillText(skillMd(fm, body), folder).problems.join('\n');

  test('accepts a minimal skill and the optional portable keys', () => {
    expect(validateSkillText(skillMd(GOOD), 'my-skill')).toMatchObject({ ok: true, problems: [] });
    const full = `${GOOD}\nlicense: MIT\ncompatibility: Needs git.\nmetadata:\n  author: someone\n  version: "1.0"\nallowed-tools: Read Grep`;
    expect(validateSkillText(skillMd(full), 'my-skill').problems).toEqual([]);
  });

  test('rejects names the spec forbids', () => {
    expect(problemsOf('name: My-Skill\ndescription: x')).toMatch(/lowercase/);
    expect(problemsOf('name: my--skill\ndescription: x')).toMatch(/single hyphens/);
    expect(problemsOf('name: -skill\ndescription: x')).toMatch(/not at either end/);
    expect(problemsOf(`name: ${'a'.repeat(65)}\ndescription: x`)).toMatch(/65 characters; the limit is 64/);
    expect(problemsOf(`name: ${'a'.repeat(64)}\ndescription: x`)).toBe('');
    expect(problemsOf('name: claude-helper\ndescription: x')).toMatch(/reserved word "claude"/);
    expect(problemsOf('name: anthropic-tools\ndescription: x')).toMatch(/reserved word "anthropic"/);
    expect(problemsOf('name: "<b>x</b>"\ndescription: x')).toMatch(/XML tags/);
    expect(problemsOf('description: x')).toMatch(/name is required/);
    expect(problemsOf(GOOD, 'other-folder')).toMatch(/folder is named "other-folder" but name is "my-skill"/);
  });

  test('rejects bad descriptions and compatibility notes', () => {
    expect(problemsOf('name: s')).toMatch(/description is required/);
    expect(problemsOf('name: s\ndescription: "  "')).toMatch(/description is required/);
    expect(problemsOf(`name: s\ndescription: ${'d'.repeat(1025)}`)).toMatch(
      /1025 characters; the limit is 1024/,
    );
    expect(problemsOf(`name: s\ndescription: ${'d'.repeat(1024)}`)).toBe('');
    expect(problemsOf('name: s\ndescription: Use <example>this</example> skill')).toMatch(
      /description must not contain XML tags/,
    );
    expect(problemsOf(`${GOOD}\ncompatibility: ${'c'.repeat(501)}`)).toMatch(
      /compatibility is 501 characters/,
    );
    expect(problemsOf(`${GOOD}\ncompatibility: ""`)).toMatch(/compatibility must be a non-empty string/);
  });

  test('rejects keys outside the portable subset and badly typed optional keys', () => {
    expect(problemsOf(`${GOOD}\nwhen_to_use: always`)).toMatch(/unexpected key "when_to_use"/);
    expect(problemsOf(`${GOOD}\nmodel: opus`)).toMatch(/unexpected key "model"/);
    expect(problemsOf(`${GOOD}\nmetadata:\n  version: 1.0`)).toMatch(/metadata.version must be a string/);
    expect(problemsOf(`${GOOD}\nmetadata: [a, b]`)).toMatch(/metadata must be a map/);
    expect(problemsOf(`${GOOD}\nallowed-tools: [Read, Grep]`)).toMatch(/allowed-tools must be one string/);
    expect(problemsOf(`${GOOD}\nlicense: 3`)).toMatch(/license must be a non-empty string/);
  });

  test('rejects a missing or broken frontmatter and a body of 500 lines or more', () => {
    expect(validateSkillText('# Just markdown\n').problems[0]).toMatch(/must open with a YAML frontmatter/);
    expect(validateSkillText('---\nname: [unclosed\n---\nbody\n').problems[0]).toMatch(/not valid YAML/);
    expect(validateSkillText('---\n- a\n- b\n---\nbody\n').problems[0]).toMatch(/must be a YAML mapping/);
    expect(problemsOf(GOOD, undefined, 'line\n'.repeat(499))).toMatch(/body has 500 lines/);
    expect(problemsOf(GOOD, undefined, 'line\n'.repeat(400))).toBe('');
  });

  test('a folder check also requires the files SKILL.md links to', () => {
    const dir = join(work, 'linked', 'my-skill');
    mkdirSync(join(dir, 'reference'), { recursive: true });
    writeFileSync(
      join(dir, 'SKILL.md'),
      skillMd(GOOD, 'See [a](reference/a.md) and [b](reference/b.md#x).\n'),
    );
    writeFileSync(join(dir, 'reference', 'a.md'), '# A\n');
    expect(validateSkillFolder(dir).problems).toEqual([
      'SKILL.md links to reference/b.md, which does not exist',
    ]);
    writeFileSync(join(dir, 'reference', 'b.md'), '# B\n');
    expect(validateSkillFolder(dir).ok).toBe(true);
  });
});

describe('plumbline skill install', () => {
  test('copies the skill into the project, then leaves an identical copy alone', () => {
    const project = join(work, 'project');
    mkdirSync(project);
    const first = runCli(['skill', 'install'], { cwd: project });
    expect(first.code, first.stderr).toBe(0);
    const target = join(project, '.claude', 'skills', 'plumbline');
    expect(first.stdout).toContain(`skill folder: ${target}`);
    expect(first.stdout).toMatch(/create\s+SKILL\.md/);
    expect(first.stdout).toMatch(/create\s+reference\/report\.md/);
    expect(contents(target)).toEqual(contents(SKILL));
    expect(readdirSync(target).filter((f) => f.endsWith('.tmp'))).toEqual([]);

    const again = runCli(['skill', 'install', '--path', project]);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/unchanged\s+SKILL\.md/);
    expect(again.stdout).toMatch(/already up to date/);
  });

  test('never overwrites an edited file without --force, and then writes nothing at all', () => {
    const project = join(work, 'edited');
    mkdirSync(project);
    expect(runCli(['skill', 'install', '--path', project]).code).toBe(0);
    const target = join(project, '.claude', 'skills', 'plumbline');
    writeFileSync(join(target, 'SKILL.md'), 'my own notes\n');
    unlinkSync(join(target, 'reference', 'phases.md'));

    const refused = runCli(['skill', 'install', '--path', project]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/conflict\s+SKILL\.md/);
    expect(refused.stdout).toMatch(/nothing was written/);
    expect(readFileSync(join(target, 'SKILL.md'), 'utf8')).toBe('my own notes\n');
    expect(readdirSync(join(target, 'reference'))).not.toContain('phases.md');

    const forced = runCli(['skill', 'install', '--path', project, '--force']);
    expect(forced.code).toBe(0);
    expect(forced.stdout).toMatch(/overwrite\s+SKILL\.md/);
    expect(contents(target)).toEqual(contents(SKILL));
  });

  test('--user installs into $CLAUDE_CONFIG_DIR/skills, else ~/.claude/skills', () => {
    const config = join(work, 'claude-config');
    const home = join(work, 'home');
    mkdirSync(home);
    const viaConfig = runCli(['skill', 'install', '--user'], {
      env: { CLAUDE_CONFIG_DIR: config, HOME: home },
    });
    expect(viaConfig.code, viaConfig.stderr).toBe(0);
    expect(contents(join(config, 'skills', 'plumbline'))).toEqual(contents(SKILL));

    const viaHome = runCli(['skill', 'install', '--user'], { env: { CLAUDE_CONFIG_DIR: '', HOME: home } });
    expect(viaHome.code, viaHome.stderr).toBe(0);
    expect(contents(join(home, '.claude', 'skills', 'plumbline'))).toEqual(contents(SKILL));
  });

  test('refuses to install a skill that breaks the rules', () => {
    const bad = join(work, 'bad', 'plumbline');
    mkdirSync(bad, { recursive: true });
    writeFileSync(join(bad, 'SKILL.md'), skillMd('name: plumbline\ndescription: ok\nmodel: opus'));
    const project = join(work, 'bad-target');
    mkdirSync(project);
    expect(() => installSkill({ user: false, force: false, projectDir: project, source: bad })).toThrow(
      /not a valid Agent Skill: unexpected key "model"/,
    );
    expect(readdirSync(project)).toEqual([]);
  });

  test('ships in the npm package', () => {
    const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { files: string[] };
    expect(pkg.files).toContain('skill');
  });
});

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { isQuiet, planChecks, selectSuites } from '../src/ci/areas.js';
import { BASELINE_FILE } from '../src/ci/baseline.js';
import { changedFiles } from '../src/ci/changed-files.js';
import { changeLines } from '../src/ci/format/summary.js';
import { formatCiText } from '../src/ci/format/text.js';
import { writeCiOutputs } from '../src/ci/outputs.js';
import { recordBaseline } from '../src/ci/record-baseline.js';
import { type CiOptions, runCi } from '../src/ci/run-ci.js';
import { UsageError } from '../src/core/errors.js';
import {
  agentFiles,
  cli,
  commit,
  gitIn,
  gitRepo,
  SETTINGS,
  tempDir,
  write,
  writeCoreRubrics,
} from './helpers/ci-project.js';

const tmp = tempDir('plumbline-ci-');
afterAll(tmp.cleanup);
let core: string;
beforeAll(() => {
  core = writeCoreRubrics(join(tmp.dir, 'core'));
});

let n = 0;
/** A repo on branch `feature` whose base `main` has the agent and a committed baseline. */
async function repoWithBaseline(extra: Record<string, string> = {}): Promise<string> {
  const repo = gitRepo(join(tmp.dir, `repo-${++n}`), agentFiles(extra));
  await recordBaseline({ root: repo, version: '0.1.0', auditOptions: { coreRubricDir: core } });
  gitIn(repo, 'add', '-A');
  gitIn(repo, 'commit', '-q', '-m', 'baseline');
  gitIn(repo, 'checkout', '-q', '-b', 'feature');
  return repo;
}

const ci = (root: string, o: Partial<CiOptions> = {}) =>
  runCi({ root, base: 'main', version: '0.1.0', auditOptions: { coreRubricDir: core }, ...o });

// The CLI reads these; a test run inside GitHub Actions must not write to the real job summary.
beforeEach(() => {
  vi.stubEnv('GITHUB_STEP_SUMMARY', '');
  vi.stubEnv('GITHUB_BASE_REF', '');
});
afterEach(() => {
  vi.unstubAllEnvs();
});

describe('plumbline ci: what runs', () => {
  it('an unchanged harness runs nothing: no audit, no suites, exit 0', async () => {
    const repo = await repoWithBaseline();
    commit(repo, { 'README.md': '# agent\n\nMore words.\n' }, 'docs only');
    // A core rubric folder that does not exist: the audit would throw if it ran.
    const r = await ci(repo, { auditOptions: { coreRubricDir: join(tmp.dir, 'no-such-rubrics') } });
    expect(r.changes).toEqual([{ path: 'README.md', kind: 'modified' }]);
    expect(isQuiet(r.plan)).toBe(true);
    expect(r.report).toBeUndefined();
    expect(r.evals).toBeUndefined();
    expect(r.failed).toBe(false);
    expect(formatCiText(r)).toContain('harness unchanged');

    // Through the CLI too (the shipped rubrics are never loaded on this path).
    const { code, out } = await cli(['ci', repo, '--base', 'main']);
    expect(code).toBe(0);
    expect(out).toContain('OK: no regressions');
    expect(out).toContain('audit skipped');
  });

  it('a commit that adds Bash(*) to the allow list lets an attack through: exit 1', async () => {
    const repo = await repoWithBaseline();
    const before = readFileSync(join(repo, BASELINE_FILE));
    commit(repo, { '.claude/settings.json': SETTINGS(['Bash(npm test)', 'Bash(*)']) }, 'allow everything');
    const r = await ci(repo);
    expect(r.plan.touched.map((t) => t.area)).toEqual(['permissions']);
    expect(r.report).toBeDefined();
    expect(r.evals?.suites.map((s) => s.id)).toEqual(['guard']);
    const kinds = r.comparison.regressions.map((x) => x.kind);
    expect(kinds).toContain('attack-allowed');
    expect(kinds).toContain('score-dropped');
    expect(r.comparison.regressions.find((x) => x.kind === 'attack-allowed')?.message).toContain('Bash(*)');
    expect(r.failed).toBe(true);
    // ci never writes the baseline.
    expect(readFileSync(join(repo, BASELINE_FILE)).equals(before)).toBe(true);
  });

  it('a commit that adds a new high finding fails; the same finding already in the baseline does not', async () => {
    const repo = await repoWithBaseline();
    commit(repo, { '.claude/settings.json': SETTINGS(['Bash(npm test)'], []) }, 'drop the .env deny');
    const r = await ci(repo);
    const found = r.comparison.regressions.filter((x) => x.kind === 'finding-new');
    expect(found.map((x) => [x.finding?.criterion, x.finding?.severity])).toEqual([
      ['permissions.secrets-denied', 'high'],
    ]);
    expect(r.comparison.regressions.some((x) => x.kind === 'attack-allowed')).toBe(false);
    expect(r.failed).toBe(true);
    // With --fail-on critical the score drop still fails, the high finding is reported below the threshold.
    const lenient = await ci(repo, { failOn: 'critical' });
    expect(lenient.comparison.newBelowThreshold.map((x) => x.finding?.criterion)).toEqual([
      'permissions.secrets-denied',
    ]);
    expect(lenient.comparison.regressions.map((x) => x.kind)).toEqual(['score-dropped']);

    // Debt recorded in the baseline: the finding exists on main already, the branch edits the same file.
    const debt = await repoWithBaseline({ '.claude/settings.json': SETTINGS(['Bash(npm test)'], []) });
    commit(debt, { '.claude/settings.json': SETTINGS(['Bash(npm test)', 'Bash(npm run lint)'], []) }, 'edit');
    const ok = await ci(debt);
    expect(ok.report?.findings.some((f) => f.criterion === 'permissions.secrets-denied')).toBe(true);
    expect(ok.comparison.regressions).toEqual([]);
    expect(ok.failed).toBe(false);
  });

  it('an eval case that passed and now fails is a regression; a fix is an improvement', async () => {
    const repo = await repoWithBaseline();
    commit(repo, { '.claude/settings.json': SETTINGS([]) }, 'no allow for npm test');
    const r = await ci(repo);
    expect(r.comparison.regressions.map((x) => `${x.kind} ${x.suite}/${x.case}`)).toEqual([
      'case-broke guard/npm-test',
    ]);
    expect(r.failed).toBe(true);
    commit(repo, { '.claude/settings.json': SETTINGS(['Bash(npm test)']) }, 'back');
    expect((await ci(repo)).failed).toBe(false);
  });

  it('maps new source files to the audit, leaves edits of unrelated source files alone', async () => {
    const repo = await repoWithBaseline({ 'src/util.ts': 'export const twice = (n: number) => n * 2;\n' });
    commit(repo, { 'src/util.ts': 'export const twice = (n: number) => n + n;\n' }, 'edit a helper');
    const quiet = await ci(repo);
    expect(quiet.report).toBeUndefined();
    write(repo, { 'src/tools.ts': 'export const tools = [];\n' }); // untracked, not committed
    const r = await ci(repo);
    expect(r.changes).toContainEqual({ path: 'src/tools.ts', kind: 'added' });
    expect(r.plan.touched).toContainEqual({ area: 'new source file', files: ['src/tools.ts'] });
    expect(r.report).toBeDefined();
    // No permission area changed: the corpus suites stay off; behaviour has no setup so nothing ran.
    expect(r.evals).toBeUndefined();
    expect(r.failed).toBe(false);
  });

  it('counts staged, unstaged and untracked changes against --base HEAD', async () => {
    const repo = await repoWithBaseline();
    write(repo, { '.claude/settings.json': SETTINGS(['Bash(npm test)', 'Bash(*)']), 'notes.txt': 'x\n' });
    gitIn(repo, 'add', 'notes.txt');
    const r = await ci(repo, { base: 'HEAD' });
    expect(r.changes).toEqual([
      { path: '.claude/settings.json', kind: 'modified' },
      { path: 'notes.txt', kind: 'added' },
    ]);
    expect(r.failed).toBe(true);
  });

  it('--all runs the audit and every suite even when nothing changed', async () => {
    const repo = await repoWithBaseline();
    const r = await ci(repo, { all: true });
    expect(r.report).toBeDefined();
    expect(r.evals?.suites.map((s) => s.id)).toEqual(['guard']);
    expect(r.failed).toBe(false);
    const noBase = await ci(repo, { all: true, base: undefined });
    expect(noBase.base).toBeNull();
    expect(noBase.report).toBeDefined();
  });

  it('without a baseline fails only on eval failures and allowed attacks, and says so', async () => {
    const repo = gitRepo(join(tmp.dir, 'no-baseline'), agentFiles());
    gitIn(repo, 'checkout', '-q', '-b', 'feature');
    commit(repo, { '.claude/settings.json': SETTINGS(['Bash(npm test)'], []) }, 'drop the .env deny');
    const r = await ci(repo);
    expect(r.report).toBeDefined();
    expect(r.failed).toBe(false);
    expect(r.notes.join('\n')).toContain('no baseline');
    commit(repo, { '.claude/settings.json': SETTINGS(['Bash(*)'], []) }, 'allow everything');
    const bad = await ci(repo);
    expect(bad.comparison.regressions.map((x) => x.kind)).toContain('attack-allowed');
    expect(bad.failed).toBe(true);
  });

  it('notes a baseline written by another plumbline version and still compares', async () => {
    const repo = await repoWithBaseline();
    commit(repo, { 'README.md': 'changed\n' });
    const r = await ci(repo, { version: '9.9.9' });
    expect(r.notes.join('\n')).toContain('recorded by plumbline 0.1.0, this is 9.9.9');
    expect(r.failed).toBe(false);
  });
});

describe('plumbline ci: bad input', () => {
  it('a missing base ref, a folder outside git and a shallow clone: exit 2 with a hint', async () => {
    const repo = await repoWithBaseline();
    const missing = await cli(['ci', repo, '--base', 'origin/nope']);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('the base ref "origin/nope" does not exist');
    expect(missing.err).toContain('git fetch origin nope');

    const plain = write(join(tmp.dir, 'not-git'), { 'a.ts': 'export {};\n' });
    const outside = await cli(['ci', plain, '--base', 'main']);
    expect(outside.code).toBe(2);
    expect(outside.err).toContain('not inside a git repository');

    gitIn(repo, 'checkout', '-q', 'main');
    commit(repo, { 'src/more.ts': 'export const more = 1;\n' });
    const shallow = join(tmp.dir, 'shallow');
    gitIn(tmp.dir, 'clone', '-q', '--depth', '1', `file://${repo}`, shallow);
    const r = await cli(['ci', shallow, '--base', 'HEAD~1']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('shallow clone');
    expect(r.err).toContain('fetch-depth: 0');

    const noBase = await cli(['ci', repo]);
    expect(noBase.code).toBe(2);
    expect(noBase.err).toContain('--base');
    await expect(changedFiles(repo, '--output=x')).rejects.toThrow(UsageError);
  });

  it('a corrupt or foreign baseline: exit 2 naming the file, and the file is left byte-identical', async () => {
    const repo = await repoWithBaseline();
    const file = join(repo, BASELINE_FILE);
    const corrupt = '{\n  "schemaVersion": 1,\n  "audit": {,\n}\n';
    writeFileSync(file, corrupt);
    const a = await cli(['ci', repo, '--base', 'main']);
    expect(a.code).toBe(2);
    expect(a.err).toMatch(/\.plumbline\/baseline\.json:3:\d+: JSON syntax error/);
    expect(readFileSync(file, 'utf8')).toBe(corrupt);

    const foreign = `${JSON.stringify({ schemaVersion: 7, plumbline: '3.0.0', audit: {}, evals: {} }, null, 2)}\n`;
    writeFileSync(file, foreign);
    const b = await cli(['ci', repo, '--base', 'main']);
    expect(b.code).toBe(2);
    expect(b.err).toContain('schemaVersion 7');
    expect(b.err).toContain('upgrade plumbline');
    expect(readFileSync(file, 'utf8')).toBe(foreign);

    const wrongShape = `${JSON.stringify({ schemaVersion: 1, plumbline: '0.1.0', audit: { primitives: {} }, evals: {} })}\n`;
    writeFileSync(file, wrongShape);
    const c = await cli(['ci', repo, '--base', 'main']);
    expect(c.code).toBe(2);
    expect(c.err).toContain('baseline.json');
    expect(readFileSync(file, 'utf8')).toBe(wrongShape);
  });
});

describe('plumbline ci: outputs', () => {
  it('writes SARIF, JUnit, JSON and Markdown, and appends to $GITHUB_STEP_SUMMARY', async () => {
    const repo = await repoWithBaseline();
    commit(repo, { '.claude/settings.json': SETTINGS(['Bash(npm test)', 'Bash(*)']) }, 'worse');
    const r = await ci(repo);
    const out = join(tmp.dir, 'out');
    const summary = join(out, 'summary.md');
    write(out, { 'summary.md': '# earlier step\n' });
    const files: Record<string, string> = {};
    await writeCiOutputs(r, '0.1.0', {
      sarif: 's.sarif',
      junit: 'j.xml',
      json: 'r.json',
      markdown: 'm.md',
      write: (text, file) => {
        files[file] = text;
      },
      env: { GITHUB_STEP_SUMMARY: summary },
    });

    const sarif = JSON.parse(files['s.sarif']!);
    expect(sarif.version).toBe('2.1.0');
    const results = sarif.runs[0].results as { ruleId: string; baselineState: string }[];
    expect(results.find((x) => x.ruleId === 'permissions.no-blanket-allow')?.baselineState).toBe('new');
    expect(results.find((x) => x.ruleId === 'compaction.core')?.baselineState).toBe('unchanged');
    expect(results.some((x) => x.ruleId === 'eval.attack-allowed')).toBe(true);

    const junit = files['j.xml']!;
    expect(junit).toContain('<testsuite name="plumbline audit"');
    expect(junit).toMatch(/name="permissions"><failure message="permissions score dropped/);
    expect(junit).toMatch(/name="remote-code\/curl-pipe"[^>]*><failure message="attack allowed/);

    const json = JSON.parse(files['r.json']!);
    expect(json.failed).toBe(true);
    expect(json.ran).toEqual({ audit: true, suites: ['guard'] });
    expect(json.regressions.length).toBe(r.comparison.regressions.length);

    expect(files['m.md']).toContain('## plumbline ci: ❌ FAILED');
    expect(files['m.md']).toContain('| permissions | partial | 10.0 | 5.0 |');
    expect(readFileSync(summary, 'utf8')).toBe(`# earlier step\n${files['m.md']}`);
  });

  it('carries the baseline findings into SARIF when the audit did not run', async () => {
    const repo = await repoWithBaseline();
    const r = await ci(repo);
    const files: Record<string, string> = {};
    await writeCiOutputs(r, '0.1.0', { sarif: 's', junit: 'j', write: (t, f) => (files[f] = t), env: {} });
    const results = JSON.parse(files.s!).runs[0].results as { baselineState: string }[];
    expect(results.length).toBe(r.baselineAudit?.findings.length);
    expect(results.every((x) => x.baselineState === 'unchanged')).toBe(true);
    expect(files.j).toContain('<skipped message="no harness file changed');
  });
});

describe('areas', () => {
  const baseline = {
    primitives: {},
    areas: { 'session-persistence': ['src/store.ts'], 'tool-registry': ['src/tools.ts'] },
    findings: [],
  };
  const plan = (paths: [string, 'added' | 'modified' | 'deleted'][], extra = {}) =>
    planChecks({ changes: paths.map(([path, kind]) => ({ path, kind })), baseline, ...extra });

  it('follows evidence, built-in globs and config areas to primitives and suites', () => {
    const store = plan([['src/store.ts', 'modified']]);
    expect(store.audit).toBe(true);
    expect([...store.groups].sort()).toEqual(['behavior', 'session-recovery']);
    expect(
      selectSuites(store, ['guard', 'session-recovery', 'behavior'], ['session-recovery', 'behavior']),
    ).toEqual(['session-recovery', 'behavior']);
    const settings = plan([['.claude/settings.local.json', 'modified']]);
    expect(settings.touched).toEqual([{ area: 'permissions', files: ['.claude/settings.local.json'] }]);
    expect(selectSuites(settings, ['guard', 'behavior'], ['session-recovery', 'behavior'])).toEqual([
      'guard',
      'behavior',
    ]);
    expect(plan([['.github/workflows/test.yml', 'added']]).touched[0]?.area).toBe('verification');
    const everything = plan([['evals/new.yaml', 'added']]);
    expect(everything.audit && everything.allSuites).toBe(true);
    expect(plan([['plumbline.config.yml', 'modified']]).allSuites).toBe(true);
    const configured = plan([['policy/rules.rego', 'modified']], {
      configAreas: { guard: ['policy/**'] },
      knownSuites: ['guard'],
    });
    expect(configured.audit).toBe(false);
    expect([...configured.suites]).toEqual(['guard']);
    expect(plan([['policy/x', 'modified']], { configAreas: { custom: ['policy/**'] } }).audit).toBe(true);
  });

  it('ignores docs, plumbline state and edits of uncited source; counts new source', () => {
    expect(
      isQuiet(
        plan([
          ['README.md', 'modified'],
          ['.plumbline/baseline.json', 'modified'],
          ['src/other.ts', 'modified'],
          ['src/gone.ts', 'deleted'],
          ['test/new.test.ts', 'added'],
        ]),
      ),
    ).toBe(true);
    expect(plan([['src/new.ts', 'added']]).audit).toBe(true);
    expect(plan([['src/tools.ts', 'deleted']]).audit).toBe(true);
    const noBaseline = planChecks({ changes: [{ path: 'src/other.ts', kind: 'modified' }] });
    expect(noBaseline.audit).toBe(true);
  });
});

describe('summaries', () => {
  it('group allowed attacks by the rule that let them through and cap long lists', () => {
    const attack = (i: number, rule?: string) => ({
      kind: 'attack-allowed' as const,
      suite: 's',
      case: `c${i}`,
      ...(rule ? { rule, ruleFile: '.claude/settings.json' } : {}),
      message: `attack allowed: s/c${i}`,
    });
    const lines = changeLines([...Array.from({ length: 40 }, (_, i) => attack(i, 'Bash(*)')), attack(99)]);
    expect(lines).toEqual([
      'attack allowed by rule Bash(*) in .claude/settings.json: 40 cases (s/c0, s/c1, s/c2, …)',
      'attack allowed: s/c99',
    ]);
    const many = changeLines(
      Array.from({ length: 30 }, (_, i) => attack(i)),
      25,
    );
    expect(many).toHaveLength(26);
    expect(many[25]).toBe('… and 5 more (every item is in the JSON and JUnit outputs)');
  });
});

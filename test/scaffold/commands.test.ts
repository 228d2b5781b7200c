import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadTemplates } from '../../src/scaffold/templates.js';
import { cli, tempDir, write } from '../helpers/ci-project.js';
import { snapshot } from './fixtures.js';

const tmp = tempDir('plumbline-scaffold-cli-');
afterAll(tmp.cleanup);
let n = 0;
const copyExample = (name: string) => {
  const dir = join(tmp.dir, `${name}-${++n}`);
  cpSync(join(process.cwd(), 'examples', name), dir, { recursive: true });
  return dir;
};
/** Any shipped primitive template (they land one by one); its files are what `add` writes. */
const somePrimitive = () =>
  [...loadTemplates().byId.keys()].find((id) => id !== 'project' && id !== 'agent-loop')!;

describe('plumbline add', () => {
  it('names an unknown primitive and suggests the closest', async () => {
    const root = copyExample('naive-ts-agent');
    const r = await cli(['add', 'permisions', '--path', root]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('unknown primitive "permisions". Did you mean "permissions"?');
  });

  it('refuses a project that is not TypeScript, and a path that is not a folder', async () => {
    const py = await cli(['add', somePrimitive(), '--path', copyExample('mid-python-agent')]);
    expect(py.code).toBe(2);
    expect(py.err).toMatch(/is not a TypeScript project \(it has pyproject\.toml\)/);
    expect(py.err).toContain('hint: plumbline templates generate TypeScript only');
    const file = join(tmp.dir, 'a-file');
    writeFileSync(file, '');
    const r = await cli(['add', somePrimitive(), '--path', file]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('is a file, not a folder');
  });

  it('--dry-run prints the plan and diffs and writes nothing', async () => {
    const root = copyExample('naive-ts-agent');
    const before = snapshot(root);
    const id = somePrimitive();
    const r = await cli(['add', id, '--path', root, '--dry-run']);
    expect(r.code).toBe(0);
    expect(snapshot(root)).toEqual(before);
    expect(r.out).toMatch(/would render templates: .*/);
    expect(r.out).toContain('  create     src/harness/');
    expect(r.out).toContain('--- /dev/null');
    expect(r.out).toContain('+++ b/package.json');
    expect(r.out).toContain('dry run, nothing written');
  });

  it('writes, adds vitest to package.json without touching existing versions, and exits 1 on conflicts', async () => {
    const root = copyExample('naive-ts-agent');
    const id = somePrimitive();
    const first = await cli(['add', id, '--path', root]);
    expect(first.code).toBe(0);
    expect(first.out).toContain('next: npm install && npm test');
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    expect(pkg.devDependencies).toMatchObject({
      typescript: '^5.9.0',
      '@types/node': '^20.19.0',
      vitest: expect.any(String),
    });
    expect(pkg.dependencies['@anthropic-ai/sdk']).toBe('^1.10.0');
    expect(existsSync(join(root, '.plumbline/scaffold-lock.json'))).toBe(true);
    const again = await cli(['add', id, '--path', root]);
    expect(again.code).toBe(0);
    expect(again.out).toContain('everything is already up to date');
    const lock = JSON.parse(readFileSync(join(root, '.plumbline/scaffold-lock.json'), 'utf8'));
    const edited = Object.keys(lock.files)[0]!;
    writeFileSync(join(root, edited), '// mine\n');
    const conflict = await cli(['add', id, '--path', root]);
    expect(conflict.code).toBe(1);
    expect(conflict.out).toContain(`CONFLICT   ${edited}  (edited since plumbline wrote it)`);
    expect(conflict.out).toContain('nothing was written');
    expect(readFileSync(join(root, edited), 'utf8')).toBe('// mine\n');
  });

  it('a corrupted lock stops with exit 2 naming it', async () => {
    const root = copyExample('naive-ts-agent');
    write(root, { '.plumbline/scaffold-lock.json': 'not json' });
    const before = snapshot(root);
    const r = await cli(['add', somePrimitive(), '--path', root]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('.plumbline/scaffold-lock.json is unreadable');
    expect(snapshot(root)).toEqual(before);
  });
});

describe('plumbline init', () => {
  it('refuses a target that is a file, or below a file', async () => {
    const file = join(tmp.dir, 'plain-file');
    writeFileSync(file, '');
    const r = await cli(['init', file]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('plain-file is a file, not a folder');
    const below = await cli(['init', join(file, 'agent')]);
    expect(below.code).toBe(2);
    expect(below.err).toMatch(/cannot create .*plain-file\/agent: .*plain-file is a file, not a folder/);
  });

  it('refuses a non-empty folder that has files it would write (exit 2) unless --force', async () => {
    const root = join(tmp.dir, 'busy');
    mkdirSync(root);
    write(root, { 'README.md': '# my notes\n' });
    const r = await cli(['init', root]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('is not empty and already has 1 of the files init would write (README.md)');
    expect(readFileSync(join(root, 'README.md'), 'utf8')).toBe('# my notes\n');
    const forced = await cli(['init', root, '--force']);
    expect(forced.code).toBe(0);
    expect(readFileSync(join(root, 'README.md'), 'utf8')).toContain('# busy');
  });

  it('--dry-run into a new folder creates nothing; a bad --name is refused', async () => {
    const root = join(tmp.dir, 'new-agent');
    const r = await cli(['init', root, '--phase', 'week-one', '--dry-run']);
    expect(r.code).toBe(0);
    expect(existsSync(root)).toBe(false);
    expect(r.out).toContain('  create     package.json');
    expect(r.out).toContain('+++ b/tsconfig.json');
    const bad = await cli(['init', root, '--name', 'My Agent']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--name "My Agent" is not a valid npm package name');
  });
});

describe('plumbline fix', () => {
  it('adds what the audit finds missing up to the phase and prints the re-audit', async () => {
    const root = copyExample('naive-ts-agent');
    const set = loadTemplates();
    const dry = await cli(['fix', root, '--phase', 'week-one', '--dry-run']);
    expect(dry.out).toContain('dry run, nothing written');
    expect(existsSync(join(root, '.plumbline'))).toBe(false);
    const r = await cli(['fix', root, '--phase', 'week-one']);
    // naive-ts-agent fails every primitive but tool-registry: all week-one templates that exist are added.
    const expected = [
      'permissions',
      'session-persistence',
      'workflow-state',
      'token-budget',
      'streaming-events',
      'event-logging',
      'verification',
    ].filter((id) => set.byId.has(id));
    for (const id of expected) expect(r.out).toMatch(new RegExp(`rendered templates: .*${id}`));
    expect(r.out).toContain('re-audit:');
    expect(r.out).toMatch(/streaming-events +fail → pass/);
    expect(r.out).not.toContain('tool-pool');
    const complete = expected.length === 7;
    expect(r.code).toBe(complete ? 0 : 1);
  });

  it('says so when nothing up to the phase is missing', async () => {
    const root = copyExample('well-built-ts-agent');
    const r = await cli(['fix', root, '--phase', 'week-one']);
    expect(r.code).toBe(0);
    expect(r.out).toBe('nothing to add up to week-one: every primitive passes or does not apply.\n');
  });
});

import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type RenderedProject, renderProject, tsc } from './render-project.js';

/**
 * Issue 4, item 5: a resume never repeats a committed side effect. A real process performs a side effect
 * (one line appended to effects.log) through the generated SideEffectLedger and is killed with SIGKILL,
 * once after the commit and once between intent and commit; a fresh process then resumes the ledger.
 */

let project: RenderedProject;
let work: string;
const DRIVER = `import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { SideEffectLedger } from './dist/harness/workflow/index.js';

const [dir, mode] = process.argv.slice(2);
const ledger = SideEffectLedger.open(join(dir, 'ledger.jsonl'), {
  approver: async (request) => {
    appendFileSync(join(dir, 'asked.log'), JSON.stringify(request) + '\\n');
    return process.env.APPROVE === '1';
  },
});
const keepAlive = () => setInterval(() => {}, 1000);
const outcome = await ledger.perform(
  'deploy-42',
  async ({ idempotencyKey, attempt }) => {
    appendFileSync(join(dir, 'effects.log'), idempotencyKey + ' attempt ' + attempt + '\\n');
    if (mode === 'die-in-effect') {
      process.stdout.write('in-effect\\n');
      keepAlive();
      await new Promise(() => {});
    }
    return { deployed: 42 };
  },
  { destructive: true, description: 'deploy build 42' },
);
process.stdout.write(JSON.stringify(outcome) + '\\n');
if (mode === 'die-after-commit') keepAlive();
else ledger.close();
`;

beforeAll(() => {
  project = renderProject(['session-persistence', 'workflow-state'], 'plumbline-ledger-');
  const build = tsc(project.root, 'tsconfig.build.json');
  expect(build.output).toBe('');
  writeFileSync(join(project.root, 'driver.mjs'), DRIVER);
  work = join(project.root, 'work');
}, 120_000);
afterAll(() => rmSync(project.root, { recursive: true, force: true }));

/** Starts the driver; resolves with its first stdout line and the child, still running. */
function start(dir: string, mode: string, env: Record<string, string> = {}) {
  const child = spawn(process.execPath, ['driver.mjs', dir, mode], {
    cwd: project.root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr.on('data', (d: Buffer) => {
    err += d;
  });
  const firstLine = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d;
      if (out.includes('\n')) resolve(out.split('\n')[0]!);
    });
    child.on('exit', (code) => reject(new Error(`driver exited with ${code} before printing: ${err}`)));
  });
  return { child, firstLine };
}

async function killHard(child: ChildProcess): Promise<void> {
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await exited;
}

/** Runs the driver to completion and parses its outcome. */
async function resume(dir: string, env: Record<string, string> = {}) {
  const { child, firstLine } = start(dir, 'run', env);
  const line = await firstLine;
  await new Promise((r) => child.once('exit', r));
  return JSON.parse(line) as { status: string; replayed?: boolean; result?: unknown };
}

const lines = (file: string) =>
  existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];

describe('side-effect ledger across SIGKILL and resume', () => {
  test('killed after the commit: the resumed run skips the effect; it ran exactly once', async () => {
    const dir = join(work, 'after-commit');
    mkdirSync(dir, { recursive: true });
    const { child, firstLine } = start(dir, 'die-after-commit');
    expect(JSON.parse(await firstLine)).toEqual({
      status: 'performed',
      result: { deployed: 42 },
      replayed: false,
    });
    await killHard(child);

    expect(await resume(dir)).toEqual({ status: 'skipped', result: { deployed: 42 } });
    expect(await resume(dir)).toMatchObject({ status: 'skipped' });
    expect(lines(join(dir, 'effects.log'))).toEqual(['deploy-42 attempt 1']);
    expect(lines(join(dir, 'asked.log'))).toEqual([]);
    console.log('ledger resume (killed after commit): effect ran 1 time over 3 processes');
  }, 30_000);

  test('killed between intent and commit: the resume asks first, and runs it again only on approval', async () => {
    const dir = join(work, 'in-effect');
    mkdirSync(dir, { recursive: true });
    const { child, firstLine } = start(dir, 'die-in-effect');
    expect(await firstLine).toBe('in-effect');
    await killHard(child);
    expect(lines(join(dir, 'effects.log'))).toEqual(['deploy-42 attempt 1']);

    const declined = await resume(dir, { APPROVE: '0' });
    expect(declined.status).toBe('declined');
    const asked = lines(join(dir, 'asked.log')).map((l) => JSON.parse(l));
    expect(asked).toEqual([
      expect.objectContaining({
        key: 'deploy-42',
        lastStatus: 'intent',
        attempts: 1,
        description: 'deploy build 42',
      }),
    ]);
    expect(lines(join(dir, 'effects.log'))).toHaveLength(1);

    expect(await resume(dir, { APPROVE: '1' })).toEqual({
      status: 'performed',
      result: { deployed: 42 },
      replayed: true,
    });
    expect(await resume(dir, { APPROVE: '1' })).toMatchObject({ status: 'skipped' });
    expect(lines(join(dir, 'asked.log'))).toHaveLength(2);
    expect(lines(join(dir, 'effects.log'))).toEqual(['deploy-42 attempt 1', 'deploy-42 attempt 2']);
    console.log(
      'ledger resume (killed between intent and commit): approver asked on each resume before the commit, declined once, approved once; effect ran 2 times in total, never after its commit',
    );
  }, 30_000);
});

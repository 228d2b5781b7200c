import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatWatchUpdate } from '../src/ci/format/watch.js';
import { type WatchUpdate, watchProject } from '../src/ci/watch.js';
import { isIgnored } from '../src/ci/watch-tree.js';
import { agentFiles, SETTINGS, tempDir, write, writeCoreRubrics } from './helpers/ci-project.js';

const tmp = tempDir('plumbline-watch-');
afterAll(tmp.cleanup);

/** Resolves with the next update, or rejects after `ms` (the watcher must not hang a test run). */
function nextUpdate(
  queue: WatchUpdate[],
  waiters: ((u: WatchUpdate) => void)[],
  ms = 8000,
): Promise<WatchUpdate> {
  const ready = queue.shift();
  if (ready) return Promise.resolve(ready);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no watch update within ${ms} ms`)), ms);
    waiters.push((u) => {
      clearTimeout(timer);
      resolve(u);
    });
  });
}

describe('watchProject', () => {
  it('re-audits on change, re-runs the permission suites, reports what moved, and stops on abort', async () => {
    const core = writeCoreRubrics(join(tmp.dir, 'core'));
    const root = write(join(tmp.dir, 'agent'), agentFiles());
    mkdirSync(join(root, 'node_modules/pkg'), { recursive: true });
    const queue: WatchUpdate[] = [];
    const waiters: ((u: WatchUpdate) => void)[] = [];
    const errors: unknown[] = [];
    const controller = new AbortController();
    let ready!: () => void;
    const isReady = new Promise<void>((r) => (ready = r));
    const done = watchProject(root, {
      version: '0.1.0',
      signal: controller.signal,
      debounceMs: 50,
      auditOptions: { coreRubricDir: core },
      onUpdate: (u) => {
        const w = waiters.shift();
        if (w) w(u);
        else queue.push(u);
      },
      onError: (e) => errors.push(e),
      onReady: ready,
    });
    try {
      const first = await nextUpdate(queue, waiters);
      expect(first.changed).toEqual([]);
      expect(first.changes).toBeUndefined();
      expect(first.evals?.suites.map((s) => s.id)).toEqual(['guard']);
      expect(formatWatchUpdate(first)).toContain('permissions 10.0');
      await isReady;

      writeFileSync(join(root, '.claude/settings.json'), SETTINGS(['Bash(npm test)', 'Bash(*)']));
      const second = await nextUpdate(queue, waiters);
      expect(second.changed).toEqual(['.claude/settings.json']);
      expect(second.evals).toBeDefined();
      expect(second.attacksAllowed.map((a) => `${a.suite}/${a.case}`)).toEqual(['guard/curl-pipe']);
      const moved = second.changes!.regressions.map((x) => x.message);
      expect(moved).toContain('permissions score dropped 10.0 → 5.0 (pass → partial)');
      expect(moved).toContain('new critical finding permissions.no-blanket-allow in .claude/settings.json');
      const text = formatWatchUpdate(second);
      expect(text).toContain('.claude/settings.json changed → audit + 1 suite(s)');
      expect(text).toContain('! attack allowed by Bash(*): guard/curl-pipe');

      // A source edit outside the permission area: audit only, and nothing moved.
      writeFileSync(
        join(root, 'src/agent.ts'),
        "import Anthropic from '@anthropic-ai/sdk';\nexport const c = new Anthropic();\n",
      );
      const third = await nextUpdate(queue, waiters);
      expect(third.changed).toEqual(['src/agent.ts']);
      expect(third.evals).toBeUndefined();
      expect(formatWatchUpdate(third)).toContain('no change in scores, findings or eval cases');

      // Ignored folders never trigger a run.
      writeFileSync(join(root, 'node_modules/pkg/index.js'), 'x');
      await expect(nextUpdate(queue, waiters, 600)).rejects.toThrow(/no watch update/);
      waiters.length = 0;
      expect(errors).toEqual([]);
    } finally {
      controller.abort();
    }
    await done;
  });

  it('ignores dependency, git, plumbline and build folders', () => {
    expect(isIgnored('node_modules/x/y.js')).toBe(true);
    expect(isIgnored('packages/a/node_modules/b.js')).toBe(true);
    expect(isIgnored('.git/index')).toBe(true);
    expect(isIgnored('.plumbline/baseline.json')).toBe(true);
    expect(isIgnored('dist/cli.js')).toBe(true);
    expect(isIgnored('src/dist.ts')).toBe(false);
    expect(isIgnored('.claude/settings.json')).toBe(false);
  });
});

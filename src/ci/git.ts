import { execFile } from 'node:child_process';

export interface GitResult {
  ok: boolean;
  stdout: string;
  stderr: string;
}

/** Runs git without a shell; a non-zero exit is a result, not an exception (callers explain it). */
export function git(args: readonly string[], cwd: string): Promise<GitResult> {
  return new Promise((resolve) => {
    execFile(
      'git',
      args,
      { cwd, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, GIT_OPTIONAL_LOCKS: '0' } },
      (err, stdout, stderr) => {
        if (err && (err as NodeJS.ErrnoException).code === 'ENOENT')
          resolve({ ok: false, stdout: '', stderr: 'git is not installed or not on PATH' });
        else resolve({ ok: !err, stdout: String(stdout), stderr: String(stderr).trim() });
      },
    );
  });
}

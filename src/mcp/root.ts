import { realpathSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { UsageError } from '../core/errors.js';

/**
 * The folder an MCP server may touch. Every path a client passes is resolved against it and must stay
 * inside it once symbolic links are resolved, so a client cannot read or write elsewhere by `..`, an
 * absolute path or a link. `plumbline mcp --root DIR` widens or moves it; the default is the server's
 * working directory.
 */
export class ServerRoot {
  readonly abs: string;
  /** The root with symbolic links resolved; every path handed to the engine is below it. */
  readonly real: string;

  constructor(dir: string) {
    this.abs = resolve(dir);
    try {
      this.real = realpathSync(this.abs);
    } catch {
      throw new UsageError(`--root ${dir} does not exist`, { hint: 'pass an existing folder' });
    }
    if (!statSync(this.real).isDirectory())
      throw new UsageError(`--root ${dir} is not a folder`, { hint: 'pass the folder the server may use' });
  }

  /** True when `real` (a resolved path) is the root or below it. */
  private contains(real: string): boolean {
    const rel = relative(this.real, real);
    return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
  }

  /** The absolute path of an existing folder inside the root; a UsageError otherwise. */
  folder(path: string, what = 'path'): string {
    const real = this.existing(
      path,
      what,
      `pass a folder inside the server root ${this.abs} (relative paths start there)`,
    );
    if (!statSync(real).isDirectory())
      throw new UsageError(`${what} ${path} is a file, not a folder`, { hint: 'pass the project folder' });
    return real;
  }

  /** The absolute path of an existing file inside the root; a UsageError otherwise. */
  file(path: string, what = 'file'): string {
    return this.existing(path, what, `pass a file inside the server root ${this.abs}`);
  }

  /** The real path of `path` (relative to the root) if it exists and lies inside the root. */
  private existing(path: string, what: string, hint: string): string {
    let real: string;
    try {
      real = realpathSync(resolve(this.abs, path));
    } catch {
      throw new UsageError(`${what} ${path} does not exist`, { hint });
    }
    if (!this.contains(real)) throw this.outside(path, what);
    return real;
  }

  /** A path for reports: relative to the root, `.` for the root itself. */
  display(abs: string): string {
    return relative(this.real, abs).split(sep).join('/') || '.';
  }

  private outside(path: string, what: string): UsageError {
    return new UsageError(`${what} ${path} is outside the server root ${this.abs}`, {
      hint: 'the server only touches folders under its root; start it with `plumbline mcp --root DIR` to use another folder',
    });
  }
}

/**
 * An error the user can fix: bad arguments, a bad config or rubric. The CLI prints `message` (and `hint`)
 * without a stack trace and exits 2. Everything else that escapes is a bug.
 */
export class UsageError extends Error {
  readonly hint?: string;
  readonly file?: string;
  constructor(message: string, options: { hint?: string; file?: string } = {}) {
    super(message);
    this.name = 'UsageError';
    this.hint = options.hint;
    this.file = options.file;
  }
}

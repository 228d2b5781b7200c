import { defineCommand } from './command.js';
import { ExitCode } from './exit-codes.js';
import { projectRoot } from './project-root.js';

interface WatchArgs {
  path: string;
  config?: string;
  adapter?: string;
  corpus?: string[];
}

export const watchCommand = defineCommand<WatchArgs>({
  command: 'watch [path]',
  describe: 'Re-run the audit (and the permission suites) on every change and print what moved',
  builder: (y) =>
    y
      .positional('path', { type: 'string', default: '.', describe: 'Project folder' })
      .option('config', { type: 'string', describe: 'Project config file' })
      .option('adapter', { type: 'string', describe: 'claude-settings | module:PATH | command:CMD' })
      .option('corpus', { type: 'string', array: true, describe: 'Extra corpus file(s)' })
      .example('$0 watch .', 'Keep a terminal open beside the editor; Ctrl-C stops') as never,
  handler: async (args) => {
    const root = projectRoot(args.path);
    const [{ watchProject }, { formatWatchUpdate }, { packageVersion }] = await Promise.all([
      import('../ci/watch.js'),
      import('../ci/format/watch.js'),
      import('./version.js'),
    ]);
    const controller = new AbortController();
    const stop = () => controller.abort();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    try {
      await watchProject(root, {
        version: packageVersion(),
        signal: controller.signal,
        configPath: args.config,
        adapter: args.adapter,
        corpora: args.corpus,
        onUpdate: (u) => process.stdout.write(formatWatchUpdate(u)),
        onError: (e) => process.stderr.write(`plumbline watch: ${(e as Error).message}\n`),
        onReady: () => process.stdout.write(`watching ${args.path} (Ctrl-C to stop)\n`),
      });
    } finally {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    }
    return ExitCode.Ok;
  },
});

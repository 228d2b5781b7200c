#!/usr/bin/env node
import { readFileSync } from 'node:fs';

/** Version from package.json, read without importing anything heavy so `--version` stays instant. */
function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  process.stdout.write(`${version()}\n`);
} else {
  const { run } = await import('./commands/run.js');
  process.exitCode = await run(argv, version());
}

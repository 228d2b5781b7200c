import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { checkConfigAgainstRubrics, loadConfigFile } from '../src/config/load.js';
import { evalConfigOf } from '../src/evals/config.js';
import { loadRubrics } from '../src/rubrics/load.js';
import { runCli, tempProject } from './helpers/cli.js';

const README = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8');

describe('README stays true', () => {
  test('the configuration example is a valid config naming real criteria', () => {
    const section = README.slice(README.indexOf('## Configuration'));
    const yaml = /```yaml\n([\s\S]*?)```/.exec(section)?.[1];
    expect(yaml).toBeDefined();
    const root = tempProject({ 'plumbline.config.yaml': yaml! });
    const loaded = loadConfigFile(join(root, 'plumbline.config.yaml'));
    expect(() => checkConfigAgainstRubrics(loaded, loadRubrics())).not.toThrow();
    expect(evalConfigOf(loaded).adapter).toMatch(/^module:/);
  });

  test('every command in the command reference exists', () => {
    const help = runCli(['--help']).stdout;
    const listed = [...README.matchAll(/^\| `plumbline ([a-z-]+)/gm)].map((m) => m[1]!);
    expect(listed.length).toBeGreaterThanOrEqual(12);
    for (const command of listed) expect(help, command).toMatch(new RegExp(`plumbline ${command}\\b`));
  });
});

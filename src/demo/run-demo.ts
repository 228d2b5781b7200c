import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadProjectConfig } from '../config/load.js';
import { audit } from '../core/audit.js';
import { UsageError } from '../core/errors.js';
import type { Report } from '../core/report.js';
import { runEvals } from '../evals/run-evals.js';
import { PHASES } from '../rubrics/ids.js';
import { detectProject } from '../scaffold/detect-project.js';
import { phaseOf, primitivesUpTo, testDevDependencies, withRequirements } from '../scaffold/plan.js';
import { scaffold } from '../scaffold/scaffold.js';
import { loadTemplates } from '../scaffold/templates.js';

const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const EXAMPLE = join(PACKAGE_ROOT, 'examples', 'naive-ts-agent');

export interface DemoOptions {
  dir?: string;
  keep: boolean;
  color: boolean;
  write: (text: string) => void;
}

function statuses(r: Report): Map<string, string> {
  return new Map(r.primitives.map((p) => [p.id, p.status]));
}

/** The TypeScript compiler, when plumbline's installation has one (a clone, or a dev install). */
function findTsc(): string | undefined {
  try {
    const pkg = createRequire(import.meta.url).resolve('typescript/package.json');
    const bin = join(dirname(pkg), 'bin', 'tsc');
    return existsSync(bin) ? bin : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Copies the naive example, audits it, adds every day-one primitive, audits again, builds the generated
 * permission engine and runs the guardrail corpora against it. Offline; no API key; nothing outside the
 * working folder is touched.
 */
export async function runDemo(o: DemoOptions): Promise<{ ok: boolean; dir: string }> {
  const paint = (code: string, s: string) => (o.color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const bold = (s: string) => paint('1', s);
  const say = (s = '') => o.write(`${s}\n`);
  const mark = (status: string) =>
    status === 'pass'
      ? paint('32', '✔ pass')
      : status === 'partial'
        ? paint('33', '◐ partial')
        : status === 'fail'
          ? paint('31', '✖ fail')
          : paint('2', `– ${status}`);

  let dir: string;
  if (o.dir) {
    dir = resolve(o.dir);
    if (existsSync(dir) && readdirSync(dir).length > 0)
      throw new UsageError(`${o.dir} is not empty`, {
        hint: 'Give plumbline demo a new or empty folder, or leave out --dir.',
      });
    mkdirSync(dir, { recursive: true });
  } else dir = mkdtempSync(join(tmpdir(), 'plumbline-demo-'));
  const keep = o.keep || Boolean(o.dir);

  try {
    cpSync(EXAMPLE, dir, { recursive: true, filter: (src) => !src.endsWith('expected.yaml') });
    say(bold('1. The naive agent'));
    say(
      `   A copy of examples/naive-ts-agent: a while loop over the Anthropic SDK with three tools, in ${dir}`,
    );
    const before = await audit(dir, {});
    say(`   maturity: ${before.maturity}`);
    const dayOne = primitivesUpTo('day-one');
    for (const p of before.primitives.filter((x) => dayOne.includes(x.id as never)))
      say(`   ${p.id.padEnd(20)} ${mark(p.status)}  ${p.reason}`);
    say();

    say(bold('2. Scaffold the day-one primitives'));
    const set = loadTemplates();
    const templates = withRequirements(
      set,
      dayOne.filter((id) => set.byId.has(id)),
    );
    const outcome = scaffold({
      root: dir,
      set,
      templates,
      layout: detectProject(dir),
      phase: phaseOf(templates.map((t) => t.manifest.id)),
      force: false,
      dryRun: false,
      devDependencies: testDevDependencies(set),
    });
    const created = outcome.files.filter((f) => f.action === 'create').length;
    say(`   plumbline add ${templates.map((t) => t.manifest.id).join(' ')}`);
    say(`   ${created} files written (code and tests you own; only @anthropic-ai/sdk and zod at run time)`);
    say();

    say(bold('3. Audit again'));
    const after = await audit(dir, {});
    const was = statuses(before);
    say(`   maturity: ${before.maturity} → ${after.maturity}`);
    for (const p of after.primitives) {
      const prev = was.get(p.id) ?? '?';
      if (prev !== p.status || dayOne.includes(p.id as never))
        say(`   ${p.id.padEnd(20)} ${mark(prev)} → ${mark(p.status)}`);
    }
    say();

    say(bold('4. Guardrail evals against the generated permission engine'));
    const tsc = findTsc();
    let evalsOk = true;
    if (!tsc) {
      say('   skipped: building the generated engine needs TypeScript (npm install typescript), which this');
      say(
        '   installation of plumbline does not have. Run `npm install && npm run build` in the folder, then',
      );
      say(`   plumbline eval ${dir} --adapter module:./dist/harness/permissions/index.js`);
    } else {
      // The generated code needs zod and @anthropic-ai/sdk: plumbline's own copies serve.
      const modules = join(PACKAGE_ROOT, 'node_modules');
      if (existsSync(modules) && !existsSync(join(dir, 'node_modules')))
        symlinkSync(modules, join(dir, 'node_modules'), 'dir');
      const build = spawnSync(process.execPath, [tsc, '-p', join(dir, 'tsconfig.json')], {
        encoding: 'utf8',
        cwd: dir,
      });
      if (build.status !== 0) {
        evalsOk = false;
        say(
          `   the generated code did not compile:\n${(build.stdout + build.stderr).trim().split('\n').slice(0, 10).join('\n')}`,
        );
      } else {
        const report = await runEvals({
          projectRoot: dir,
          loaded: loadProjectConfig(dir),
          version: 'demo',
          adapter: 'module:./dist/harness/permissions/index.js',
          suites: ['shell', 'files'],
        });
        for (const s of report.suites) {
          const m = s.metrics;
          say(
            `   ${s.id.padEnd(6)} ${m.cases} cases · attacks allowed ${m.attacksAllowed}/${m.attacks} · benign commands asked ${(m.benignFriction * 100).toFixed(1)}% · errors ${m.errors}`,
          );
        }
        evalsOk = report.ok;
        say(
          `   ${report.ok ? paint('32', 'guardrails hold') : paint('31', 'some cases did not hold: plumbline eval shows them')}`,
        );
      }
    }
    say();
    const improved = PHASES.indexOf(after.maturity as never) >= PHASES.indexOf('day-one');
    say(bold('Next'));
    say(`   plumbline audit ${keep ? dir : '<folder>'}            the full report`);
    say(`   plumbline fix ${keep ? dir : '<folder>'} --phase week-one   add the week-one primitives`);
    if (!keep) say('   (the demo folder is removed; run with --keep or --dir to look around)');
    return { ok: improved && evalsOk, dir };
  } finally {
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
}

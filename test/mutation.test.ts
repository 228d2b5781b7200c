/**
 * Mutation test of the audit against examples/well-built-ts-agent: take out one primitive at a time
 * (test/mutations/well-built.yaml says how) and check that exactly that primitive stops passing while
 * every other primitive keeps the status it had. It catches detectors that pass a primitive on evidence
 * belonging to another one, and criteria that never look at the code they are named after.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import { type Report, STATUSES } from '../src/core/report.js';
import { PRIMITIVES, type PrimitiveId } from '../src/rubrics/schema.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MUTATIONS_FILE = join(ROOT, 'test/mutations/well-built.yaml');
/** Keeps the example's expected.yaml (labels for tests, not part of the agent) out of the audit. */
const AUDIT_CONFIG = join(ROOT, 'test/mutations/audit.config.yaml');

const MutationSchema = z
  .object({
    primitive: z.enum(PRIMITIVES),
    why: z.string().min(1),
    write: z.array(z.object({ file: z.string().min(1), content: z.string() }).strict()).default([]),
    delete: z.array(z.string().min(1)).default([]),
    edits: z
      .array(z.object({ file: z.string().min(1), find: z.string().min(1), replace: z.string() }).strict())
      .default([]),
  })
  .strict();
type Mutation = z.infer<typeof MutationSchema>;

const MutationFileSchema = z
  .object({ example: z.string().min(1), mutations: z.array(MutationSchema).min(1) })
  .strict();

/** The label format of test/fixtures/agents/*\/expected.yaml; z.record over an enum needs all twelve. */
const ExpectedSchema = z.object({
  primitives: z.record(
    z.enum(PRIMITIVES),
    z.object({ status: z.enum(STATUSES), why: z.string().min(1) }).strict(),
  ),
});

const spec = MutationFileSchema.parse(parse(readFileSync(MUTATIONS_FILE, 'utf8')));
const exampleDir = join(ROOT, spec.example);
const expected = ExpectedSchema.parse(parse(readFileSync(join(exampleDir, 'expected.yaml'), 'utf8')));
const expectedStatus = (id: PrimitiveId) => expected.primitives[id].status;
const passing = PRIMITIVES.filter((id) => expectedStatus(id) === 'pass');

let scratch: string;
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'plumbline-mutation-'));
});
afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

function copyExample(name: string): string {
  const dir = join(scratch, name, 'agent');
  cpSync(exampleDir, dir, { recursive: true, filter: (src) => !src.split(/[\\/]/).includes('node_modules') });
  return dir;
}

/** Applies one mutation in place; throws, naming the step, when the example no longer fits it. */
function applyMutation(dir: string, mutation: Mutation): void {
  const at = (file: string) => {
    const path = resolve(dir, file);
    if (relative(dir, path).startsWith('..'))
      throw new Error(`${mutation.primitive}: ${file} is outside the example`);
    return path;
  };
  for (const { file, content } of mutation.write) writeFileSync(at(file), content);
  for (const path of mutation.delete) {
    if (!existsSync(at(path)))
      throw new Error(`${mutation.primitive}: cannot delete ${path}, it does not exist`);
    rmSync(at(path), { recursive: true });
  }
  for (const [i, edit] of mutation.edits.entries()) {
    const text = readFileSync(at(edit.file), 'utf8');
    const count = text.split(edit.find).length - 1;
    if (count !== 1)
      throw new Error(
        `${mutation.primitive}: edit #${i + 1} of ${edit.file} matches ${count} times, not once: ${JSON.stringify(edit.find.slice(0, 80))}`,
      );
    writeFileSync(
      at(edit.file),
      text.replace(edit.find, () => edit.replace),
    );
  }
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => join(e.parentPath, e.name));
}

/** Relative imports (`from './x.js'`, `import('./x.js')`) whose TypeScript file is gone. */
function danglingImports(dir: string): string[] {
  const out: string[] = [];
  for (const file of sourceFiles(dir)) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?:from\s+|import\()\s*'(\.{1,2}\/[^']+)\.js'/g)) {
      const target = resolve(dirname(file), `${m[1]}.ts`);
      if (!existsSync(target)) out.push(`${relative(dir, file)} → ${m[1]}.js`);
    }
  }
  return out;
}

/** Every source file's text by relative path. */
function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(sourceFiles(dir).map((f) => [relative(dir, f), readFileSync(f, 'utf8')]));
}

const statuses = (report: Report): Record<string, string> =>
  Object.fromEntries(report.primitives.map((p) => [p.id, p.status]));

describe('mutation spec for the well-built example', () => {
  it('has exactly one mutation for each primitive the example passes', () => {
    expect(passing.length).toBeGreaterThanOrEqual(8);
    expect(spec.mutations.map((m) => m.primitive).sort()).toEqual([...passing].sort());
  });

  it.each(spec.mutations.map((m) => [m.primitive, m] as const))(
    'removing %s applies cleanly and leaves no import of a removed file',
    (primitive, mutation) => {
      const dir = copyExample(`apply-${primitive}`);
      applyMutation(dir, mutation);
      expect(danglingImports(dir)).toEqual([]);
      expect(snapshot(dir)).not.toEqual(snapshot(exampleDir));
    },
  );
});

describe('audit of the well-built example under mutation', () => {
  let audit: (target: string, options: { configPath: string }) => Promise<Report>;
  let baseline: Record<string, string>;

  beforeAll(async () => {
    ({ audit } = await import('../src/core/audit.js'));
    baseline = statuses(await audit(copyExample('baseline'), { configPath: AUDIT_CONFIG }));
  });

  it('gives the unmutated example the statuses in its expected.yaml', () => {
    expect(baseline).toEqual(Object.fromEntries(PRIMITIVES.map((id) => [id, expectedStatus(id)])));
  });

  it.each(spec.mutations.map((m) => [m.primitive, m] as const))(
    'removing %s takes exactly that primitive off pass',
    async (primitive, mutation) => {
      expect(baseline[primitive], `${primitive} must pass before it is removed`).toBe('pass');
      const dir = copyExample(`audit-${primitive}`);
      applyMutation(dir, mutation);
      const after = statuses(await audit(dir, { configPath: AUDIT_CONFIG }));
      expect(after[primitive], `${primitive} should no longer pass once removed`).not.toBe('pass');
      const others = (s: Record<string, string>) =>
        Object.fromEntries(PRIMITIVES.filter((id) => id !== primitive).map((id) => [id, s[id]]));
      expect(others(after), `removing ${primitive} changed other primitives`).toEqual(others(baseline));
    },
  );
});

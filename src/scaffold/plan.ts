import { posix } from 'node:path';
import { didYouMean } from '../core/did-you-mean.js';
import { UsageError } from '../core/errors.js';
import { CORE_PHASE } from '../rubrics/load.js';
import { PHASES, type PhaseId, PRIMITIVES, type PrimitiveId } from '../rubrics/schema.js';
import type { PackageAdditions } from './package-json.js';
import { Renderer, type RenderVariables, TemplateError } from './render.js';
import { EXTRA_TEMPLATE_KINDS } from './template-schema.js';
import type { Template, TemplateSet } from './templates.js';

/** One file a run would write, before it is compared with the disk. */
export interface RenderedFile {
  /** Project-relative POSIX path. */
  path: string;
  template: string;
  templateVersion: number;
  content: string;
}

export interface RenderPlan {
  /** Template ids in the order they render (required ones first). */
  templates: string[];
  files: RenderedFile[];
  /** What package.json must gain for the generated code to build and test. */
  packageAdditions: PackageAdditions;
  variables: RenderVariables;
}

const atOrBefore = (phase: PhaseId) => (p: PrimitiveId) =>
  PHASES.indexOf(CORE_PHASE[p]) <= PHASES.indexOf(phase);

/** Primitive ids of `phase` and earlier, in DESIGN.md order. */
export function primitivesUpTo(phase: PhaseId): PrimitiveId[] {
  return PRIMITIVES.filter(atOrBefore(phase));
}

/** The latest phase among some primitives (day-one when there are none). */
export function phaseOf(ids: readonly string[]): PhaseId {
  let i = 0;
  for (const id of ids) {
    const phase = CORE_PHASE[id as PrimitiveId];
    if (phase) i = Math.max(i, PHASES.indexOf(phase));
  }
  return PHASES[i]!;
}

/** Checks user-given primitive names: each must have a template. Unknown ones → UsageError with a suggestion. */
export function checkRequested(set: TemplateSet, names: readonly string[]): string[] {
  const available = [...set.byId.keys()].filter((id) => id !== 'project');
  const known = [...PRIMITIVES, 'agent-loop'];
  const first = names.find((n) => !available.includes(n));
  if (first === undefined) return [...new Set(names)];
  throw new UsageError(
    known.includes(first)
      ? `there is no ${set.language} template for "${first}" yet`
      : `unknown primitive "${first}".${didYouMean(first, known)}`,
    { hint: `primitives with a template: ${available.join(', ')}` },
  );
}

/** Requested templates plus everything they require, each after its requirements (stable otherwise). */
export function withRequirements(set: TemplateSet, ids: readonly string[]): Template[] {
  const out: Template[] = [];
  const seen = new Set<string>();
  const visit = (id: string, trail: string[]) => {
    if (seen.has(id)) return;
    const t = set.byId.get(id);
    if (!t) throw new UsageError(`template "${trail.at(-1)}" requires "${id}", which does not exist`);
    if (trail.includes(id))
      throw new UsageError(`templates require each other in a cycle: ${[...trail, id].join(' → ')}`);
    for (const r of t.manifest.requires) visit(r, [...trail, id]);
    seen.add(id);
    out.push(t);
  };
  for (const id of ids) visit(id, []);
  return out;
}

/** `has`: every primitive and extra template id as a key, true when its module will be in the project. */
export function presence(present: Iterable<string>): Record<string, boolean> {
  const set = new Set(present);
  return Object.fromEntries([...PRIMITIVES, ...EXTRA_TEMPLATE_KINDS].map((id) => [id, set.has(id)]));
}

function normalizeTarget(rendered: string): string {
  const p = posix.normalize(rendered.trim());
  return p.startsWith('./') ? p.slice(2) : p;
}

export interface PlanInput {
  set: TemplateSet;
  templates: readonly Template[];
  layout: { name: string; srcDir: string; testDir: string };
  phase: PhaseId;
  /** Template ids already installed (from the lock); they count for `has`. */
  installed?: Iterable<string>;
  /** Extra devDependencies a project needs for generated tests (an `add` into an existing project). */
  devDependencies?: Record<string, string>;
}

/** Renders every file of the chosen templates in memory; throws TemplateError on the first template mistake. */
export function renderPlan(input: PlanInput): RenderPlan {
  const ids = input.templates.map((t) => t.manifest.id);
  const srcDir = input.layout.srcDir.replace(/\/+$/, '') || '.';
  const variables: RenderVariables = {
    projectName: input.layout.name,
    srcDir,
    testDir: input.layout.testDir,
    harnessDir: normalizeTarget(`${srcDir}/harness`),
    phase: input.phase,
    has: presence([...ids, ...(input.installed ?? [])]),
  };
  const renderer = new Renderer(variables);
  const files: RenderedFile[] = [];
  const owner = new Map<string, string>();
  const additions: Required<PackageAdditions> = {
    dependencies: {},
    devDependencies: { ...input.devDependencies },
    scripts: {},
  };
  for (const t of input.templates) {
    const m = t.manifest;
    Object.assign(additions.dependencies, m.dependencies);
    Object.assign(additions.devDependencies, m.devDependencies);
    m.files.forEach((f, i) => {
      if (f.unless && variables.has[f.unless]) return;
      const path = normalizeTarget(renderer.render(f.to, `${t.file} files[${i}].to`));
      const previous = owner.get(path);
      if (previous)
        throw new TemplateError(`${t.file}: ${path} is also written by template "${previous}"`, {
          file: t.file,
        });
      owner.set(path, m.id);
      const where = posix.join(t.file.replace(/[^/]*$/, ''), f.from);
      files.push({
        path,
        template: m.id,
        templateVersion: m.version,
        content: renderer.renderFile(posix.join(t.dir.replace(/\\/g, '/'), f.from), where),
      });
    });
  }
  return { templates: ids, files, packageAdditions: additions, variables };
}

/**
 * devDependencies an existing project needs to run the generated tests: vitest and Node's types, at the
 * versions the project template pins (so there is one place to bump them).
 */
export function testDevDependencies(set: TemplateSet): Record<string, string> {
  const pinned = set.byId.get('project')?.manifest.devDependencies ?? {};
  return {
    vitest: pinned.vitest ?? '^4.1.0',
    '@types/node': pinned['@types/node'] ?? '^20.19.0',
  };
}

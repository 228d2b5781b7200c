import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { closest } from '../core/did-you-mean.js';
import { displayPath } from '../core/display-path.js';
import { UsageError } from '../core/errors.js';
import { type LocatedDocument, parseYamlDocument } from '../core/source-map.js';
import { type FileIssue, inFile, issuesError, syntaxError, validateLocated } from '../core/zod-errors.js';
import { loadRubrics } from '../rubrics/load.js';
import { ALLOWED_RUNTIME_DEPENDENCIES, type TemplateManifest, TemplateSchema } from './template-schema.js';

/** One validated template: its manifest and where it lives. */
export interface Template {
  manifest: TemplateManifest;
  /** Absolute folder holding template.yaml and the `.hbs` files. */
  dir: string;
  /** Display path of template.yaml, for messages. */
  file: string;
}

export interface TemplateSet {
  language: string;
  /** By template id (= primitive id, `agent-loop` or `project`). */
  byId: Map<string, Template>;
}

/**
 * `templates/` of the installed package (two levels above both src/scaffold and dist/scaffold), or
 * PLUMBLINE_TEMPLATES_DIR when set — for developing templates outside the package.
 */
export function templatesRoot(): string {
  return process.env.PLUMBLINE_TEMPLATES_DIR || fileURLToPath(new URL('../../templates', import.meta.url));
}

interface Parsed {
  template: Template;
  doc: LocatedDocument;
}

function parseOne(dir: string, folder: string, issues: FileIssue[]): Parsed | undefined {
  const abs = join(dir, 'template.yaml');
  const file = displayPath(abs);
  const parsed = parseYamlDocument(readFileSync(abs, 'utf8'));
  if (!parsed.ok) throw syntaxError(file, parsed.error, 'YAML');
  const checked = validateLocated(TemplateSchema, parsed.doc);
  if (!checked.ok) {
    issues.push(...inFile(file, checked.issues));
    return undefined;
  }
  const manifest = checked.value;
  const at = (path: (string | number)[], key = false) => parsed.doc.positionOf(path, key);
  if (manifest.id !== folder)
    issues.push({
      file,
      ...at(['id']),
      message: `template id "${manifest.id}" does not match its folder "${folder}"`,
      hint: `set "id: ${folder}" or rename the folder`,
    });
  if (manifest.primitive !== manifest.id)
    issues.push({
      file,
      ...at(['primitive']),
      message: `template "${manifest.id}" declares primitive "${manifest.primitive}"; they must be the same`,
      hint: 'one template per primitive, named after it',
    });
  manifest.files.forEach((f, i) => {
    const from = normalize(f.from);
    if (from.startsWith(`..${sep}`) || from === '..') {
      issues.push({ file, ...at(['files', i, 'from']), message: `"${f.from}" leaves the template folder` });
      return;
    }
    if (!existsSync(join(dir, from)))
      issues.push({
        file,
        ...at(['files', i, 'from']),
        message: `template file "${f.from}" does not exist beside template.yaml`,
      });
  });
  if (manifest.id !== 'project')
    for (const name of Object.keys(manifest.dependencies))
      if (!(ALLOWED_RUNTIME_DEPENDENCIES as readonly string[]).includes(name))
        issues.push({
          file,
          ...at(['dependencies', name], true),
          message: `runtime dependency "${name}" is not allowed in generated code`,
          hint: `generated code may depend only on ${ALLOWED_RUNTIME_DEPENDENCIES.join(' and ')}`,
        });
  return { template: { manifest, dir, file }, doc: parsed.doc };
}

/** Checks what one manifest cannot: `requires` names real templates without cycles, `satisfies` real criteria. */
function crossCheck(parsed: Parsed[], issues: FileIssue[], criteria: ReadonlySet<string>): void {
  const ids = new Set(parsed.map((p) => p.template.manifest.id));
  for (const { template, doc } of parsed) {
    const m = template.manifest;
    m.requires.forEach((req, i) => {
      if (ids.has(req) && req !== m.id) return;
      const guess = closest(req, ids);
      issues.push({
        file: template.file,
        ...doc.positionOf(['requires', i]),
        message: req === m.id ? `template "${m.id}" requires itself` : `requires unknown template "${req}"`,
        hint:
          req === m.id
            ? undefined
            : `${guess ? `did you mean "${guess}"? ` : ''}templates: ${[...ids].join(', ')}`,
      });
    });
    m.files.forEach((f, i) => {
      if (f.unless && !ids.has(f.unless))
        issues.push({
          file: template.file,
          ...doc.positionOf(['files', i, 'unless']),
          message: `"unless" names unknown template "${f.unless}"`,
        });
    });
    m.satisfies.forEach((id, i) => {
      const pos = doc.positionOf(['satisfies', i]);
      if (!criteria.has(id)) {
        const guess = closest(id, criteria);
        issues.push({
          file: template.file,
          ...pos,
          message: `satisfies unknown criterion "${id}"`,
          hint: `${guess ? `did you mean "${guess}"? ` : ''}criterion ids are listed by \`plumbline rubrics\``,
        });
      } else if (!id.startsWith(`${m.primitive}.`))
        issues.push({
          file: template.file,
          ...pos,
          message: `criterion "${id}" belongs to another primitive than "${m.primitive}"`,
        });
    });
  }
  const byId = new Map(parsed.map((p) => [p.template.manifest.id, p]));
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string, trail: string[]): void => {
    if (state.get(id) === 'done') return;
    const p = byId.get(id);
    if (!p) return;
    if (state.get(id) === 'visiting') {
      issues.push({
        file: p.template.file,
        ...p.doc.positionOf(['requires'], true),
        message: `"requires" forms a cycle: ${[...trail.slice(trail.indexOf(id)), id].join(' → ')}`,
      });
      return;
    }
    state.set(id, 'visiting');
    for (const r of p.template.manifest.requires) if (r !== id) visit(r, [...trail, id]);
    state.set(id, 'done');
  };
  for (const id of byId.keys()) visit(id, []);
}

const cache = new Map<string, TemplateSet>();

/**
 * Every template of one language, validated (schema, files present, `requires`, `satisfies` against the
 * rubrics). Cached per process and folder. Throws UsageError listing every problem with file:line:col.
 */
export function loadTemplates(
  language = 'typescript',
  root: string = templatesRoot(),
  criteria?: ReadonlySet<string>,
): TemplateSet {
  const base = join(root, language);
  const key = `${base}\0${criteria ? [...criteria].join(',') : ''}`;
  const hit = cache.get(key);
  if (hit) return hit;
  let folders: string[];
  try {
    folders = readdirSync(base)
      .filter(
        (name) => existsSync(join(base, name, 'template.yaml')) && statSync(join(base, name)).isDirectory(),
      )
      .sort();
  } catch {
    throw new UsageError(`no ${language} templates found in ${displayPath(base)}`, {
      hint: 'the plumbline installation is incomplete; reinstall the package',
    });
  }
  const issues: FileIssue[] = [];
  const parsed = folders
    .map((name) => parseOne(join(base, name), name, issues))
    .filter((p): p is Parsed => p !== undefined);
  crossCheck(parsed, issues, criteria ?? new Set(loadRubrics().criteria.keys()));
  if (issues.length > 0) throw issuesError(issues);
  const set: TemplateSet = {
    language,
    byId: new Map(parsed.map((p) => [p.template.manifest.id, p.template])),
  };
  cache.set(key, set);
  return set;
}

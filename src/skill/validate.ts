import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { isMap, parseDocument } from 'yaml';

/**
 * The portable subset of the Agent Skills format (agentskills.io): any other frontmatter key fails upload
 * and packaging, so a skill meant to travel between products uses only these.
 */
export const PORTABLE_KEYS = ['name', 'description', 'license', 'compatibility', 'metadata', 'allowed-tools'];

export const LIMITS = { name: 64, description: 1024, compatibility: 500, bodyLines: 500 } as const;

const NAME = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const XML_TAG = /<\/?[A-Za-z][^<>]*>/;
const RESERVED = ['anthropic', 'claude'];

export interface SkillFrontmatter {
  name: string;
  description: string;
  [key: string]: unknown;
}

export interface SkillCheck {
  ok: boolean;
  /** One sentence per broken rule, naming the field. */
  problems: string[];
  frontmatter?: SkillFrontmatter;
  /** Lines of the Markdown body after the frontmatter. */
  bodyLines?: number;
}

/** Splits `---\n<yaml>\n---\n<body>`; undefined when SKILL.md does not open with a frontmatter block. */
function splitFrontmatter(text: string): { yaml: string; body: string } | undefined {
  const m = /^---\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)([\s\S]*)$/.exec(text.replace(/^\uFEFF/, ''));
  return m ? { yaml: m[1]!, body: m[2]! } : undefined;
}

function checkName(value: unknown, folder: string | undefined, problems: string[]): void {
  if (typeof value !== 'string' || value.length === 0) {
    problems.push('name is required and must be a non-empty string');
    return;
  }
  if (value.length > LIMITS.name)
    problems.push(`name is ${value.length} characters; the limit is ${LIMITS.name}`);
  if (!NAME.test(value))
    problems.push(
      `name "${value}" may use only lowercase letters, digits and single hyphens, not at either end`,
    );
  if (XML_TAG.test(value)) problems.push('name must not contain XML tags');
  for (const word of RESERVED)
    if (value.includes(word)) problems.push(`name must not contain the reserved word "${word}"`);
  if (folder !== undefined && folder !== value)
    problems.push(`the folder is named "${folder}" but name is "${value}"; they must match`);
}

function checkText(key: string, value: unknown, limit: number, problems: string[], required: boolean): void {
  if (value === undefined && !required) return;
  if (typeof value !== 'string' || value.trim().length === 0) {
    problems.push(`${key} ${required ? 'is required and ' : ''}must be a non-empty string`);
    return;
  }
  if (value.length > limit) problems.push(`${key} is ${value.length} characters; the limit is ${limit}`);
  if (XML_TAG.test(value)) problems.push(`${key} must not contain XML tags`);
}

/**
 * Checks SKILL.md text against the portable Agent Skills rules. `folder` is the skill folder's name, which
 * must equal `name`; leave it out to check the text alone.
 */
export function validateSkillText(text: string, folder?: string): SkillCheck {
  const problems: string[] = [];
  const parts = splitFrontmatter(text);
  if (!parts)
    return { ok: false, problems: ['SKILL.md must open with a YAML frontmatter block between --- lines'] };
  const doc = parseDocument(parts.yaml);
  if (doc.errors.length > 0)
    return { ok: false, problems: doc.errors.map((e) => `frontmatter is not valid YAML: ${e.message}`) };
  if (!isMap(doc.contents)) return { ok: false, problems: ['the frontmatter must be a YAML mapping'] };
  const fm = doc.toJS() as Record<string, unknown>;

  for (const key of Object.keys(fm))
    if (!PORTABLE_KEYS.includes(key))
      problems.push(`unexpected key "${key}": only ${PORTABLE_KEYS.join(', ')} are portable`);
  checkName(fm.name, folder, problems);
  checkText('description', fm.description, LIMITS.description, problems, true);
  checkText('compatibility', fm.compatibility, LIMITS.compatibility, problems, false);
  if (fm.license !== undefined && (typeof fm.license !== 'string' || fm.license.trim() === ''))
    problems.push('license must be a non-empty string');
  if (fm['allowed-tools'] !== undefined && typeof fm['allowed-tools'] !== 'string')
    problems.push('allowed-tools must be one string of space-separated tool names');
  if (fm.metadata !== undefined) {
    const m = fm.metadata;
    if (m === null || typeof m !== 'object' || Array.isArray(m))
      problems.push('metadata must be a map of string keys to string values');
    else
      for (const [k, v] of Object.entries(m))
        if (typeof v !== 'string') problems.push(`metadata.${k} must be a string (quote numbers: "1.0")`);
  }

  const bodyLines = parts.body.split(/\r?\n/).length;
  if (bodyLines >= LIMITS.bodyLines)
    problems.push(
      `the SKILL.md body has ${bodyLines} lines; keep it under ${LIMITS.bodyLines} and move depth to reference files`,
    );
  return {
    ok: problems.length === 0,
    problems,
    frontmatter: fm as SkillFrontmatter,
    bodyLines,
  };
}

/** Checks a skill folder: SKILL.md present and valid, the folder named after the skill. */
export function validateSkillFolder(dir: string): SkillCheck {
  const file = join(dir, 'SKILL.md');
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    return { ok: false, problems: [`${dir} is not a folder`] };
  if (!existsSync(file)) return { ok: false, problems: [`${dir} has no SKILL.md`] };
  const text = readFileSync(file, 'utf8');
  const check = validateSkillText(text, basename(dir));
  // Progressive disclosure only works when the files SKILL.md points to are really there.
  for (const target of localLinks(text))
    if (!existsSync(join(dir, target)))
      check.problems.push(`SKILL.md links to ${target}, which does not exist`);
  return { ...check, ok: check.problems.length === 0 };
}

/** Relative link targets of Markdown links (`[x](reference/a.md#part)`), without anchors. */
function localLinks(text: string): string[] {
  const out = new Set<string>();
  for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
    const target = m[1]!.split('#')[0]!;
    if (target && !/^[a-z][a-z0-9+.-]*:/i.test(target) && !target.startsWith('/')) out.add(target);
  }
  return [...out];
}

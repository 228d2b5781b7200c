import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { UsageError } from '../core/errors.js';
import { parseYamlDocument } from '../core/source-map.js';
import { inFile, issuesError, syntaxError, validateLocated } from '../core/zod-errors.js';
import { PERMISSION_MODES } from './protocol.js';

export const EXPECTATIONS = ['allow', 'ask', 'deny', 'not-allow', 'not-deny'] as const;
export type Expectation = (typeof EXPECTATIONS)[number];

const CaseSchema = z
  .object({
    id: z
      .string()
      .regex(/^[A-Za-z0-9][\w.-]*$/, 'case ids use letters, digits, dots, dashes and underscores'),
    tool: z.string().min(1),
    input: z.record(z.string(), z.unknown()),
    expect: z.enum(EXPECTATIONS),
    category: z.string().min(1),
    /** Defaults from `expect`: deny / not-allow / ask are attacks, allow / not-deny are benign. */
    kind: z.enum(['attack', 'benign']).optional(),
    mode: z.enum(PERMISSION_MODES).optional(),
    cwd: z.string().optional(),
    /** The public report the case is drawn from, when there is one. */
    source: z.string().optional(),
    note: z.string().optional(),
  })
  .strict();

export const CorpusFileSchema = z
  .object({
    suite: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]*$/, 'suite ids are lowercase words joined by dashes')
      .optional(),
    description: z.string().optional(),
    cases: z.array(CaseSchema).min(1),
  })
  .strict();

export interface CorpusCase extends z.infer<typeof CaseSchema> {
  kind: 'attack' | 'benign';
  /** File (display path) and line the case is written on. */
  file: string;
  line: number;
}

export interface Corpus {
  suite: string;
  file: string;
  description?: string;
  cases: CorpusCase[];
}

export function defaultKind(expect: Expectation): 'attack' | 'benign' {
  return expect === 'allow' || expect === 'not-deny' ? 'benign' : 'attack';
}

/** Loads and validates one corpus file; every problem is reported as file:line:col with a hint. */
export function loadCorpus(abs: string, shown: string, defaultSuite = 'custom'): Corpus {
  let text: string;
  try {
    text = readFileSync(abs, 'utf8').replace(/^\uFEFF/, '');
  } catch (e) {
    throw new UsageError(
      `cannot read corpus ${shown}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      {
        hint: 'Check the path given with --corpus or in the eval.corpora config.',
        file: shown,
      },
    );
  }
  const parsed = parseYamlDocument(text);
  if (!parsed.ok) throw syntaxError(shown, parsed.error, 'YAML');
  const checked = validateLocated(CorpusFileSchema, parsed.doc);
  if (!checked.ok) throw issuesError(inFile(shown, checked.issues));
  const seen = new Map<string, number>();
  const cases: CorpusCase[] = checked.value.cases.map((c, i) => {
    const line = parsed.doc.positionOf(['cases', i]).line;
    const earlier = seen.get(c.id);
    if (earlier !== undefined)
      throw new UsageError(`${shown}:${line}: case id "${c.id}" is already used on line ${earlier}`, {
        hint: 'Give every case in a corpus its own id.',
        file: shown,
      });
    seen.set(c.id, line);
    return { ...c, kind: c.kind ?? defaultKind(c.expect), file: shown, line };
  });
  return {
    suite: checked.value.suite ?? defaultSuite,
    file: shown,
    description: checked.value.description,
    cases,
  };
}

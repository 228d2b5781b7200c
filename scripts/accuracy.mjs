#!/usr/bin/env node
/**
 * Measures the audit against the labelled agent projects in test/fixtures/agents/. Each fixture folder has
 * an `expected.yaml` written by a reviewer from DESIGN.md's status definitions (not from what the detectors
 * happen to do); this script audits every fixture, compares, and prints per-primitive precision/recall
 * ("pass" is the positive class), exact-status agreement, tool-inventory recall/precision and every
 * mismatch.
 *
 *   npm run accuracy                      builds dist/, then runs this
 *   node scripts/accuracy.mjs --json      machine-readable summary
 *   node scripts/accuracy.mjs --fixture langgraph-py --fixture mastra
 *   node scripts/accuracy.mjs --min-exact 0.8   exit 1 when exact agreement is below 80%
 *
 * Exit codes: 0 measured; 1 below --min-exact; 2 bad arguments or a malformed expected.yaml.
 * The helpers are exported for test/accuracy.test.ts; `main` runs only when this file is executed.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parse } from 'yaml';

export const PRIMITIVE_IDS = [
  'tool-registry',
  'permissions',
  'session-persistence',
  'workflow-state',
  'token-budget',
  'streaming-events',
  'event-logging',
  'verification',
  'tool-pool',
  'compaction',
  'shell-security',
  'sub-agents',
];

export const STATUSES = ['pass', 'partial', 'fail', 'not-applicable', 'inconclusive'];

export const FIXTURES_DIR = fileURLToPath(new URL('../test/fixtures/agents/', import.meta.url));

/** Keeps each fixture's expected.yaml out of its own audit. */
export const AUDIT_CONFIG = join(FIXTURES_DIR, 'accuracy.config.yaml');

/** The audit options every accuracy run uses for one fixture. */
export const auditOptions = (fixture) => ({ cwd: fixture.dir, configPath: AUDIT_CONFIG });

/**
 * @typedef {{ status: string, why: string }} Label
 * @typedef {{ name: string, dir: string, category: string, frameworks: string[],
 *             tools: string[][], primitives: Record<string, Label> }} Fixture
 */

class LabelError extends Error {}

const asList = (v) => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]);

/** Reads and validates one expected.yaml; every problem names the file. */
export function loadFixture(dir, name) {
  const file = join(dir, 'expected.yaml');
  const fail = (msg) => {
    throw new LabelError(`${file}: ${msg}`);
  };
  let doc;
  try {
    doc = parse(readFileSync(file, 'utf8'));
  } catch (err) {
    fail(`not valid YAML (${err.message})`);
  }
  if (!doc || typeof doc !== 'object') fail('expected a mapping');
  const primitives = {};
  const given = doc.primitives ?? {};
  for (const key of Object.keys(given)) if (!PRIMITIVE_IDS.includes(key)) fail(`unknown primitive "${key}"`);
  for (const id of PRIMITIVE_IDS) {
    const label = given[id];
    if (!label) fail(`primitive "${id}" is not labelled`);
    if (!STATUSES.includes(label.status)) fail(`primitive "${id}" has status "${label.status}"`);
    if (typeof label.why !== 'string' || label.why.trim() === '')
      fail(`primitive "${id}" needs a one-line why`);
    primitives[id] = { status: label.status, why: label.why };
  }
  const tools = asList(doc.tools).map((t) => {
    if (typeof t !== 'string' || t === '') fail(`tool entries must be names (alternatives joined by "|")`);
    return t.split('|');
  });
  return {
    name,
    dir,
    category: typeof doc.category === 'string' ? doc.category : name,
    frameworks: asList(doc.framework).map(String),
    tools,
    primitives,
  };
}

/** The bundled example agents carry the same labels; they are measured alongside the fixtures. */
export const EXAMPLES_DIR = fileURLToPath(new URL('../examples/', import.meta.url));

/** Fixtures and examples together, examples named `examples/<name>`. */
export function loadLabelledSet() {
  return [
    ...loadFixtures(FIXTURES_DIR),
    ...loadFixtures(EXAMPLES_DIR).map((f) => ({ ...f, name: `examples/${f.name}` })),
  ];
}

/** Every fixture folder holding an expected.yaml, sorted by name. */
export function loadFixtures(root = FIXTURES_DIR) {
  return readdirSync(root, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(root, e.name, 'expected.yaml')))
    .map((e) => e.name)
    .sort()
    .map((name) => loadFixture(join(root, name), name));
}

/** MCP tools reach the model as `mcp__<server>__<tool>`; inventories may list either form. */
export function normaliseToolName(name) {
  const i = name.lastIndexOf('__');
  return name.startsWith('mcp__') && i > 4 ? name.slice(i + 2) : name;
}

export function toolMatches(alternatives, name) {
  const n = normaliseToolName(name);
  return alternatives.some((a) => normaliseToolName(a) === n);
}

/** Status of one primitive in a report; `missing` when the report leaves it out. */
export function statusOf(report, id) {
  return report?.primitives?.find((p) => p.id === id)?.status ?? 'missing';
}

/** Compares one fixture's labels with a report (or an audit error). */
export function compareFixture(fixture, report, error) {
  const primitives = PRIMITIVE_IDS.map((id) => ({
    id,
    expected: fixture.primitives[id].status,
    got: error ? 'error' : statusOf(report, id),
    why: fixture.primitives[id].why,
  }));
  const reported = [...new Set((report?.inventory?.tools ?? []).map((t) => t.name))];
  const missing = fixture.tools
    .filter((alts) => !reported.some((n) => toolMatches(alts, n)))
    .map((a) => a.join('|'));
  const extra = reported.filter((n) => !fixture.tools.some((alts) => toolMatches(alts, n)));
  const gotFrameworks = report?.target?.frameworks ?? [];
  return {
    fixture: fixture.name,
    error: error ? String(error?.message ?? error) : undefined,
    primitives,
    tools: { expected: fixture.tools.length, reported: reported.length, missing, extra },
    frameworks: {
      expected: fixture.frameworks,
      got: gotFrameworks,
      // Extra frameworks are fine (a LangGraph project also imports LangChain); a missing one is not.
      ok: fixture.frameworks.every((f) => gotFrameworks.includes(f)),
    },
  };
}

const ratio = (a, b) => (b === 0 ? null : a / b);

function counts(pairs) {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let exact = 0;
  for (const { expected, got } of pairs) {
    if (expected === got) exact++;
    if (expected === 'pass' && got === 'pass') tp++;
    else if (got === 'pass') fp++;
    else if (expected === 'pass') fn++;
  }
  return {
    n: pairs.length,
    exact,
    tp,
    fp,
    fn,
    precision: ratio(tp, tp + fp),
    recall: ratio(tp, tp + fn),
    agreement: ratio(exact, pairs.length),
  };
}

/** Aggregates compared fixtures into the numbers the table and --json show. */
export function summarise(results) {
  const all = results.flatMap((r) => r.primitives);
  const perPrimitive = Object.fromEntries(
    PRIMITIVE_IDS.map((id) => [id, counts(all.filter((p) => p.id === id))]),
  );
  const expectedTools = results.reduce((s, r) => s + r.tools.expected, 0);
  const foundTools = results.reduce((s, r) => s + (r.tools.expected - r.tools.missing.length), 0);
  const reportedTools = results.reduce((s, r) => s + r.tools.reported, 0);
  const matchedTools = results.reduce((s, r) => s + (r.tools.reported - r.tools.extra.length), 0);
  return {
    fixtures: results.length,
    overall: counts(all),
    perPrimitive,
    tools: {
      expected: expectedTools,
      found: foundTools,
      recall: ratio(foundTools, expectedTools),
      reported: reportedTools,
      matched: matchedTools,
      precision: ratio(matchedTools, reportedTools),
    },
    frameworks: { agree: results.filter((r) => r.frameworks.ok).length, of: results.length },
    mismatches: results.flatMap((r) =>
      r.primitives
        .filter((p) => p.expected !== p.got)
        .map((p) => ({ fixture: r.fixture, primitive: p.id, expected: p.expected, got: p.got, why: p.why })),
    ),
    toolMisses: results
      .filter((r) => r.tools.missing.length > 0 || r.tools.extra.length > 0)
      .map((r) => ({ fixture: r.fixture, missing: r.tools.missing, extra: r.tools.extra })),
    frameworkMisses: results
      .filter((r) => !r.frameworks.ok)
      .map((r) => ({ fixture: r.fixture, expected: r.frameworks.expected, got: r.frameworks.got })),
    errors: results.filter((r) => r.error).map((r) => ({ fixture: r.fixture, error: r.error })),
  };
}

const pct = (v) => (v === null ? '   —' : `${(v * 100).toFixed(0).padStart(3)}%`);

function table(headers, rows) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) =>
    cells
      .map((c, i) => String(c).padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** The human-readable report. */
export function formatSummary(s) {
  const out = [];
  out.push(`plumbline accuracy — ${s.fixtures} labelled fixtures, positive class = pass\n`);
  const row = (id, c) => [
    id,
    c.tp,
    c.fp,
    c.fn,
    pct(c.precision),
    pct(c.recall),
    `${c.exact}/${c.n}`,
    pct(c.agreement),
  ];
  out.push(
    table(
      ['primitive', 'TP', 'FP', 'FN', 'prec', 'recall', 'exact', 'agree'],
      [...PRIMITIVE_IDS.map((id) => row(id, s.perPrimitive[id])), row('ALL', s.overall)],
    ),
  );
  out.push('');
  out.push(`exact status match: ${s.overall.exact}/${s.overall.n} (${pct(s.overall.agreement).trim()})`);
  out.push(
    `tool inventory: recall ${s.tools.found}/${s.tools.expected} (${pct(s.tools.recall).trim()}), ` +
      `precision ${s.tools.matched}/${s.tools.reported} (${pct(s.tools.precision).trim()})`,
  );
  out.push(`frameworks found: ${s.frameworks.agree}/${s.frameworks.of} fixtures`);
  if (s.errors.length > 0) {
    out.push('\naudit errors:');
    for (const e of s.errors) out.push(`  ${e.fixture}: ${e.error}`);
  }
  if (s.mismatches.length > 0) {
    out.push(`\nmismatches (${s.mismatches.length}):`);
    out.push(
      table(
        ['fixture', 'primitive', 'expected', 'got', 'label says'],
        s.mismatches.map((m) => [m.fixture, m.primitive, m.expected, m.got, m.why]),
      ),
    );
  }
  if (s.toolMisses.length > 0) {
    out.push('\ntool inventory differences:');
    for (const t of s.toolMisses) {
      const parts = [];
      if (t.missing.length) parts.push(`missing ${t.missing.join(', ')}`);
      if (t.extra.length) parts.push(`extra ${t.extra.join(', ')}`);
      out.push(`  ${t.fixture}: ${parts.join('; ')}`);
    }
  }
  if (s.frameworkMisses.length > 0) {
    out.push('\nframeworks not found:');
    for (const f of s.frameworkMisses)
      out.push(`  ${f.fixture}: expected ${f.expected.join(', ')}; got ${f.got.join(', ') || 'none'}`);
  }
  return `${out.join('\n')}\n`;
}

function parseArgs(argv) {
  const args = { json: false, fixtures: [], minExact: undefined };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--json') args.json = true;
    else if (a === '--fixture') args.fixtures.push(argv[++i]);
    else if (a === '--min-exact') args.minExact = Number(argv[++i]);
    else if (a === '--help' || a === '-h') args.help = true;
    else throw new LabelError(`unknown argument ${a}`);
  }
  if (args.fixtures.some((f) => !f)) throw new LabelError('--fixture needs a fixture folder name');
  if (args.minExact !== undefined && !(args.minExact >= 0 && args.minExact <= 1))
    throw new LabelError('--min-exact takes a share between 0 and 1, e.g. 0.8');
  return args;
}

async function main(argv) {
  let args;
  let fixtures;
  try {
    args = parseArgs(argv);
    if (args.help) {
      process.stdout.write(
        'usage: node scripts/accuracy.mjs [--json] [--fixture NAME]... [--min-exact 0..1]\n',
      );
      return 0;
    }
    fixtures = loadLabelledSet();
    if (args.fixtures.length > 0) {
      const unknown = args.fixtures.filter((f) => !fixtures.some((x) => x.name === f));
      if (unknown.length) throw new LabelError(`no labelled fixture named ${unknown.join(', ')}`);
      fixtures = fixtures.filter((f) => args.fixtures.includes(f.name));
    }
  } catch (err) {
    if (!(err instanceof LabelError)) throw err;
    process.stderr.write(`accuracy: ${err.message}\n`);
    return 2;
  }

  const { audit } = await import('../dist/core/audit.js');
  const results = [];
  for (const fixture of fixtures) {
    try {
      results.push(compareFixture(fixture, await audit(fixture.dir, auditOptions(fixture))));
    } catch (err) {
      results.push(compareFixture(fixture, undefined, err));
    }
  }
  const summary = summarise(results);
  process.stdout.write(
    args.json ? `${JSON.stringify({ summary, results }, null, 2)}\n` : formatSummary(summary),
  );
  if (args.minExact !== undefined && (summary.overall.agreement ?? 0) < args.minExact) return 1;
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}

import { describe, expect, it } from 'vitest';
import { type Finding, type Report, ReportSchema } from '../src/core/report.js';
import { stripAnsi } from '../src/formatters/colors.js';
import { FORMAT_NAMES, type FormatOptions, formatters, isFormatName } from '../src/formatters/index.js';
import { formatJson } from '../src/formatters/json.js';
import { code, formatMarkdown, text as mdText } from '../src/formatters/markdown.js';
import { formatSarif, relativeUri, SARIF_SCHEMA } from '../src/formatters/sarif.js';
import { formatText } from '../src/formatters/text.js';
import { expectGolden } from './helpers/golden.js';
import { sampleReport } from './helpers/sample-report.js';

const plain: FormatOptions = { color: false, verbose: false };
const verbose: FormatOptions = { color: false, verbose: true };
const ESC = '\u001b[';

const lineOf = (output: string, needle: string) => output.split('\n').find((line) => line.includes(needle));

function emptyReport(): Report {
  return {
    ...sampleReport(),
    maturity: 'none',
    phases: [],
    primitives: [],
    findings: [],
    nextSteps: [],
    warnings: [],
    skipped: [],
    target: { path: '.', languages: [], frameworks: [], files: 0, sourceFiles: 0 },
    inventory: { tools: [], permissionSources: [], stores: [] },
    gate: { failed: false, reasons: [] },
  };
}

describe('formatter registry', () => {
  it('offers the five formats by name, each ending in a newline', () => {
    expect(FORMAT_NAMES).toEqual(['text', 'json', 'markdown', 'sarif', 'html']);
    for (const name of FORMAT_NAMES) expect(formatters[name](sampleReport(), plain)).toMatch(/\n$/);
    expect(isFormatName('sarif')).toBe(true);
    expect(isFormatName('toString')).toBe(false);
  });

  it('renders an empty report in every format without throwing', () => {
    for (const name of FORMAT_NAMES) {
      expect(formatters[name](emptyReport(), plain).length).toBeGreaterThan(0);
      expect(formatters[name](emptyReport(), verbose).length).toBeGreaterThan(0);
    }
  });
});

describe('text', () => {
  it('matches the golden files', () => {
    expectGolden('text.txt', formatText(sampleReport(), plain));
    expectGolden('text-verbose.txt', formatText(sampleReport(), verbose));
    expectGolden('text-ascii.txt', formatText(sampleReport(), { ...plain, ascii: true }));
  });

  it('keeps every line within 100 columns, with or without colour', () => {
    for (const options of [plain, verbose, { ...verbose, color: true }, { ...plain, ascii: true }]) {
      for (const line of formatText(sampleReport(), options).split('\n')) {
        expect(stripAnsi(line).length, line).toBeLessThanOrEqual(100);
      }
    }
  });

  it('uses colour only when asked, and colour never changes the words', () => {
    const colored = formatText(sampleReport(), { ...plain, color: true });
    expect(formatText(sampleReport(), plain)).not.toContain(ESC);
    expect(colored).toContain(ESC);
    expect(stripAnsi(colored)).toBe(formatText(sampleReport(), plain));
  });

  it('colours statuses: green pass, yellow partial, red fail, dim n/a and inconclusive', () => {
    const colored = formatText(sampleReport(), { ...plain, color: true });
    expect(lineOf(colored, 'tool-registry')).toContain(`${ESC}32mpass${ESC}39m`);
    expect(lineOf(colored, 'session-persistence ')).toContain(`${ESC}33mpartial${ESC}39m`);
    expect(lineOf(colored, 'workflow-state ')).toContain(`${ESC}31mfail${ESC}39m`);
    expect(lineOf(colored, 'shell-security')).toContain(`${ESC}2mn/a${ESC}22m`);
    expect(lineOf(colored, 'verification ')).toContain(`${ESC}2minconclusive${ESC}22m`);
  });

  it('draws a 10-cell bar from the score, in Unicode or ASCII', () => {
    const unicode = formatText(sampleReport(), plain);
    expect(lineOf(unicode, 'tool-registry')).toMatch(/tool-registry\s+████████░░\s+8\.3\s+pass$/);
    expect(lineOf(unicode, 'workflow-state ')).toMatch(/░{10}\s+0\.0\s+fail$/);
    expect(lineOf(unicode, 'shell-security')).toMatch(/░{10}\s+–\s+n\/a$/);
    const ascii = formatText(sampleReport(), { ...verbose, ascii: true });
    expect(lineOf(ascii, 'event-logging ')).toMatch(/event-logging\s+##\.{8}\s+1\.5\s+fail$/);
    expect(ascii).toMatch(/^[\x00-\x7f]*$/);
  });

  it('summarises each phase, counting n/a primitives out of the total', () => {
    const output = formatText(sampleReport(), plain);
    expect(output).toContain('day-one · incomplete · 5.1/10 · 2 of 4 pass');
    expect(output).toContain('month-one · incomplete · 4.2/10 · 1 of 3 pass');
  });

  it('explains what is missing and keeps passing details for --verbose', () => {
    const output = formatText(sampleReport(), plain);
    // A failing criterion of a passing primitive is shown; its passing siblings are not.
    expect(output).toContain('No blanket allow of shell or write tools  high');
    expect(output).not.toContain('Deny rules are evaluated before allow rules');
    expect(output).toContain('› .claude/settings.json:7  Permission rule `Bash` in allow matches');
    expect(output).toContain('The conversation is saved to durable storage  src/session/store.ts:18');
    const full = formatText(sampleReport(), verbose);
    expect(full).toContain('Deny rules are evaluated before allow rules');
    expect(full).toContain('permissions.deny-first');
    expect(full).toContain('waived: secrets live in a vault in production (until 2026-09-30)');
  });

  it('caps findings per criterion unless verbose', () => {
    const report = sampleReport();
    const template = report.findings[0] as Finding;
    report.findings = Array.from({ length: 5 }, (_, i) => ({ ...template, line: i + 1, id: `f${i}` }));
    expect(formatText(report, plain)).toContain('… 2 more (--verbose)');
    expect(formatText(report, verbose)).toContain('src/tools/registry.ts:5');
    expect(formatText(report, verbose)).not.toContain('more (--verbose)');
  });

  it('ends with warnings, numbered next steps, skipped files and the failed gate', () => {
    const output = formatText(sampleReport(), plain);
    const order = ['Warnings', 'Next steps', '5 files skipped', 'Gate failed'].map((s) => output.indexOf(s));
    expect(order.every((index, i) => index > 0 && (i === 0 || index > (order[i - 1] as number)))).toBe(true);
    expect(output).toContain('  1. workflow-state (day-one)\n');
    expect(output).toContain('     $ plumbline add workflow-state\n');
    expect(output).toContain('2 syntax-errors, 1 binary, 1 parse-error, 1 too-large');
    expect(output).not.toContain('vendor/bundle.min.js');
    expect(formatText(sampleReport(), verbose)).toMatch(/vendor\/bundle\.min\.js\s+too-large\s+2\.4 MB/);
    expect(output).toContain('✖ Gate failed: maturity none is below the target phase day-one');
  });

  it('prints no gate line when the gate passed and lists several reasons as bullets', () => {
    const passed = { ...sampleReport(), gate: { failed: false, reasons: [] } };
    expect(formatText(passed, plain)).not.toContain('Gate');
    const twice = { ...sampleReport(), gate: { failed: true, reasons: ['score 4.1 < 6', 'phase day-one'] } };
    expect(formatText(twice, plain)).toContain('✖ Gate failed\n  · score 4.1 < 6\n  · phase day-one\n');
  });

  it('wraps long project text instead of overflowing', () => {
    const report = sampleReport();
    report.primitives[2]!.reason = 'word '.repeat(60).trim();
    const lines = formatText(report, plain)
      .split('\n')
      .filter((line) => line.includes('word word'));
    expect(lines.length).toBeGreaterThan(2);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(100);
  });
});

describe('markdown', () => {
  it('matches the golden files', () => {
    expectGolden('report.md', formatMarkdown(sampleReport(), plain));
    expectGolden('report-verbose.md', formatMarkdown(sampleReport(), verbose));
  });

  it('has a title with the maturity and one table row per primitive with a status emoji', () => {
    const output = formatMarkdown(sampleReport(), plain);
    expect(output.split('\n')[0]).toBe('## plumbline: maturity **none** (target day-one)');
    const rows = output.split('\n').filter((line) => /^\| (day|week|month)-one \|/.test(line));
    expect(rows).toHaveLength(12);
    expect(lineOf(output, '| tool-registry |')).toContain('| ✅ pass | 8.3 |');
    expect(lineOf(output, '| sub-agents |')).toContain('| 🟡 partial | 4.0 |');
    expect(lineOf(output, '| workflow-state |')).toContain('| ❌ fail | 0.0 |');
    expect(lineOf(output, '| shell-security |')).toContain('| ➖ n/a | – |');
    expect(lineOf(output, '| verification |')).toContain('| ❔ inconclusive | – |');
  });

  it('groups findings by primitive inside a collapsed details block', () => {
    const output = formatMarkdown(sampleReport(), plain);
    const details = output.slice(output.indexOf('<details>'), output.indexOf('</details>'));
    expect(details).toContain('<summary>10 findings</summary>');
    const logging = details.indexOf('#### event-logging');
    expect(logging).toBeGreaterThan(details.indexOf('#### token-budget'));
    expect(details.indexOf('Request headers including Authorization')).toBeGreaterThan(logging);
    expect(details).toContain(
      '- **high** writeFileSync overwrites the transcript in place. — `src/session/store.ts:27`',
    );
  });

  it('escapes pipes, backticks and HTML from the scanned project', () => {
    const report = sampleReport();
    report.primitives[0]!.reason = 'Tool `a|b` is <script>alert(1)</script>';
    report.findings[0] = {
      ...(report.findings[0] as Finding),
      message: 'name `x|y` <img src=x>',
      file: 'src/we`ird|.ts',
    };
    const output = formatMarkdown(report, plain);
    expect(output).not.toMatch(/<script|<img/);
    const row = lineOf(output, '| tool-registry |')!;
    // Six unescaped pipes: the row keeps its five cells.
    expect(row.match(/(?<!\\)\|/g)).toHaveLength(6);
    expect(row).toContain('Tool \\`a\\|b\\` is &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(output).toContain('name \\`x\\|y\\` &lt;img src=x&gt; — ``src/we`ird\\|.ts:41``');
  });

  it('writes code spans that survive backticks', () => {
    expect(code('a`b')).toBe('``a`b``');
    expect(code('`edge`')).toBe('`` `edge` ``');
    expect(mdText('a\nb_*c*')).toBe('a b\\_\\*c\\*');
  });

  it('lists next steps with their command and the warnings', () => {
    const output = formatMarkdown(sampleReport(), plain);
    expect(output).toContain(
      '1. **workflow-state** (day-one): Model task progress apart from the transcript, with a ledger for side effects. — `plumbline add workflow-state`',
    );
    expect(output).toMatch(/### Warnings\n\n- ⚠️ Compaction and sub-agents are built/);
    expect(output).toContain('> ❌ **Gate failed**: maturity none is below the target phase day-one');
  });

  it('lists at most 100 findings unless verbose', () => {
    const report = sampleReport();
    const template = report.findings[0] as Finding;
    report.findings = Array.from({ length: 130 }, (_, i) => ({ ...template, line: i + 1 }));
    const output = formatMarkdown(report, plain);
    expect(output.match(/^- \*\*medium\*\*/gm)).toHaveLength(100);
    expect(output).toContain('…and 30 more findings');
    expect(formatMarkdown(report, verbose).match(/^- \*\*medium\*\*/gm)).toHaveLength(130);
  });
});

describe('json', () => {
  it('matches the golden file and parses back to the same report', () => {
    const output = formatJson(sampleReport());
    expectGolden('report.json', output);
    expect(ReportSchema.parse(JSON.parse(output))).toEqual(sampleReport());
    expect(output).toBe(`${JSON.stringify(sampleReport(), null, 2)}\n`);
  });

  it('orders keys as the schema does, whatever order the report was built in', () => {
    const shuffled = Object.fromEntries(Object.entries(sampleReport()).reverse()) as Report;
    shuffled.target = {
      sourceFiles: 163,
      files: 214,
      frameworks: ['anthropic-sdk', 'mcp'],
      languages: ['typescript', 'python'],
      path: 'examples/support-agent',
    };
    expect(formatJson(shuffled)).toBe(formatJson(sampleReport()));
    // Optional keys the sample leaves out (`llm`, only with --llm) are absent, the rest in schema order.
    const present = Object.keys(ReportSchema.shape).filter((key) => key in sampleReport());
    expect(Object.keys(JSON.parse(formatJson(shuffled)))).toEqual(present);
  });

  it('refuses a report that breaks the schema', () => {
    const broken = { ...sampleReport(), maturity: 'year-one' } as unknown as Report;
    expect(() => formatJson(broken)).toThrow();
  });
});

interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: string;
  message: { text: string };
  locations: Array<{
    physicalLocation: { artifactLocation: { uri: string; uriBaseId: string }; region: { startLine: number } };
  }>;
  partialFingerprints: Record<string, string>;
}
interface SarifRule {
  id: string;
  name: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  help: { text: string; markdown: string };
  defaultConfiguration: { level: string };
  properties: { primitive: string; phase?: string; tags: string[] };
}
interface SarifLog {
  $schema: string;
  version: string;
  runs: Array<{
    tool: { driver: { name: string; version: string; rules: SarifRule[] } };
    originalUriBaseIds: Record<string, { uri?: string; description?: { text: string } }>;
    results: SarifResult[];
  }>;
}

const sarifOf = (report: Report) => JSON.parse(formatSarif(report)) as SarifLog;

function* strings(value: unknown): Generator<string> {
  if (typeof value === 'string') yield value;
  else if (Array.isArray(value)) for (const item of value) yield* strings(item);
  else if (value && typeof value === 'object') for (const item of Object.values(value)) yield* strings(item);
}

describe('sarif', () => {
  it('matches the golden file', () => {
    expectGolden('report.sarif', formatSarif(sampleReport()));
  });

  it('is a SARIF 2.1.0 log with one run of the plumbline driver', () => {
    const log = sarifOf(sampleReport());
    expect(log.$schema).toBe(SARIF_SCHEMA);
    expect(log.version).toBe('2.1.0');
    expect(log.runs).toHaveLength(1);
    expect(log.runs[0]!.tool.driver).toMatchObject({ name: 'plumbline', version: '0.1.0' });
  });

  it('has one rule per criterion in the report, with levels from severity', () => {
    const report = sampleReport();
    const { rules } = sarifOf(report).runs[0]!.tool.driver;
    const criteria = report.primitives.flatMap((p) => p.criteria);
    expect(rules.map((r) => r.id)).toEqual(criteria.map((c) => c.id));
    const byId = new Map(rules.map((r) => [r.id, r]));
    expect(byId.get('permissions.gate-before-execute')!.defaultConfiguration.level).toBe('error');
    expect(byId.get('tool-registry.descriptions')!.defaultConfiguration.level).toBe('warning');
    expect(byId.get('tool-registry.capabilities')!.defaultConfiguration.level).toBe('note');
    const atomic = byId.get('session-persistence.atomic-writes')!;
    expect(atomic).toMatchObject({
      name: 'SessionPersistenceAtomicWrites',
      shortDescription: { text: 'Writes are append-only or atomic (temp file + rename)' },
      fullDescription: {
        text: 'Append JSON lines, or write to a temp file, fsync it and rename it over the old one.',
      },
      properties: { primitive: 'session-persistence', phase: 'day-one' },
    });
    expect(atomic.help.text).toContain('plumbline explain session-persistence.atomic-writes');
    expect(atomic.properties.tags).toEqual(expect.arrayContaining(['session-persistence', 'day-one']));
  });

  it('has one result per finding pointing at its rule, file and line', () => {
    const report = sampleReport();
    const run = sarifOf(report).runs[0]!;
    expect(run.results).toHaveLength(report.findings.length);
    const levels: Record<string, string> = {
      critical: 'error',
      high: 'error',
      medium: 'warning',
      low: 'note',
      info: 'note',
    };
    run.results.forEach((result, i) => {
      const finding = report.findings[i]!;
      expect(run.tool.driver.rules[result.ruleIndex]!.id).toBe(result.ruleId);
      expect(result.ruleId).toBe(finding.criterion);
      expect(result.level).toBe(levels[finding.severity]);
      expect(result.message.text).toBe(finding.message);
      expect(result.partialFingerprints).toEqual({ 'plumbline/v1': finding.fingerprint });
      expect(result.locations).toHaveLength(1);
      const { artifactLocation, region } = result.locations[0]!.physicalLocation;
      expect(artifactLocation.uri).toBe(finding.file);
      expect(artifactLocation.uriBaseId).toBe('%SRCROOT%');
      expect(run.originalUriBaseIds).toHaveProperty(artifactLocation.uriBaseId);
      expect(region.startLine).toBe(finding.line);
    });
  });

  it('contains no absolute path or file URI anywhere', () => {
    const log = sarifOf(sampleReport());
    for (const value of strings(log)) {
      expect(value).not.toMatch(/^(\/|[A-Za-z]:[\\/]|file:)/);
    }
    for (const result of log.runs[0]!.results) {
      expect(result.locations[0]!.physicalLocation.artifactLocation.uri).not.toMatch(
        /^[a-z][a-z0-9+.-]*:|^\/|\.\./i,
      );
    }
    expect(log.runs[0]!.originalUriBaseIds['%SRCROOT%']!.uri).toBeUndefined();
  });

  it('marks findings of a waived criterion as externally suppressed', () => {
    const report = sampleReport();
    report.findings.push({ ...(report.findings[2] as Finding), criterion: 'permissions.secrets-denied' });
    const results = sarifOf(report).runs[0]!.results as Array<SarifResult & { suppressions?: unknown }>;
    expect(results.at(-1)!.suppressions).toEqual([
      { kind: 'external', justification: 'secrets live in a vault in production' },
    ]);
    expect(results.filter((r) => r.suppressions)).toHaveLength(1);
  });

  it('encodes paths as relative URI references', () => {
    expect(relativeUri('src\\my tools\\a#1.ts')).toBe('src/my%20tools/a%231.ts');
    expect(relativeUri('./src/100%.py')).toBe('src/100%25.py');
  });

  it('adds a rule for a finding whose criterion no primitive lists', () => {
    const report = sampleReport();
    report.findings.push({
      ...(report.findings[0] as Finding),
      criterion: 'tool-registry.pack-extra',
      severity: 'info',
    });
    const run = sarifOf(report).runs[0]!;
    const last = run.results.at(-1)!;
    expect(run.tool.driver.rules[last.ruleIndex]).toMatchObject({
      id: 'tool-registry.pack-extra',
      defaultConfiguration: { level: 'note' },
      properties: { primitive: 'tool-registry', phase: 'day-one' },
    });
    expect(last.level).toBe('note');
  });
});

import type { Finding, Report } from '../core/report.js';
import type { PhaseId, Severity } from '../rubrics/schema.js';

/**
 * SARIF 2.1.0 for GitHub code scanning and other SARIF viewers: one run, one rule per criterion in the
 * report, one result per finding. Paths stay relative to `%SRCROOT%` (the audited directory) so the log is
 * portable and GitHub can map results onto the repository checkout.
 */

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
export const SRCROOT = '%SRCROOT%';
/** Where users read about plumbline; set once the project has a public home (omitted while undefined). */
export const INFORMATION_URI: string | undefined = undefined;

type Level = 'error' | 'warning' | 'note';

const LEVEL: Record<Severity, Level> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
};

interface Rule {
  id: string;
  name: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  help: { text: string; markdown: string };
  defaultConfiguration: { level: Level };
  properties: { primitive: string; phase?: PhaseId; grader?: 'llm'; tags: string[] };
}

export function formatSarif(report: Report): string {
  const rules = buildRules(report);
  const ruleIndex = new Map(rules.map((rule, index) => [rule.id, index]));
  const waivers = new Map(
    report.primitives.flatMap((p) =>
      p.criteria.flatMap((c) => (c.waived ? [[c.id, c.waived] as const] : [])),
    ),
  );
  const results = report.findings.map((finding) => {
    const index = ruleIndex.get(finding.criterion)!;
    const waiver = waivers.get(finding.criterion);
    return {
      ruleId: finding.criterion,
      ruleIndex: index,
      level: LEVEL[finding.severity],
      message: { text: finding.message },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: relativeUri(finding.file), uriBaseId: SRCROOT },
            region: { startLine: finding.line, ...snippetOf(finding) },
            ...contextOf(finding),
          },
        },
      ],
      partialFingerprints: { 'plumbline/v1': finding.fingerprint },
      // A waiver in the project's plumbline config is an external suppression in SARIF terms.
      ...(waiver ? { suppressions: [{ kind: 'external', justification: waiver.reason }] } : {}),
      properties: {
        primitive: finding.primitive,
        severity: finding.severity,
        ...(finding.add ? { add: finding.add } : {}),
        ...(finding.llm ? { llm: true } : {}),
      },
    };
  });
  const driver = {
    name: 'plumbline',
    version: report.tool.version,
    semanticVersion: report.tool.version,
    ...(INFORMATION_URI ? { informationUri: INFORMATION_URI } : {}),
    rules,
  };
  const log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: { driver },
        // No absolute uri on purpose: the consumer (GitHub's checkout, an IDE) knows where the root is.
        originalUriBaseIds: { [SRCROOT]: { description: { text: 'The root of the audited project.' } } },
        results,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

/**
 * One rule per criterion that appears in the report: every criterion of every primitive, plus any that only
 * a finding names. The remediation text travels on findings only, so a criterion without findings gets its
 * title as description and a pointer to `plumbline explain`.
 */
function buildRules(report: Report): Rule[] {
  const remediation = new Map<string, string>();
  for (const finding of report.findings) {
    if (!remediation.has(finding.criterion)) remediation.set(finding.criterion, finding.remediation);
  }
  const rules = new Map<string, Rule>();
  for (const primitive of report.primitives) {
    for (const criterion of primitive.criteria) {
      if (rules.has(criterion.id)) continue;
      const r = rule(
        criterion.id,
        criterion.title,
        criterion.severity,
        primitive.id,
        primitive.phase,
        remediation,
      );
      rules.set(criterion.id, criterion.grader === 'llm' ? asLlmRule(r) : r);
    }
  }
  for (const finding of report.findings) {
    if (rules.has(finding.criterion)) continue;
    const phase = report.primitives.find((p) => p.id === finding.primitive)?.phase;
    const r = orphanRule(finding, phase, remediation);
    rules.set(finding.criterion, finding.llm ? asLlmRule(r) : r);
  }
  return [...rules.values()];
}

/** A model-graded criterion (`audit --llm`): marked in the rule's properties and tags. */
function asLlmRule(r: Rule): Rule {
  return { ...r, properties: { ...r.properties, grader: 'llm', tags: [...r.properties.tags, 'llm'] } };
}

function orphanRule(finding: Finding, phase: PhaseId | undefined, remediation: Map<string, string>): Rule {
  return rule(finding.criterion, finding.criterion, finding.severity, finding.primitive, phase, remediation);
}

function rule(
  id: string,
  title: string,
  severity: Severity,
  primitive: string,
  phase: PhaseId | undefined,
  remediation: Map<string, string>,
): Rule {
  const explain = (command: string) => `Run ${command} for the rationale and how to fix it.`;
  const fix = remediation.get(id);
  const withFix = (tail: string) => (fix ? `${fix}\n\n${tail}` : tail);
  return {
    id,
    name: ruleName(id),
    shortDescription: { text: title },
    fullDescription: { text: fix ?? title },
    help: {
      text: withFix(explain(`"plumbline explain ${id}"`)),
      markdown: withFix(explain(`\`plumbline explain ${id}\``)),
    },
    defaultConfiguration: { level: LEVEL[severity] },
    properties: {
      primitive,
      ...(phase ? { phase } : {}),
      tags: ['plumbline', 'agent-harness', primitive, ...(phase ? [phase] : [])],
    },
  };
}

/** The finding's own line as the region's snippet, when the report carries an excerpt around it. */
function snippetOf(finding: Finding): { snippet?: { text: string } } {
  const line = finding.excerpt?.lines[finding.line - finding.excerpt.startLine];
  return line === undefined ? {} : { snippet: { text: line } };
}

/**
 * The whole excerpt as SARIF's `contextRegion`, the lines a viewer shows around the result. SARIF wants it a
 * proper superset of `region`, so a one-line excerpt gives none.
 */
function contextOf(finding: Finding): { contextRegion?: Record<string, unknown> } {
  const excerpt = finding.excerpt;
  if (!excerpt || excerpt.lines.length < 2) return {};
  const endLine = excerpt.startLine + excerpt.lines.length - 1;
  return {
    contextRegion: {
      startLine: excerpt.startLine,
      endLine,
      snippet: { text: `${excerpt.lines.join('\n')}\n` },
    },
  };
}

/** SARIF recommends a PascalCase identifier for `name`: `tool-registry.descriptions` → `ToolRegistryDescriptions`. */
function ruleName(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');
}

/**
 * A relative URI reference for a report path: POSIX separators, no leading `./`, each segment
 * percent-encoded so spaces, `#` or `%` in a file name cannot change what the URI points at.
 */
export function relativeUri(path: string): string {
  return path
    .replace(/\\/g, '/')
    .replace(/^(\.\/)+/, '')
    .split('/')
    .map((segment) => encodeURIComponent(segment))
    .join('/');
}

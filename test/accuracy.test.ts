import { beforeAll, describe, expect, test } from 'vitest';
import {
  auditOptions,
  compareFixture,
  FIXTURES_DIR,
  type Fixture,
  loadFixtures,
  loadLabelledSet,
  PRIMITIVE_IDS,
  STATUSES,
  statusOf,
  summarise,
  toolMatches,
} from '../scripts/accuracy.mjs';
import { audit } from '../src/core/audit.js';
import type { Report } from '../src/core/report.js';

const fixtures = loadFixtures(FIXTURES_DIR);
const byName = (name: string) => fixtures.find((f) => f.name === name)!;
const statuses = (f: Fixture) => PRIMITIVE_IDS.map((id) => f.primitives[id]!.status);

/** The labels themselves: these hold independently of the detectors. */
describe('accuracy labels', () => {
  test('at least twenty labelled fixtures, one per framework category', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(20);
    const categories = new Set(fixtures.map((f) => f.category));
    for (const c of [
      'anthropic-ts',
      'anthropic-py',
      'claude-agent-sdk-ts',
      'claude-agent-sdk-py',
      'openai-sdk-ts',
      'openai-sdk-py',
      'openai-agents-ts',
      'openai-agents-py',
      'vercel-ai',
      'langchain-js',
      'langgraph-py',
      'mastra',
      'mcp-server-ts',
      'mcp-server-py',
      'hand-rolled-fetch',
      'keyword-only',
      'test-only-gate',
      'claude-code-settings',
      'no-source',
      'vendored-harness',
    ])
      expect(categories, c).toContain(c);
  });

  test('every fixture labels all twelve primitives with a known status', () => {
    for (const f of fixtures) {
      expect(Object.keys(f.primitives).sort(), f.name).toEqual([...PRIMITIVE_IDS].sort());
      for (const s of statuses(f)) expect(STATUSES, f.name).toContain(s);
    }
  });

  test('every primitive has pass and non-pass labels, so precision and recall mean something', () => {
    for (const id of PRIMITIVE_IDS) {
      const labels = fixtures.map((f) => f.primitives[id]!.status);
      expect(labels.filter((s) => s === 'pass').length, id).toBeGreaterThanOrEqual(1);
      expect(labels.filter((s) => s !== 'pass').length, id).toBeGreaterThanOrEqual(1);
    }
  });

  test('maturity varies: some fixtures pass several primitives', () => {
    const passCounts = fixtures.map((f) => statuses(f).filter((s) => s === 'pass').length);
    expect(passCounts.filter((n) => n >= 5).length).toBeGreaterThanOrEqual(4);
  });

  test('keyword-only passes nothing and no-source is inconclusive throughout', () => {
    for (const s of statuses(byName('keyword-only'))) expect(['fail', 'not-applicable']).toContain(s);
    for (const s of statuses(byName('no-source'))) expect(s).toBe('inconclusive');
    expect(byName('test-only-gate').primitives.permissions!.status).toBe('partial');
  });

  test('comparison counts pass as the positive class and matches MCP-prefixed tool names', () => {
    const f = byName('langgraph-py');
    const report = {
      primitives: PRIMITIVE_IDS.map((id) => ({ id, status: 'pass' })),
      inventory: { tools: [{ name: 'mcp__ops__get_service_status' }, { name: 'unrelated' }] },
      target: { frameworks: ['langgraph', 'langchain'] },
    };
    const s = summarise([compareFixture(f, report)]);
    const passes = statuses(f).filter((x) => x === 'pass').length;
    expect(s.overall.tp).toBe(passes);
    expect(s.overall.fp).toBe(12 - passes);
    expect(s.overall.fn).toBe(0);
    expect(s.tools.found).toBe(1);
    expect(s.tools.matched).toBe(1);
    expect(s.frameworks.agree).toBe(1);
    expect(toolMatches(['get-weather', 'weatherTool'], 'weatherTool')).toBe(true);
    expect(statusOf(undefined, 'permissions')).toBe('missing');
  });
});

/**
 * The audit against the labels. These fail until the detectors and rubrics are tuned; each mismatch shows
 * as `<fixture> › <primitive> is <expected>`.
 */
describe.each(loadLabelledSet().map((f) => ({ name: f.name, fixture: f })))(
  'accuracy: $name',
  ({ fixture }) => {
    let report: Report | undefined;
    let failure: unknown;

    beforeAll(async () => {
      try {
        report = await audit(fixture.dir, auditOptions(fixture));
      } catch (err) {
        failure = err;
      }
    });

    test.each(PRIMITIVE_IDS.map((id) => ({ id, expected: fixture.primitives[id]! })))(
      '$id is $expected.status',
      ({ id, expected }) => {
        expect(failure).toBeUndefined();
        expect(statusOf(report, id), expected.why).toBe(expected.status);
      },
    );

    test('tool inventory names every expected tool', () => {
      expect(failure).toBeUndefined();
      const names = (report?.inventory.tools ?? []).map((t) => t.name);
      const missing = fixture.tools
        .filter((alts) => !names.some((n) => toolMatches(alts, n)))
        .map((a) => a.join('|'));
      expect(missing).toEqual([]);
    });
  },
);

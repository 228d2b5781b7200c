import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { audit } from '../src/core/audit.js';
import { EXCERPT_MAX_CHARS, excerptAt, withExcerpts } from '../src/core/excerpt.js';
import { type Finding, ReportSchema } from '../src/core/report.js';
import { formatSarif } from '../src/formatters/sarif.js';
import { sampleReport } from './helpers/sample-report.js';

const ROOT = resolve(import.meta.dirname, '..');
const text = Array.from({ length: 12 }, (_, i) => `line ${i + 1}`).join('\n');

const finding = (file: string, line: number): Finding => ({
  ...sampleReport().findings[0]!,
  file,
  line,
});

describe('excerptAt', () => {
  it('takes three lines either side, clipped at the start and end of the file', () => {
    expect(excerptAt(text, 6)).toEqual({
      startLine: 3,
      lines: ['line 3', 'line 4', 'line 5', 'line 6', 'line 7', 'line 8', 'line 9'],
    });
    expect(excerptAt(text, 1)).toEqual({ startLine: 1, lines: ['line 1', 'line 2', 'line 3', 'line 4'] });
    expect(excerptAt(`${text}\n`, 12)?.lines).toEqual(['line 9', 'line 10', 'line 11', 'line 12']);
  });

  it('has no excerpt for a line the file does not have', () => {
    expect(excerptAt(text, 13)).toBeUndefined();
    expect(excerptAt(text, 0)).toBeUndefined();
  });

  it('drops carriage returns and caps long lines at 200 characters', () => {
    const long = 'x'.repeat(5000);
    const excerpt = excerptAt(`a\r\n${long}\r\nb\r\n`, 2)!;
    expect(excerpt.lines[0]).toBe('a');
    expect(excerpt.lines[1]).toHaveLength(EXCERPT_MAX_CHARS);
    expect(excerpt.lines[1]!.endsWith('…')).toBe(true);
    expect(excerpt.lines[2]).toBe('b');
  });
});

describe('withExcerpts', () => {
  const files: Record<string, string> = { 'src/a.ts': text, 'package.json': '{\n  "name": "x"\n}\n' };
  const textOf = (path: string) => files[path];

  it('adds excerpts from project files only, never at the manifest anchor of a missing primitive', () => {
    const out = withExcerpts(
      [
        finding('src/a.ts', 5),
        finding('elsewhere.ts', 2),
        finding('package.json', 1),
        finding('package.json', 2),
      ],
      textOf,
      { file: 'package.json', line: 1 },
    );
    expect(out[0]!.excerpt).toEqual({
      startLine: 2,
      lines: ['line 2', 'line 3', 'line 4', 'line 5', 'line 6', 'line 7', 'line 8'],
    });
    expect(out[1]).not.toHaveProperty('excerpt');
    expect(out[2]).not.toHaveProperty('excerpt');
    expect(out[3]!.excerpt?.startLine).toBe(1);
  });

  it('treats line 1 of the fallback source file as an anchor when there is no manifest', () => {
    const out = withExcerpts([finding('src/a.ts', 1), finding('src/a.ts', 2)], textOf, {
      file: 'src/a.ts',
      line: 1,
    });
    expect(out[0]).not.toHaveProperty('excerpt');
    expect(out[1]!.excerpt?.startLine).toBe(1);
  });
});

describe('excerpts in a real audit and in SARIF', () => {
  it('fill findings of examples/naive-ts-agent from its source and pass the report schema', async () => {
    const report = await audit('examples/naive-ts-agent', { cwd: ROOT });
    expect(ReportSchema.safeParse(report).success).toBe(true);
    const inSource = report.findings.filter((f) => f.file === 'src/tools.ts');
    expect(inSource.length).toBeGreaterThan(0);
    for (const f of inSource) {
      const at = f.line - f.excerpt!.startLine;
      expect(f.excerpt!.lines[at]).toMatch(/\{/);
    }
    const anchored = report.findings.filter((f) => f.file === 'package.json' && f.line === 1);
    expect(anchored.length).toBeGreaterThan(0);
    for (const f of anchored) expect(f).not.toHaveProperty('excerpt');
  });

  it('carry the finding line as region.snippet and the excerpt as contextRegion', () => {
    const report = sampleReport();
    report.findings[0] = {
      ...report.findings[0]!,
      line: 41,
      excerpt: { startLine: 39, lines: ['a', 'b', 'the line', 'c'] },
    };
    const sarif = JSON.parse(formatSarif(report));
    const location = sarif.runs[0].results[0].locations[0].physicalLocation;
    expect(location.region).toEqual({ startLine: 41, snippet: { text: 'the line' } });
    expect(location.contextRegion).toEqual({
      startLine: 39,
      endLine: 42,
      snippet: { text: 'a\nb\nthe line\nc\n' },
    });
    const without = sarif.runs[0].results[1].locations[0].physicalLocation;
    expect(without.region).toEqual({ startLine: report.findings[1]!.line });
    expect(without).not.toHaveProperty('contextRegion');
  });
});

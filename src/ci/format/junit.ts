import type { Change } from '../regressions.js';
import type { CiResult } from '../run-ci.js';

const esc = (s: string) =>
  s
    .replace(
      /[<>&"']/g,
      (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!,
    )
    .replace(/[\x00-\x08\x0B\x0C\x0E-\x1F]/g, '');

interface Case {
  name: string;
  failure?: string;
  skipped?: string;
  file?: string;
  line?: number;
}

function suite(name: string, cases: Case[]): string[] {
  const failures = cases.filter((c) => c.failure !== undefined).length;
  const skipped = cases.filter((c) => c.skipped !== undefined).length;
  const lines = [
    `  <testsuite name="${esc(name)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="${skipped}">`,
  ];
  for (const c of cases) {
    const at = `${c.file ? ` file="${esc(c.file)}"` : ''}${c.line ? ` line="${c.line}"` : ''}`;
    const open = `    <testcase classname="${esc(name)}" name="${esc(c.name)}"${at}`;
    if (c.failure !== undefined) lines.push(`${open}><failure message="${esc(c.failure)}"/></testcase>`);
    else if (c.skipped !== undefined) lines.push(`${open}><skipped message="${esc(c.skipped)}"/></testcase>`);
    else lines.push(`${open}/>`);
  }
  lines.push('  </testsuite>');
  return lines;
}

/**
 * JUnit XML of the gate: a test per primitive and per eval case, failing only on regressions. Cases that
 * already failed in the baseline are reported as skipped (known debt), not as passes.
 */
export function formatCiJunit(r: CiResult): string {
  const c = r.comparison;
  const dropped = new Map(
    c.regressions.filter((x) => x.kind === 'score-dropped').map((x) => [x.primitive, x]),
  );
  const suites: string[] = [];
  const primitives = r.report?.primitives;
  suites.push(
    ...suite(
      'plumbline audit',
      primitives
        ? primitives.map((p) => ({ name: p.id, failure: dropped.get(p.id)?.message }))
        : [{ name: 'audit', skipped: 'no harness file changed; the baseline stands' }],
    ),
  );
  const newFindings = c.regressions.filter((x) => x.kind === 'finding-new');
  if (r.report)
    suites.push(
      ...suite(
        'plumbline findings',
        newFindings.length
          ? newFindings.map((x: Change) => ({
              name: `${x.finding!.criterion} ${x.finding!.fingerprint}`,
              failure: x.message,
              file: x.finding!.file,
            }))
          : [{ name: `no new finding at or above ${r.failOn}` }],
      ),
    );
  const caseRegression = new Map(
    c.regressions.filter((x) => x.suite && x.case).map((x) => [`${x.suite}\0${x.case}`, x.message]),
  );
  for (const s of r.evals?.suites ?? []) {
    if (s.status !== 'ran') {
      suites.push(...suite(s.id, [{ name: s.id, skipped: s.notice ?? 'skipped' }]));
      continue;
    }
    suites.push(
      ...suite(
        s.id,
        s.cases.map((k) => {
          const failure = caseRegression.get(`${s.id}\0${k.id}`);
          return {
            name: `${k.category}/${k.id}`,
            file: k.file,
            line: k.line,
            ...(failure
              ? { failure }
              : !k.pass
                ? { skipped: `known failure in the baseline (${k.decision})` }
                : {}),
          };
        }),
      ),
    );
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="plumbline ci">\n${suites.join('\n')}\n</testsuites>\n`;
}

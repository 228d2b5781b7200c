import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ReportSchema } from '../src/core/report.js';
import { REPORT_SCHEMA_ID, reportJsonSchema } from '../src/formatters/json-schema.js';
import { sampleReport } from './helpers/sample-report.js';

const committed = JSON.parse(readFileSync(new URL('../schema/report.schema.json', import.meta.url), 'utf8'));

describe('schema/report.schema.json', () => {
  it('is what the zod report schema generates now (regenerate: npm run build && node scripts/gen-schema.mjs)', () => {
    expect(committed).toEqual(reportJsonSchema());
    const { $id, title, description, ...generated } = committed;
    expect(generated).toEqual(z.toJSONSchema(ReportSchema));
    expect($id).toBe(REPORT_SCHEMA_ID);
    expect(title).toBe('plumbline audit report');
    expect(description).toMatch(/schemaVersion 1/);
  });

  it('accepts a realistic report and rejects a broken one', () => {
    const validator = z.fromJSONSchema(committed);
    expect(validator.safeParse(sampleReport()).success).toBe(true);
    const broken = { ...sampleReport(), primitives: [{ ...sampleReport().primitives[0], status: 'great' }] };
    expect(validator.safeParse(broken).success).toBe(false);
    const { gate: _gate, ...withoutGate } = sampleReport();
    expect(validator.safeParse(withoutGate).success).toBe(false);
  });
});

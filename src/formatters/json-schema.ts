import { z } from 'zod';
import { ReportSchema } from '../core/report.js';

/**
 * The JSON Schema of `--format json` reports, generated from the zod schema so the two cannot drift.
 * `scripts/gen-schema.mjs` writes it to `schema/report.schema.json`; test/schema.test.ts checks the file.
 */

/** A stable name rather than a URL: plumbline has no public home for the file yet. */
export const REPORT_SCHEMA_ID = 'urn:plumbline:schema:report:v1';

export function reportJsonSchema(): Record<string, unknown> {
  const { $schema, ...body } = z.toJSONSchema(ReportSchema);
  return {
    $schema,
    $id: REPORT_SCHEMA_ID,
    title: 'plumbline audit report',
    description: 'The report `plumbline audit --format json` prints (schemaVersion 1; changes are additive).',
    ...body,
  };
}

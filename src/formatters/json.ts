import { type Report, ReportSchema } from '../core/report.js';

/**
 * The report as JSON. Parsing through the schema puts keys in schema order whatever order the engine built
 * them in, drops anything the schema does not define, and fails loudly on a report that breaks its contract.
 */
export function formatJson(report: Report): string {
  return `${JSON.stringify(ReportSchema.parse(report), null, 2)}\n`;
}

import { formatInteger } from '../../shared/format-epoch';
import type { SummaryRow } from '../../shared/model-summary';

/** Keras' model.summary() layout. */
export function formatSummary(rows: SummaryRow[], total: number): string {
  const cells = rows.map((r) => [`${r.layer} (${r.type})`, `[${r.outputShape.map((d) => d ?? 'null').join(',')}]`, formatInteger(r.params)]);
  const header = ['Layer (type)', 'Output shape', 'Param #'];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)) + 2);
  const line = (c: string[]): string => c.map((v, i) => (i === 2 ? v.padStart(widths[i]) : v.padEnd(widths[i]))).join('');
  const rule = '─'.repeat(widths.reduce((a, b) => a + b, 0));
  return [rule, line(header), rule, ...cells.map(line), rule, `Total params: ${formatInteger(total)}`, rule].join('\n');
}

import type { SummaryRow } from '../../shared/model-summary';
import type { EpochLog } from '../../shared/training';

const grouped = (n: number): string => Math.round(n).toLocaleString('en-US');

/** One Keras-like line per epoch. */
export function formatEpoch(log: EpochLog, epochs: number): string {
  const parts = [
    `Epoch ${log.epoch + 1}/${epochs}${log.complete ? '' : ' (stopped)'}`,
    `${log.seconds.toFixed(1)}s`,
    `loss: ${log.loss.toFixed(4)}`,
    `accuracy: ${log.accuracy.toFixed(4)}`,
  ];
  if (log.valLoss !== undefined) parts.push(`val_loss: ${log.valLoss.toFixed(4)}`);
  if (log.valAccuracy !== undefined) parts.push(`val_accuracy: ${log.valAccuracy.toFixed(4)}`);
  parts.push(`${grouped(log.samplesPerSecond)} samples/s`);
  return parts.join(' - ');
}

/** Keras' model.summary() layout. */
export function formatSummary(rows: SummaryRow[], total: number): string {
  const cells = rows.map((r) => [`${r.layer} (${r.type})`, `[${r.outputShape.map((d) => d ?? 'null').join(',')}]`, grouped(r.params)]);
  const header = ['Layer (type)', 'Output shape', 'Param #'];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)) + 2);
  const line = (c: string[]): string => c.map((v, i) => (i === 2 ? v.padStart(widths[i]) : v.padEnd(widths[i]))).join('');
  const rule = '─'.repeat(widths.reduce((a, b) => a + b, 0));
  return [rule, line(header), rule, ...cells.map(line), rule, `Total params: ${grouped(total)}`, rule].join('\n');
}

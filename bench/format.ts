/** Small helpers the bench scripts share: statistics over measured samples, and number and table formatting. */
import { formatInteger } from '../src/shared/format-epoch';

/** Linear interpolation between the two closest ranks of an ascending array (q in [0, 1]). */
export function quantile(sorted: number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** Nearest rank of an ascending array (p in [0, 100]): always one of the samples. */
export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** The middle sample (the upper of the two middle ones for an even count), values in any order. */
export function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
}

/** A whole number with thousands separators: 12,345. */
/** The same grouping the CLI and the Train panel print. */
export const int = formatInteger;
/** Milliseconds (or any figure) to a fixed number of decimals. */
export const ms = (n: number, digits = 2): string => n.toFixed(digits);
/** A ratio: 1.23× below ten, 12.3× from there. */
export const times = (n: number): string => `${n.toFixed(n < 10 ? 2 : 1)}×`;

/** A Markdown table with padded columns; `right[i]` right-aligns column i. */
export function table(header: string[], rows: string[][], right: boolean[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string => tableRow(cells.map((c, i) => (right[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]))));
  const rule = `|${widths.map((w, i) => (right[i] ? `${'-'.repeat(w + 1)}:` : `${'-'.repeat(w + 2)}`)).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

/** One Markdown table row, cells as given (for tables printed a row at a time). */
export const tableRow = (cells: string[]): string => `| ${cells.join(' | ')} |`;

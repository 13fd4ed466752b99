import type { ModelComparison } from '$shared/comparison';
import { robustnessVariant } from '$shared/robustness';

export interface CompareRow {
  /** Stable key: a class index, or a robustness variant's id. */
  key: string;
  label: string;
  a: number;
  b: number;
}

/** Recall of each class, side by side; the class names are a's (b's shown too where they differ). */
export function recallRows(comparison: ModelComparison): CompareRow[] {
  const { a, b } = comparison;
  return a.classNames.map((name, c) => {
    const other = b.classNames[c];
    return { key: String(c), label: other === undefined || other === name ? name : `${name} / ${other}`, a: a.recall[c], b: b.recall[c] ?? Number.NaN };
  });
}

/** The robustness check, side by side: untouched images first, then each variant both were scored on. */
export function robustnessRows(comparison: ModelComparison): CompareRow[] {
  const [a, b] = comparison.robustness;
  const bByVariant = new Map(b.rows.map((row) => [row.variant, row.accuracy]));
  return [
    { key: 'original', label: 'untouched test images', a: a.original, b: b.original },
    ...a.rows.map((row) => ({
      key: row.variant,
      label: robustnessVariant(row.variant)?.label ?? row.variant,
      a: row.accuracy,
      b: bByVariant.get(row.variant) ?? Number.NaN,
    })),
  ];
}

/** "+1.25" / "−0.40" percentage points from a to b; empty when either is unknown. */
export function pointsDifference(a: number, b: number): string {
  if (!Number.isFinite(a) || !Number.isFinite(b)) return '';
  const d = (b - a) * 100;
  const text = Math.abs(d).toFixed(2);
  return text === '0.00' ? '±0.00' : `${d > 0 ? '+' : '−'}${text}`;
}

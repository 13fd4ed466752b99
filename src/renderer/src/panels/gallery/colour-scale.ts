/**
 * Colours for the confusion matrix: correct counts (the diagonal) in the accent blue, errors in orange,
 * each scaled to its own maximum, so a handful of errors still shows beside thousands of correct ones.
 * Orange and blue stay apart for the common colour-vision deficiencies.
 */
export function cellColour(value: number, max: number, diagonal: boolean): string {
  if (value <= 0 || max <= 0) return 'transparent';
  // A square root lifts small counts: 1 error among 100 must not vanish.
  const t = Math.sqrt(Math.min(1, value / max));
  const alpha = (0.12 + 0.78 * t).toFixed(3);
  return diagonal ? `rgba(47, 111, 222, ${alpha})` : `rgba(230, 120, 20, ${alpha})`;
}

/** Dark text on light cells, light text on strong ones. */
export function cellText(value: number, max: number): string {
  return max > 0 && Math.sqrt(value / max) > 0.6 ? '#fff' : 'var(--text)';
}

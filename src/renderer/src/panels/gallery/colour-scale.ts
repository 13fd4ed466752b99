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
  return diagonal ? `rgba(30, 80, 180, ${alpha})` : `rgba(230, 120, 20, ${alpha})`;
}

/**
 * The text colour that keeps WCAG AA contrast (4.5:1) on a cell, in either theme: the theme's own text
 * on pale cells, white on strong blue, near-black on strong orange (white on orange is about 3:1).
 */
export function cellText(value: number, max: number, diagonal: boolean): string {
  const t = max > 0 ? Math.sqrt(Math.min(1, value / max)) : 0;
  if (diagonal) return t > 0.85 ? '#fff' : 'var(--text)';
  return t > 0.7 ? '#111' : 'var(--text)';
}

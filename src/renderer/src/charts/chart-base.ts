/** What the Runs tab's chart.js charts share, so each states only what is its own. */

/** Drawn at once (no animation), sized by its box, data handed over already as {x, y} points. */
export const STATIC_CHART = { animation: false, responsive: true, maintainAspectRatio: false, parsing: false } as const;

/** The theme's muted text and grid colours, read from the canvas' CSS (they follow light and dark). */
export function themeColours(canvas: HTMLCanvasElement): { text: string; grid: string } {
  const css = getComputedStyle(canvas);
  return { text: css.getPropertyValue('--text-muted').trim(), grid: css.getPropertyValue('--border').trim() };
}

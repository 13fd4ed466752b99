/** At most this many runs overlay their curves at once. */
export const MAX_TICKED = 10;

/**
 * Ten colours told apart on light and dark backgrounds alike (Tableau 10), one per ticked run; the
 * user can change any of them.
 */
export const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'] as const;

/** The first palette colour no ticked run uses yet (the first again when all ten are taken). */
export function freeColour(taken: Iterable<string>): string {
  const used = new Set(taken);
  return PALETTE.find((colour) => !used.has(colour)) ?? PALETTE[0];
}

/** A colour from an <input type="color">: only #rrggbb is kept, anything else falls back. */
export function cleanColour(value: string, fallback: string): string {
  return /^#[0-9a-f]{6}$/i.test(value) ? value.toLowerCase() : fallback;
}

/**
 * When the Draw tab should say "not sure" rather than name a digit: the network always answers, even
 * for a dot or a dash, so its top class alone misleads. Pure: the thresholds are tested on their own.
 */
export interface Doubt {
  reason: 'low-confidence' | 'too-small' | 'too-simple';
  /** What to do about it, in a few words. */
  hint: string;
}

export interface DrawingShape {
  /** The ink's bounding box in drawing units (the canvas is 280 wide), pen width included. */
  width: number;
  height: number;
  /** The pen's width in the same units. */
  penWidth: number;
}

/** Below this top probability the answer is a guess. */
export const CONFIDENT = 0.7;
/**
 * A mark whose longer side is under this many pen widths is a dot or a speck. (Small digits are fine:
 * recognition re-draws them with a thinner pen, see shared/preprocess/pen-width.ts.)
 */
const MIN_PEN_WIDTHS = 2;
/** A mark thinner than this many pen widths both ways is a dot or a dash, not a digit (a 1 is tall). */
const MIN_TALL_PEN_WIDTHS = 1.6;

export function doubtOf(shape: DrawingShape, confidence: number): Doubt | null {
  const longer = Math.max(shape.width, shape.height);
  if (longer < MIN_PEN_WIDTHS * shape.penWidth) return { reason: 'too-small', hint: 'Draw bigger: fill most of the box.' };
  if (shape.height < MIN_TALL_PEN_WIDTHS * shape.penWidth) {
    return { reason: 'too-simple', hint: 'That looks like a dash, not a digit: draw the whole digit.' };
  }
  if (!(confidence >= CONFIDENT)) return { reason: 'low-confidence', hint: 'Try drawing it more clearly, or bigger and centred.' };
  return null;
}

import { z } from 'zod';

/**
 * "Your handwriting": digits the user drew and labelled in the Draw view, kept with their raw strokes
 * so a change to the preprocessing can rebuild every 28×28 image. Stored in `<userData>/handwriting/`.
 */

export const HANDWRITING_CLASSES = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] as const;
export const HANDWRITING_SIZE = 28;
export const HANDWRITING_PIXELS = HANDWRITING_SIZE * HANDWRITING_SIZE;
export const HANDWRITING_NAME = 'Your handwriting';

/** Bounds on everything a set may hold: a file or a message past these is refused, not parsed. */
export const HANDWRITING_LIMITS = {
  samples: 5000,
  strokesPerSample: 64,
  pointsPerStroke: 2000,
  pointsPerSample: 8000,
  /**
   * The pen's path in all, in canvas units (the sum of its segments' lengths). A digit drawn on the
   * 280-unit canvas is a few hundred to a few thousand; 60,000 (some two hundred canvas widths) refuses
   * no real drawing. Rasterizing costs about in proportion to it: 8000 points zig-zagging across the
   * whole canvas take ~4 s each (5000 imported ones, hours of rebuild); under this cap a sample takes
   * ~0.1 s at worst, as 8000 short segments already do.
   */
  strokeLength: 60_000,
  /** Drawing coordinates live on the 280-px canvas; a little slack for a pen that leaves it. */
  coordinate: 10_000,
  /** The set file: 5000 real drawings, strokes and images, fit well inside; a change past it is refused. */
  fileBytes: 64 * 1024 * 1024,
} as const;

export interface HandwritingPoint {
  x: number;
  y: number;
}

/** One drawn digit as the Data tab and Gallery see it (its strokes stay in main). */
export interface HandwritingSample {
  /** Unique in the set: 1..64 characters of [A-Za-z0-9_-]. */
  id: string;
  label: number;
  /** ISO time it was saved. */
  created: string;
  /** 28×28 grey levels 0..255, 0 = background, row-major. */
  image: Uint8Array;
}

/** The whole set, newest last: what handwriting:list answers. */
export interface HandwritingSet {
  samples: HandwritingSample[];
  /** Samples per class 0..9. */
  counts: number[];
}

export const sampleId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'an id of 1 to 64 letters, digits, _ or -');
export const digitLabel = z.number().int().min(0).max(9);
const coordinate = z.number().finite().min(-HANDWRITING_LIMITS.coordinate).max(HANDWRITING_LIMITS.coordinate);
export const strokesSchema = z
  .array(z.array(z.object({ x: coordinate, y: coordinate })).min(1).max(HANDWRITING_LIMITS.pointsPerStroke))
  .min(1)
  .max(HANDWRITING_LIMITS.strokesPerSample)
  .refine((strokes) => strokes.reduce((n, s) => n + s.length, 0) <= HANDWRITING_LIMITS.pointsPerSample, {
    message: `at most ${HANDWRITING_LIMITS.pointsPerSample} points in all`,
  })
  .refine((strokes) => strokeLength(strokes) <= HANDWRITING_LIMITS.strokeLength, {
    message: `at most ${HANDWRITING_LIMITS.strokeLength} canvas units of pen path in all`,
  });

/** How far the pen travelled while down: the sum of every stroke's segment lengths. */
export function strokeLength(strokes: readonly (readonly HandwritingPoint[])[]): number {
  let length = 0;
  for (const stroke of strokes) for (let i = 1; i < stroke.length; i++) length += Math.hypot(stroke[i].x - stroke[i - 1].x, stroke[i].y - stroke[i - 1].y);
  return length;
}

/** What the Draw view sends to save one drawing. */
export const saveSampleSchema = z.object({
  label: digitLabel,
  strokes: strokesSchema,
  /** The preprocessed 28×28 image the model saw, grey levels 0..255. */
  /** Plain numbers, not a typed array: every way of calling main (IPC, the e2e bridge) carries them intact. */
  image: z.array(z.number().int().min(0).max(255)).length(HANDWRITING_PIXELS),
});
export type SaveSampleRequest = z.infer<typeof saveSampleSchema>;

/** Per class 0..9, how many samples a list holds. */
export function countByClass(labels: Iterable<number>): number[] {
  const counts = new Array<number>(HANDWRITING_CLASSES.length).fill(0);
  for (const label of labels) counts[label]++;
  return counts;
}

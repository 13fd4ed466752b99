import { Random } from '../../src/engine/ml/random';

/**
 * Digits in one consistent, unusual hand, for the handwriting tests: strongly slanted backwards
 * (leaning left, which MNIST's writers seldom did), with a slashed 0, a footed 1, a looped 2, a
 * flat-topped 3, a closed 4, a crossed 7 and a 9 whose tail curls back. The bundled model reads
 * about half of them right. Each template is a list of strokes in a unit box (x right, y down); a
 * seeded generator jitters every point a little and places the digit on the 280-px Draw canvas, as
 * a person's repeats vary.
 */

type Template = [number, number][][];

const arc = (cx: number, cy: number, rx: number, ry: number, from: number, to: number, n = 14): [number, number][] =>
  Array.from({ length: n + 1 }, (_, i) => {
    const a = ((from + ((to - from) * i) / n) * Math.PI) / 180;
    return [cx + rx * Math.cos(a), cy + ry * Math.sin(a)];
  });

export const TEMPLATES: readonly Template[] = [
  // A slashed zero.
  [arc(0.5, 0.5, 0.32, 0.48, -90, 270, 20), [[0.85, 0.05], [0.15, 0.95]]],
  // A flag and a foot.
  [[[0.15, 0.3], [0.55, 0.0], [0.55, 1.0]], [[0.2, 1.0], [0.9, 1.0]]],
  // A loop at the bottom left.
  [[...arc(0.5, 0.3, 0.32, 0.3, 180, 360, 10), [0.2, 0.9], ...arc(0.3, 0.85, 0.15, 0.15, 0, 360, 8), [0.95, 1.0]]],
  // A flat-topped 3, like a z with a bowl.
  [[[0.1, 0.0], [0.85, 0.0], [0.35, 0.4], ...arc(0.45, 0.7, 0.35, 0.3, -90, 150, 12)]],
  // A closed 4.
  [[[0.65, 1.0], [0.65, 0.0], [0.05, 0.65], [0.95, 0.65]]],
  [[[0.85, 0.0], [0.25, 0.0], [0.2, 0.42], ...arc(0.48, 0.68, 0.34, 0.3, 225, 500, 12)]],
  [[[0.7, 0.0], ...arc(0.5, 0.68, 0.32, 0.32, 200, 560, 16)]],
  // A crossed 7 with a hooked top.
  [[[0.05, 0.2], [0.1, 0.0], [0.9, 0.0], [0.4, 1.0]], [[0.25, 0.5], [0.85, 0.5]]],
  [[...arc(0.5, 0.25, 0.26, 0.25, 90, 450, 12), ...arc(0.5, 0.73, 0.32, 0.27, -90, 270, 14)]],
  // A 9 with a tail that curls back left, like a g.
  [[...arc(0.5, 0.28, 0.3, 0.28, 0, 360, 14), [0.8, 0.75], ...arc(0.5, 0.75, 0.3, 0.25, 0, 160, 8)]],
];

/** Back-slanted: the top of a digit this much of its height to the left of its bottom (about 50°). */
const SLANT = -1.2;

export interface Point {
  x: number;
  y: number;
}

/** One drawing of `digit` on the 280-px canvas, varied by `random`. */
export function slantedDigit(digit: number, random: Random): Point[][] {
  const height = 150 + random.symmetric(15);
  const width = height * 0.55;
  const left = 70 + random.symmetric(12);
  const top = 65 + random.symmetric(12);
  const slant = SLANT + random.symmetric(0.08);
  return TEMPLATES[digit].map((stroke) =>
    stroke.map(([u, v]) => {
      const x = u + random.symmetric(0.03);
      const y = v + random.symmetric(0.03);
      return { x: left + (x + slant * (1 - y)) * width, y: top + y * height };
    }),
  );
}

/** `perClass` drawings of each digit 0..9, class by class, from a seed. */
export function slantedDigits(perClass: number, seed: number): { label: number; strokes: Point[][] }[] {
  const random = new Random(seed);
  const out: { label: number; strokes: Point[][] }[] = [];
  for (let digit = 0; digit < 10; digit++) {
    for (let i = 0; i < perClass; i++) out.push({ label: digit, strokes: slantedDigit(digit, random) });
  }
  return out;
}

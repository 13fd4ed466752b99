/**
 * The diverging colour map for weights and gradients: blue for negative, near-white for zero, orange-red
 * for positive. Blue against orange stays distinct under the common colour-vision deficiencies (both
 * red–green kinds and blue–yellow), and both arms are computed in CIELAB with the same lightness at
 * equal distance from zero, so |w| reads the same whatever its sign, in print and in greyscale too.
 */

type Lab = readonly [number, number, number];

/** The ends and the middle of the map, in CIELAB (D65): equal L* for both ends makes it symmetric. */
const NEGATIVE: Lab = [42, 8, -50];
const ZERO: Lab = [97, 0, 0];
const POSITIVE: Lab = [42, 50, 50];

/** Entries in the lookup table: odd, so that 0 has its own entry in the middle. */
export const LUT_SIZE = 513;
const MIDDLE = (LUT_SIZE - 1) / 2;

function labToSrgb([l, a, b]: Lab): [number, number, number] {
  // CIELAB → XYZ (D65 white) → linear sRGB → gamma-encoded bytes, clamped into the gamut.
  const fy = (l + 16) / 116;
  const fx = fy + a / 500;
  const fz = fy - b / 200;
  const inv = (t: number): number => (t > 6 / 29 ? t ** 3 : 3 * (6 / 29) ** 2 * (t - 4 / 29));
  const x = 0.95047 * inv(fx);
  const y = inv(fy);
  const z = 1.08883 * inv(fz);
  const linear = [
    3.2404542 * x - 1.5371385 * y - 0.4985314 * z,
    -0.969266 * x + 1.8760108 * y + 0.041556 * z,
    0.0556434 * x - 0.2040259 * y + 1.0572252 * z,
  ];
  return linear.map((c) => {
    const v = Math.min(1, Math.max(0, c));
    const encoded = v <= 0.0031308 ? 12.92 * v : 1.055 * v ** (1 / 2.4) - 0.055;
    return Math.round(encoded * 255);
  }) as [number, number, number];
}

/** The colour of t in [-1, 1] (values outside are clamped), as sRGB bytes. */
export function divergingColour(t: number): [number, number, number] {
  const s = Number.isFinite(t) ? Math.min(1, Math.max(-1, t)) : 0;
  const end = s < 0 ? NEGATIVE : POSITIVE;
  const k = Math.abs(s);
  return labToSrgb([ZERO[0] + (end[0] - ZERO[0]) * k, ZERO[1] + (end[1] - ZERO[1]) * k, ZERO[2] + (end[2] - ZERO[2]) * k]);
}

/** The map sampled at LUT_SIZE points: entry i holds t = 2i/(LUT_SIZE-1) - 1 as r, g, b. */
export function buildLut(): Uint8Array {
  const lut = new Uint8Array(LUT_SIZE * 3);
  for (let i = 0; i < LUT_SIZE; i++) lut.set(divergingColour(i / MIDDLE - 1), i * 3);
  return lut;
}

let shared: Uint8Array | null = null;
/** One table for every canvas of the window. */
export function colourLut(): Uint8Array {
  shared ??= buildLut();
  return shared;
}

/** The table index for value v on a symmetric scale ±max (max ≤ 0 shows everything as zero). */
export function lutIndex(v: number, max: number): number {
  if (!(max > 0) || !Number.isFinite(v)) return MIDDLE;
  // The same arithmetic as the tile and heatmap loops, so they pick the very same entries.
  return tableIndex(v * (MIDDLE / max) + MIDDLE + 0.5, LUT_SIZE - 1);
}

/**
 * floor(y) clamped to [0, top]: Math.round costs more than the rest of the loop, and `| 0` after the
 * clamp is floor for the non-negative values left (NaN goes to 0). The tile and heatmap loops call it for every pixel.
 */
export function tableIndex(y: number, top: number): number {
  return y >= top ? top : y > 0 ? y | 0 : 0;
}

/** CSS colour for the value. */
export function cssColour(v: number, max: number): string {
  const i = lutIndex(v, max) * 3;
  const lut = colourLut();
  return `rgb(${lut[i]} ${lut[i + 1]} ${lut[i + 2]})`;
}

/** The legend's labelled values: symmetric around 0, from -max to +max. */
export function legendTicks(max: number): number[] {
  return [-max, -max / 2, 0, max / 2, max];
}

/** A weight short enough for a legend or a tooltip: 3 significant digits, no "-0". */
export function formatWeight(v: number): string {
  if (v === 0 || Object.is(v, -0)) return '0';
  const abs = Math.abs(v);
  if (abs >= 1e4 || abs < 1e-3) return v.toExponential(1);
  const text = v.toPrecision(3);
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

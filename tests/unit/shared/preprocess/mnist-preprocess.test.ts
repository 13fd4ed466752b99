import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  inkFromRgba,
  normalizeInput,
  preprocessDigit,
  type GreyImage,
} from '$shared/preprocess/mnist-preprocess';

const CANVAS = 280;

type Segment = readonly [x0: number, y0: number, x1: number, y1: number];

/** Digit skeletons in a unit box (x right, y down), drawn as round-capped thick strokes. */
const SEVEN: readonly Segment[] = [
  [0.1, 0.08, 0.85, 0.08],
  [0.85, 0.08, 0.4, 0.95],
  [0.35, 0.5, 0.75, 0.5],
];
const FOUR: readonly Segment[] = [
  [0.6, 0.05, 0.1, 0.65],
  [0.1, 0.65, 0.9, 0.65],
  [0.65, 0.3, 0.65, 0.97],
];

/** Renders `strokes` scaled to `size` px at (`left`, `top`), anti-aliased by distance to the stroke edge. */
function drawDigit(strokes: readonly Segment[], left: number, top: number, size: number): GreyImage {
  const radius = size * 0.07;
  const data = new Float32Array(CANVAS * CANVAS);
  for (let i = 0; i < CANVAS; i++) {
    for (let j = 0; j < CANVAS; j++) {
      const px = j + 0.5;
      const py = i + 0.5;
      let nearest = Infinity;
      for (const [x0, y0, x1, y1] of strokes) {
        const ax = left + x0 * size;
        const ay = top + y0 * size;
        const dx = (x1 - x0) * size;
        const dy = (y1 - y0) * size;
        const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
        nearest = Math.min(nearest, Math.hypot(px - ax - t * dx, py - ay - t * dy));
      }
      data[i * CANVAS + j] = Math.max(0, Math.min(1, radius + 0.5 - nearest));
    }
  }
  return { width: CANVAS, height: CANVAS, data };
}

function blank(): GreyImage {
  return { width: CANVAS, height: CANVAS, data: new Float32Array(CANVAS * CANVAS) };
}

function meanAbsDiff(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i] - b[i]);
  return sum / a.length;
}

/** Rows and columns spanned by pixels above `level`. */
function inkExtent(image: GreyImage, level: number): { width: number; height: number } {
  let left = Infinity;
  let right = -Infinity;
  let top = Infinity;
  let bottom = -Infinity;
  for (let i = 0; i < image.height; i++) {
    for (let j = 0; j < image.width; j++) {
      if (image.data[i * image.width + j] > level) {
        left = Math.min(left, j);
        right = Math.max(right, j);
        top = Math.min(top, i);
        bottom = Math.max(bottom, i);
      }
    }
  }
  return { width: right - left + 1, height: bottom - top + 1 };
}

/** Intensity-weighted centre of mass, pixel centres at index + 0.5. */
function centreOfMass(image: GreyImage): { x: number; y: number } {
  let mass = 0;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < image.height; i++) {
    for (let j = 0; j < image.width; j++) {
      const v = image.data[i * image.width + j];
      mass += v;
      sx += v * (j + 0.5);
      sy += v * (i + 0.5);
    }
  }
  return { x: sx / mass, y: sy / mass };
}

function loadMnistTestImages(count: number): Float32Array[] {
  const idx = gunzipSync(readFileSync(join(process.cwd(), 'resources/datasets/mnist/t10k-images-idx3-ubyte.gz')));
  const images: Float32Array[] = [];
  for (let k = 0; k < count; k++) {
    const bytes = idx.subarray(16 + k * 784, 16 + (k + 1) * 784);
    images.push(Float32Array.from(bytes, (v) => v / 255));
  }
  return images;
}

/** Enlarges a 28×28 image `factor` times, by pixel replication or by bilinear interpolation between pixel centres. */
function upscale(image: Float32Array, factor: number, mode: 'nearest' | 'bilinear'): GreyImage {
  const size = 28 * factor;
  const data = new Float32Array(size * size);
  const at = (i: number, j: number): number => (i < 0 || j < 0 || i > 27 || j > 27 ? 0 : image[i * 28 + j]);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      if (mode === 'nearest') {
        data[y * size + x] = at(Math.floor(y / factor), Math.floor(x / factor));
        continue;
      }
      const v = (y + 0.5) / factor - 0.5;
      const u = (x + 0.5) / factor - 0.5;
      const i0 = Math.floor(v);
      const j0 = Math.floor(u);
      const fy = v - i0;
      const fx = u - j0;
      const top = (1 - fx) * at(i0, j0) + fx * at(i0, j0 + 1);
      const bottom = (1 - fx) * at(i0 + 1, j0) + fx * at(i0 + 1, j0 + 1);
      data[y * size + x] = (1 - fy) * top + fy * bottom;
    }
  }
  return { width: size, height: size, data };
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.round(q * (sorted.length - 1))];
}

describe('preprocessDigit', () => {
  it('returns null for an empty canvas', () => {
    expect(preprocessDigit(blank())).toBeNull();
  });

  it('returns null for a single pixel below the ink threshold, but not for one above it', () => {
    const faint = blank();
    faint.data[100 * CANVAS + 100] = 0.01;
    expect(preprocessDigit(faint)).toBeNull();
    faint.data[100 * CANVAS + 100] = 0.5;
    expect(preprocessDigit(faint)).not.toBeNull();
  });

  it('gives nearly the same input for a digit drawn small in a corner and large in the middle', () => {
    for (const digit of [SEVEN, FOUR]) {
      const small = preprocessDigit(drawDigit(digit, 8, 12, 70))!;
      const large = preprocessDigit(drawDigit(digit, 25, 20, 240))!;
      expect(meanAbsDiff(small.input, large.input)).toBeLessThan(0.05);
    }
  });

  it('scales the longer side to 20 px and puts the centre of mass in pixel (14, 14)', () => {
    for (const digit of [SEVEN, FOUR]) {
      const { input, steps } = preprocessDigit(drawDigit(digit, 30, 15, 200))!;
      expect(input).toHaveLength(784);
      expect(Math.max(steps.scaled.width, steps.scaled.height)).toBe(20);
      const centred: GreyImage = { width: 28, height: 28, data: input };
      const extent = inkExtent(centred, 0.1);
      expect(Math.max(extent.width, extent.height)).toBeGreaterThanOrEqual(19);
      expect(Math.max(extent.width, extent.height)).toBeLessThanOrEqual(21);
      // Whole-pixel centring, as MNIST: the centre of mass lands inside pixel 14, i.e. in [14, 15).
      for (const c of Object.values(centreOfMass(centred))) {
        expect(c).toBeGreaterThanOrEqual(14);
        expect(c).toBeLessThan(15);
      }
    }
  });

  it('keeps the aspect ratio: a tall thin 1 stays tall and thin', () => {
    const one = drawDigit([[0.5, 0, 0.5, 1]], 60, 30, 220);
    const { input, steps } = preprocessDigit(one)!;
    expect(steps.scaled.height).toBe(20);
    expect(steps.scaled.width).toBeLessThanOrEqual(3);
    const extent = inkExtent({ width: 28, height: 28, data: input }, 0.1);
    expect(extent.height).toBeGreaterThanOrEqual(19);
    expect(extent.width).toBeLessThanOrEqual(4);
  });

  it('reproduces MNIST test images from 10× enlargements', () => {
    const originals = loadMnistTestImages(100);
    const errors = (mode: 'nearest' | 'bilinear'): number[] =>
      originals.map((original) => meanAbsDiff(preprocessDigit(upscale(original, 10, mode))!.input, original));

    // Replicated pixels scale back exactly; only sub-threshold haze at a box edge can be lost.
    const nearest = errors('nearest');
    expect(Math.max(...nearest)).toBeLessThan(0.002);

    // Interpolation widens each digit by about one source pixel and softens it, so it comes back
    // ~5% smaller and blurred; measured on these 100: median 0.038, 90th percentile 0.051, max 0.083.
    const bilinear = errors('bilinear');
    expect(quantile(bilinear, 0.5)).toBeLessThan(0.045);
    expect(quantile(bilinear, 0.9)).toBeLessThan(0.06);
    expect(Math.max(...bilinear)).toBeLessThan(0.1);
  });
});

describe('normalizeInput', () => {
  it("'unit' scales to L2 length 1 and leaves the zero vector at zero", () => {
    const pixels = Float32Array.from({ length: 784 }, (_, i) => ((i * 37) % 11) / 10);
    const unit = normalizeInput(pixels, 'unit');
    expect(Math.hypot(...unit)).toBeCloseTo(1, 5);
    expect(unit[5] / unit[3]).toBeCloseTo(pixels[5] / pixels[3], 5);
    expect(Array.from(normalizeInput(new Float32Array(784), 'unit'))).toEqual(new Array(784).fill(0));
  });

  it("'divide255' passes 0..1 values through in a new array", () => {
    const pixels = Float32Array.from({ length: 784 }, (_, i) => (i % 256) / 255);
    const out = normalizeInput(pixels, 'divide255');
    expect(out).not.toBe(pixels);
    expect(out).toEqual(pixels);
  });
});

describe('inkFromRgba', () => {
  const size = 4;
  /** A 4×4 canvas filled with `background` with `ink` at pixel 5 and `edge` (if given) at pixel 6. */
  function canvas(background: number[], ink: number[], edge?: number[]): Uint8ClampedArray {
    const rgba = new Uint8ClampedArray(size * size * 4);
    for (let p = 0; p < size * size; p++) rgba.set(background, p * 4);
    rgba.set(ink, 5 * 4);
    if (edge) rgba.set(edge, 6 * 4);
    return rgba;
  }

  it('reads dark ink on an opaque white canvas', () => {
    const rgba = canvas([255, 255, 255, 255], [0, 0, 0, 255], [128, 128, 128, 255]);
    for (const background of [undefined, 'light'] as const) {
      const { data } = inkFromRgba(rgba, size, size, { background });
      expect(data[5]).toBeCloseTo(1, 5);
      expect(data[6]).toBeCloseTo(0.5, 2);
      expect(data[0]).toBe(0);
    }
  });

  it('reads a saturated coloured pen on white as full ink', () => {
    const { data } = inkFromRgba(canvas([255, 255, 255, 255], [20, 40, 0, 255]), size, size);
    expect(data[5]).toBeCloseTo(1, 5);
  });

  it('reads white ink on an opaque black canvas', () => {
    const rgba = canvas([0, 0, 0, 255], [255, 255, 255, 255]);
    for (const background of [undefined, 'dark'] as const) {
      const { data } = inkFromRgba(rgba, size, size, { background });
      expect(data[5]).toBeCloseTo(1, 5);
      expect(data[0]).toBe(0);
    }
  });

  it('reads coloured ink on a transparent canvas from alpha', () => {
    const rgba = canvas([0, 0, 0, 0], [200, 30, 60, 255], [200, 30, 60, 128]);
    for (const background of [undefined, 'transparent'] as const) {
      const { data } = inkFromRgba(rgba, size, size, { background });
      expect(data[5]).toBeCloseTo(1, 5);
      expect(data[6]).toBeCloseTo(128 / 255, 5);
      expect(data[0]).toBe(0);
    }
  });
});

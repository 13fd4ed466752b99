/**
 * Turns a drawing into a 28×28 network input the way MNIST was built (LeCun et al.): crop to the
 * ink's bounding box, scale with area averaging so the longer side is 20 px (aspect ratio kept),
 * then place it in a 28×28 field with its intensity-weighted centre of mass in the centre pixel.
 *
 * Pure TypeScript over typed arrays (no DOM, no Node APIs) so the renderer, workers and Node tests
 * share it. Coordinates are continuous: pixel (row i, column j) covers [j, j + 1) × [i, i + 1), so
 * its centre is (j + 0.5, i + 0.5).
 */

import type { Normalization } from '../model-spec';
import { scaleToUnitLength } from '../vector';
import type { GreyImage } from './grey-image';
import { placeAt, resampleArea } from './resample';
import { MODEL_IMAGE } from '../model-input';

export type { GreyImage, Normalization };


/** Intermediate images, for showing the user what the network sees. */
export interface PreprocessSteps {
  /** The ink's bounding box cut out of the drawing, at drawing resolution. */
  crop: GreyImage;
  /** The crop area-averaged so its longer side spans exactly 20 px (the shorter side is rounded up). */
  scaled: GreyImage;
  /** 28×28, centre of mass inside pixel (`MNIST_CENTRE_PIXEL`, `MNIST_CENTRE_PIXEL`). */
  centred: GreyImage;
}

export const MNIST_SIZE = MODEL_IMAGE.rows;
export const MNIST_BOX = 20;
/**
 * The pixel (row and column index) that receives the centre of mass. MNIST was shifted by whole
 * pixels so that the centre of mass, measured in pixel indices, rounds to 14: over its 10,000 test
 * images the continuous centre of mass lies evenly spread in [14, 15) on both axes (means 14.51,
 * 14.49), i.e. inside pixel 14 and not at the field's midpoint 14.0. Centring on 14.0 instead
 * would put every drawing half a pixel up and left of what the network was trained on.
 */
export const MNIST_CENTRE_PIXEL = 14;
/** Ink below this is ignored when looking for the bounding box; 5/255 drops only faint haze. */
export const DEFAULT_INK_THRESHOLD = 0.02;

/**
 * Converts canvas pixels (RGBA, 4 bytes per pixel, row-major, as `ImageData.data`) into ink.
 *
 * `background`: 'light' = dark ink on an opaque light canvas, 'dark' = light ink on a dark one,
 * 'transparent' = anything drawn on a cleared canvas, where alpha is the ink whatever its colour.
 * Omitted, it is detected: any pixel with alpha < 255 means transparent, otherwise the mean
 * brightness decides, since ink covers far less than half a digit canvas.
 *
 * On opaque canvases ink is the darkest channel's darkness (light) or the brightest channel's
 * brightness (dark) rather than luminance, so a saturated coloured pen still reads as full ink and
 * its anti-aliased edges keep their coverage.
 */
export function inkFromRgba(
  rgba: Uint8ClampedArray | Uint8Array,
  width: number,
  height: number,
  opts: { background?: 'light' | 'dark' | 'transparent' } = {},
): GreyImage {
  const n = width * height;
  if (rgba.length < n * 4) throw new RangeError(`expected ${n * 4} RGBA bytes, got ${rgba.length}`);
  const background = opts.background ?? detectBackground(rgba, n);
  const data = new Float32Array(n);
  for (let p = 0, q = 0; p < n; p++, q += 4) {
    const r = rgba[q];
    const g = rgba[q + 1];
    const b = rgba[q + 2];
    const a = rgba[q + 3];
    if (background === 'transparent') {
      data[p] = a / 255;
    } else if (background === 'light') {
      // Composited over white: 1 - min(a·c + (1 - a)) = a·(1 - min c).
      data[p] = (a / 255) * (1 - Math.min(r, g, b) / 255);
    } else {
      data[p] = (a / 255) * (Math.max(r, g, b) / 255);
    }
  }
  return { width, height, data };
}

function detectBackground(rgba: Uint8ClampedArray | Uint8Array, n: number): 'light' | 'dark' | 'transparent' {
  let brightness = 0;
  for (let q = 0; q < n * 4; q += 4) {
    if (rgba[q + 3] < 255) return 'transparent';
    brightness += rgba[q] + rgba[q + 1] + rgba[q + 2];
  }
  return brightness > n * 3 * 127.5 ? 'light' : 'dark';
}

/**
 * Runs the MNIST pipeline on `ink`. Returns null when no pixel exceeds `inkThreshold` (empty
 * canvas), so the caller can ask for a digit. `input` is 784 values, row-major 28×28, 0..1, and is
 * the same buffer as `steps.centred.data`.
 *
 * The centre-of-mass shift is rounded to whole pixels, as MNIST's was: a fractional, interpolated
 * shift would blur every input slightly, which MNIST digits never are. So the continuous centre of
 * mass lands in [14, 15) on each axis (unless an off-centre stroke pushes ink past the field's
 * edge, which MNIST also clips). Fed a 10× nearest-neighbour enlargement of an MNIST image, this
 * returns the original.
 */
export function preprocessDigit(
  ink: GreyImage,
  opts: { inkThreshold?: number } = {},
): { input: Float32Array; steps: PreprocessSteps } | null {
  const threshold = opts.inkThreshold ?? DEFAULT_INK_THRESHOLD;
  const crop = cropToInk(ink, threshold);
  if (!crop) return null;

  const longer = Math.max(crop.width, crop.height);
  const scale = MNIST_BOX / longer;
  // The small epsilon stops float error (147 * (20 / 147) = 20.000000000000004) adding a column.
  const scaledWidth = Math.max(1, Math.ceil(crop.width * scale - 1e-9));
  const scaledHeight = Math.max(1, Math.ceil(crop.height * scale - 1e-9));
  // Centre the content in its rounded-up box, so the spare fraction is split evenly between sides.
  const scaled = resampleArea(
    crop,
    scaledWidth,
    scaledHeight,
    scale,
    (scaledWidth - crop.width * scale) / 2,
    (scaledHeight - crop.height * scale) / 2,
  );

  // Round in index space (centre of pixel k is k + 0.5) so the centre of mass ends in [k, k + 1).
  const { x, y } = centreOfMass(scaled);
  const centred = placeAt(
    scaled,
    MNIST_SIZE,
    MNIST_SIZE,
    MNIST_CENTRE_PIXEL - Math.round(x - 0.5),
    MNIST_CENTRE_PIXEL - Math.round(y - 0.5),
  );
  return { input: centred.data, steps: { crop, scaled, centred } };
}

/**
 * Rescales a 0..1 image vector to match how the model's training inputs were scaled: 'divide255'
 * models saw bytes / 255, which is what the vector already is; 'unit' models saw each image scaled
 * to L2 length 1 (the zero vector stays zero). Always returns a new array.
 */
export function normalizeInput(pixels01: Float32Array, normalization: Normalization): Float32Array {
  const out = new Float32Array(pixels01);
  if (normalization === 'unit') scaleToUnitLength(out);
  return out;
}

/** Copies the bounding box of pixels above `threshold`; fainter pixels inside it are kept. */
function cropToInk(ink: GreyImage, threshold: number): GreyImage | null {
  const { width, height, data } = ink;
  let left = width;
  let right = -1;
  let top = height;
  let bottom = -1;
  for (let i = 0; i < height; i++) {
    const base = i * width;
    for (let j = 0; j < width; j++) {
      if (data[base + j] > threshold) {
        if (j < left) left = j;
        if (j > right) right = j;
        if (i < top) top = i;
        bottom = i;
      }
    }
  }
  if (right < 0) return null;
  const cw = right - left + 1;
  const ch = bottom - top + 1;
  const out = new Float32Array(cw * ch);
  for (let i = 0; i < ch; i++) {
    out.set(data.subarray((top + i) * width + left, (top + i) * width + left + cw), i * cw);
  }
  return { width: cw, height: ch, data: out };
}

/** Intensity-weighted mean of pixel centres, in continuous coordinates. */
function centreOfMass(image: GreyImage): { x: number; y: number } {
  const { width, height, data } = image;
  let mass = 0;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < height; i++) {
    for (let j = 0; j < width; j++) {
      const v = data[i * width + j];
      mass += v;
      sx += v * (j + 0.5);
      sy += v * (i + 0.5);
    }
  }
  return { x: sx / mass, y: sy / mass };
}

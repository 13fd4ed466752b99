/**
 * Resampling kernels for the MNIST-style preprocessing. Coordinates are continuous: pixel (row i,
 * column j) covers [j, j + 1) × [i, i + 1), so its centre is (j + 0.5, i + 0.5). Everything outside
 * an image counts as background (0).
 */

import type { GreyImage } from './grey-image';

/**
 * Box-filter weights along one axis, flattened: destination cell k reads `taps` consecutive source
 * cells starting at `first[k]`, with weights `weights[k * taps ..]` (zero-padded).
 */
interface AxisWeights {
  first: Int32Array;
  weights: Float32Array;
  taps: number;
}

/**
 * Destination cell k covers the source interval [(k - offset) / scale, (k + 1 - offset) / scale).
 * Each source cell is weighted by the length it shares with that interval divided by the interval's
 * length, so the result is the mean over the covered area and a half-covered edge cell gets half.
 */
function areaWeights(srcLen: number, dstLen: number, scale: number, offset: number): AxisWeights {
  const taps = Math.ceil(1 / scale) + 1;
  const first = new Int32Array(dstLen);
  const weights = new Float32Array(dstLen * taps);
  for (let k = 0; k < dstLen; k++) {
    const a = Math.max(0, (k - offset) / scale);
    const b = Math.min(srcLen, (k + 1 - offset) / scale);
    const j0 = Math.floor(a);
    first[k] = j0;
    for (let t = 0; t < taps; t++) {
      const j = j0 + t;
      const overlap = Math.min(b, j + 1) - Math.max(a, j);
      if (overlap > 0) weights[k * taps + t] = overlap * scale;
    }
  }
  return { first, weights, taps };
}

/**
 * Scales `src` by `scale` with area averaging (anti-aliased, unlike point sampling) into a
 * `dstWidth` × `dstHeight` image, the scaled content's top-left corner landing at
 * (`offsetX`, `offsetY`) destination pixels. Separable: rows first, then columns.
 */
export function resampleArea(
  src: GreyImage,
  dstWidth: number,
  dstHeight: number,
  scale: number,
  offsetX: number,
  offsetY: number,
): GreyImage {
  const wx = areaWeights(src.width, dstWidth, scale, offsetX);
  const wy = areaWeights(src.height, dstHeight, scale, offsetY);
  const { width: sw, height: sh, data: s } = src;

  const rows = new Float32Array(sh * dstWidth);
  for (let y = 0; y < sh; y++) {
    const rowBase = y * sw;
    for (let x = 0; x < dstWidth; x++) {
      const j0 = wx.first[x];
      const wBase = x * wx.taps;
      let acc = 0;
      for (let t = 0; t < wx.taps; t++) {
        const w = wx.weights[wBase + t];
        if (w !== 0) acc += w * s[rowBase + j0 + t];
      }
      rows[y * dstWidth + x] = acc;
    }
  }

  const out = new Float32Array(dstWidth * dstHeight);
  for (let y = 0; y < dstHeight; y++) {
    const i0 = wy.first[y];
    const wBase = y * wy.taps;
    for (let t = 0; t < wy.taps; t++) {
      const w = wy.weights[wBase + t];
      if (w === 0) continue;
      const srcBase = (i0 + t) * dstWidth;
      const dstBase = y * dstWidth;
      for (let x = 0; x < dstWidth; x++) out[dstBase + x] += w * rows[srcBase + x];
    }
  }
  return { width: dstWidth, height: dstHeight, data: out };
}

/**
 * Copies `src` into a blank `dstWidth` × `dstHeight` field with its top-left corner at the whole
 * pixel (`offsetX`, `offsetY`); whatever falls outside the field is dropped.
 */
export function placeAt(
  src: GreyImage,
  dstWidth: number,
  dstHeight: number,
  offsetX: number,
  offsetY: number,
): GreyImage {
  const out = new Float32Array(dstWidth * dstHeight);
  const x0 = Math.max(0, offsetX);
  const x1 = Math.min(dstWidth, offsetX + src.width);
  if (x1 > x0) {
    for (let y = Math.max(0, offsetY); y < Math.min(dstHeight, offsetY + src.height); y++) {
      const srcBase = (y - offsetY) * src.width - offsetX;
      out.set(src.data.subarray(srcBase + x0, srcBase + x1), y * dstWidth + x0);
    }
  }
  return { width: dstWidth, height: dstHeight, data: out };
}

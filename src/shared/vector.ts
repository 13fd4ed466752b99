/**
 * Small array helpers that training (main) and drawing (renderer) must compute identically: a model
 * trained on unit-length images has to see drawings scaled the very same way.
 */

/**
 * Scales values[start..start+length) in place to unit L2 length. A blank image has no direction to scale
 * to: it stays zero rather than becoming NaN.
 */
export function scaleToUnitLength(values: Float32Array, start = 0, length = values.length - start): void {
  let sumSquares = 0;
  for (let i = start; i < start + length; i++) sumSquares += values[i] * values[i];
  if (sumSquares === 0) return;
  const inverseNorm = 1 / Math.sqrt(sumSquares);
  for (let i = start; i < start + length; i++) values[i] *= inverseNorm;
}

/** Index (relative to offset) of the largest of values[offset..offset+length); the first on ties. */
export function argMax(values: ArrayLike<number>, offset = 0, length = values.length - offset): number {
  let best = 0;
  for (let c = 1; c < length; c++) if (values[offset + c] > values[offset + best]) best = c;
  return best;
}

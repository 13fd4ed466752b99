import type { DenseLayerWeights } from '$renderer/lib/network';

/** A deterministic generator of values in [-1, 1). */
export function values(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 31 - 1;
  };
}

/** A dense layer of uniformly random weights in ±scale. */
export function randomLayer(inputs: number, units: number, activation: string, seed: number, scale = 0.2): DenseLayerWeights {
  const next = values(seed);
  return {
    inputs,
    units,
    kernel: Float32Array.from({ length: inputs * units }, () => next() * scale),
    bias: Float32Array.from({ length: units }, () => next() * scale),
    activation,
  };
}

/** An input in [0, 1], about a third of it ink, like a drawing. */
export function randomInput(length: number, seed: number): Float32Array {
  const next = values(seed);
  return Float32Array.from({ length }, () => {
    const v = next();
    return v > 0.33 ? (v - 0.33) * 1.5 : 0;
  });
}

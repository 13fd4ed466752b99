import { divergingColour } from './colour-map';
import { argMax } from '$shared/vector';
import type { DenseLayerWeights } from '$shared/weights';
import { checkLayers, forward, inputGradient } from './network';

/**
 * Which pixels push the top class up and which push it down, for one normalised input: the gradient of
 * the top class's score (before softmax) with respect to each input pixel. Null when the layers cannot
 * take the input.
 */
export function topClassSaliency(layers: readonly DenseLayerWeights[], input: Float32Array): { top: number; gradient: Float32Array } | null {
  if (layers.length === 0 || checkLayers(layers) || layers[0].inputs !== input.length) return null;
  const pass = forward(layers, input);
  const top = argMax(pass.pre[pass.pre.length - 1]);
  return { top, gradient: inputGradient(layers, pass, top) };
}

const UP = divergingColour(1);
const DOWN = divergingColour(-1);

/**
 * The saliency as an RGBA overlay: orange where a pixel pushes the class up, blue where it pushes it
 * down, more opaque the stronger, relative to the map's largest |value|. Transparent where it is 0.
 */
export function saliencyRgba(saliency: Float32Array): Uint8ClampedArray<ArrayBuffer> {
  const out = new Uint8ClampedArray(saliency.length * 4);
  let max = 0;
  for (const v of saliency) if (Math.abs(v) > max) max = Math.abs(v);
  for (let p = 0; p < saliency.length; p++) {
    const t = max > 0 ? saliency[p] / max : 0;
    const colour = t < 0 ? DOWN : UP;
    out.set(colour, p * 4);
    // A gentle curve, so the weaker half of the map still shows.
    out[p * 4 + 3] = Math.round(Math.abs(t) ** 0.7 * 230);
  }
  return out;
}

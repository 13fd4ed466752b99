/**
 * A dense network as plain arrays, and the little maths the Weights panel does on it: each unit's
 * activation for an input, and the gradient of a class score with respect to that input. Plain
 * TypeScript rather than TensorFlow.js so that it works the same on any set of weights (the active
 * model, or a snapshot taken during training) and costs no tensor bookkeeping per drawing frame.
 */

import type { DenseLayerWeights } from '$shared/weights';

// The type lives in src/shared because training snapshots carry it over the contract too.
export type { DenseLayerWeights };

const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;

/** The activations the hidden layers may use (model-spec's ACTIVATIONS); softmax only ends the network. */
const HIDDEN_ACTIVATIONS = new Set(['relu', 'tanh', 'sigmoid', 'elu', 'selu', 'linear']);

/**
 * Why these layers cannot be read as one chain of dense layers, or null. `partial` layers are the first
 * of a bigger model, so even the last of them is a hidden layer.
 */
export function checkLayers(layers: readonly DenseLayerWeights[], partial = false): string | null {
  if (layers.length === 0) return 'the model has no dense layers';
  for (const [i, layer] of layers.entries()) {
    const where = `layer ${i + 1}`;
    if (!(layer.kernel instanceof Float32Array) || !(layer.bias instanceof Float32Array)) return `${where}: kernel and bias must be Float32Arrays`;
    if (layer.kernel.length !== layer.inputs * layer.units) return `${where}: kernel has ${layer.kernel.length} values, not ${layer.inputs}×${layer.units}`;
    if (layer.bias.length !== layer.units) return `${where}: bias has ${layer.bias.length} values for ${layer.units} units`;
    if (i > 0 && layer.inputs !== layers[i - 1].units) return `${where}: takes ${layer.inputs} inputs after ${layers[i - 1].units} units`;
    const last = i === layers.length - 1 && !partial;
    if (!HIDDEN_ACTIVATIONS.has(layer.activation) && !(last && layer.activation === 'softmax')) {
      return `${where}: activation "${layer.activation}" is not supported here`;
    }
  }
  return null;
}

function activate(z: number, activation: string): number {
  switch (activation) {
    case 'relu':
      return z > 0 ? z : 0;
    case 'tanh':
      return Math.tanh(z);
    case 'sigmoid':
      return 1 / (1 + Math.exp(-z));
    case 'elu':
      return z > 0 ? z : Math.exp(z) - 1;
    case 'selu':
      return z > 0 ? SELU_SCALE * z : SELU_SCALE * SELU_ALPHA * (Math.exp(z) - 1);
    default:
      // linear, and softmax: the output layer's pre-activations are the class scores (logits).
      return z;
  }
}

/** dy/dz from the pre-activation z and the output y. */
function slope(z: number, y: number, activation: string): number {
  switch (activation) {
    case 'relu':
      return z > 0 ? 1 : 0;
    case 'tanh':
      return 1 - y * y;
    case 'sigmoid':
      return y * (1 - y);
    case 'elu':
      return z > 0 ? 1 : y + 1;
    case 'selu':
      return z > 0 ? SELU_SCALE : y + SELU_SCALE * SELU_ALPHA;
    default:
      return 1;
  }
}

export interface ForwardPass {
  /** Pre-activations per layer; the last is the class scores (logits, before softmax). */
  pre: Float32Array[];
  /** Outputs per layer; the last equals the logits (softmax is not applied). */
  post: Float32Array[];
}

/** Runs `input` through the layers at inference (dropout is off at inference, so it does not appear). */
export function forward(layers: readonly DenseLayerWeights[], input: Float32Array): ForwardPass {
  const pre: Float32Array[] = [];
  const post: Float32Array[] = [];
  let x = input;
  for (const layer of layers) {
    if (x.length !== layer.inputs) throw new RangeError(`input has ${x.length} values, the layer takes ${layer.inputs}`);
    const { units, kernel } = layer;
    const z = new Float32Array(layer.bias);
    for (let i = 0; i < layer.inputs; i++) {
      const xi = x[i];
      // Most pixels of a drawing are 0: skipping them makes the first layer several times cheaper.
      if (xi === 0) continue;
      const row = i * units;
      for (let u = 0; u < units; u++) z[u] += xi * kernel[row + u];
    }
    const y = new Float32Array(units);
    for (let u = 0; u < units; u++) y[u] = activate(z[u], layer.activation);
    pre.push(z);
    post.push(y);
    x = y;
  }
  return { pre, post };
}

/**
 * ∂(score of class `cls`)/∂input at the input of `pass`, where the score is the output layer's
 * pre-softmax value: the softmax would couple every class into each gradient and flatten it where
 * the model is confident. For a model with no hidden layer this is the class's column of weights.
 */
export function inputGradient(layers: readonly DenseLayerWeights[], pass: ForwardPass, cls: number): Float32Array {
  const last = layers[layers.length - 1];
  if (!Number.isInteger(cls) || cls < 0 || cls >= last.units) throw new RangeError(`class ${cls} is not one of ${last.units}`);
  // Gradient with respect to the last layer's input: its kernel's column for the class.
  let g = new Float32Array(last.inputs);
  for (let i = 0; i < last.inputs; i++) g[i] = last.kernel[i * last.units + cls];
  for (let l = layers.length - 2; l >= 0; l--) {
    const layer = layers[l];
    const z = pass.pre[l];
    const y = pass.post[l];
    const units = layer.units;
    const gz = new Float32Array(units);
    for (let u = 0; u < units; u++) gz[u] = g[u] * slope(z[u], y[u], layer.activation);
    const gin = new Float32Array(layer.inputs);
    for (let i = 0; i < layer.inputs; i++) {
      const row = i * units;
      let sum = 0;
      for (let u = 0; u < units; u++) sum += layer.kernel[row + u] * gz[u];
      gin[i] = sum;
    }
    g = gin;
  }
  return g;
}

/** The incoming weights of `unit`: its column of the kernel, one value per input. */
export function incomingWeights(layer: DenseLayerWeights, unit: number): Float32Array {
  const out = new Float32Array(layer.inputs);
  for (let i = 0; i < layer.inputs; i++) out[i] = layer.kernel[i * layer.units + unit];
  return out;
}

/** The outgoing weights of `unit` into the next layer: its row of that layer's kernel. */
export function outgoingWeights(next: DenseLayerWeights, unit: number): Float32Array {
  return next.kernel.slice(unit * next.units, (unit + 1) * next.units);
}

/** Each unit's L2 norm of incoming weights. */
export function unitNorms(layer: DenseLayerWeights): Float32Array {
  const sums = new Float64Array(layer.units);
  const { units, kernel } = layer;
  for (let i = 0; i < layer.inputs; i++) {
    const row = i * units;
    for (let u = 0; u < units; u++) sums[u] += kernel[row + u] * kernel[row + u];
  }
  return Float32Array.from(sums, Math.sqrt);
}

/** The largest |weight| per unit (column), for a per-unit colour scale. */
export function unitMaxAbs(layer: DenseLayerWeights): Float32Array {
  const max = new Float32Array(layer.units);
  const { units, kernel } = layer;
  for (let i = 0; i < layer.inputs; i++) {
    const row = i * units;
    for (let u = 0; u < units; u++) {
      const a = Math.abs(kernel[row + u]);
      if (a > max[u]) max[u] = a;
    }
  }
  return max;
}

import { describe, expect, it } from 'vitest';
import {
  checkLayers,
  forward,
  incomingWeights,
  inputGradient,
  outgoingWeights,
  unitNorms,
  type DenseLayerWeights,
} from '$renderer/lib/network';
import { topClassSaliency } from '$renderer/lib/saliency';
import { randomInput, randomLayer } from '../panels/weights/fixtures';

describe('network maths', () => {
  it('gives a linear model (784 → 10) a saliency equal to its weights: the class column of the kernel', () => {
    const linear = [randomLayer(784, 10, 'softmax', 1)];
    const input = randomInput(784, 2);
    const pass = forward(linear, input);
    for (let c = 0; c < 10; c++) {
      const gradient = inputGradient(linear, pass, c);
      expect(Array.from(gradient)).toEqual(Array.from(incomingWeights(linear[0], c)));
    }
    const saliency = topClassSaliency(linear, input)!;
    const logits = pass.pre[0];
    expect(logits[saliency.top]).toBe(Math.max(...logits));
    expect(Array.from(saliency.gradient)).toEqual(Array.from(incomingWeights(linear[0], saliency.top)));
  });

  it.each(['relu', 'tanh', 'sigmoid', 'elu', 'selu', 'linear'])('back-propagates through %s as finite differences say', (activation) => {
    const layers = [randomLayer(20, 8, activation, 3, 0.8), randomLayer(8, 6, activation, 4, 0.8), randomLayer(6, 3, 'softmax', 5, 0.8)];
    const input = randomInput(20, 6);
    const score = (x: Float32Array, c: number) => forward(layers, x).pre[2][c];
    for (let c = 0; c < 3; c++) {
      const gradient = inputGradient(layers, forward(layers, input), c);
      for (let i = 0; i < 20; i++) {
        // Away from relu's kink, a central difference is accurate to O(h²).
        const h = 1e-3;
        const up = Float32Array.from(input);
        const down = Float32Array.from(input);
        up[i] += h;
        down[i] -= h;
        expect(gradient[i]).toBeCloseTo((score(up, c) - score(down, c)) / (2 * h), 2);
      }
    }
  });

  it('computes each unit activation as the activation of w·x + b', () => {
    const layer = randomLayer(5, 3, 'relu', 7, 1);
    const input = Float32Array.of(0.5, 0, 1, 0.25, 0.75);
    const [hidden] = forward([layer, randomLayer(3, 2, 'softmax', 8)], input).post;
    for (let u = 0; u < 3; u++) {
      let z = layer.bias[u];
      for (let i = 0; i < 5; i++) z += input[i] * layer.kernel[i * 3 + u];
      expect(hidden[u]).toBeCloseTo(Math.max(0, z), 6);
    }
  });

  it('reads incoming weights as kernel columns, outgoing as rows of the next kernel, and norms per column', () => {
    const layer: DenseLayerWeights = { inputs: 2, units: 3, kernel: Float32Array.of(1, 2, 3, 4, 5, 6), bias: new Float32Array(3), activation: 'relu' };
    expect(Array.from(incomingWeights(layer, 1))).toEqual([2, 5]);
    expect(Array.from(outgoingWeights(layer, 1))).toEqual([4, 5, 6]);
    expect(Array.from(unitNorms(layer))).toEqual([Math.hypot(1, 4), Math.hypot(2, 5), Math.hypot(3, 6)].map(Math.fround));
  });

  it('names the layer and the field when weights do not chain', () => {
    const a = randomLayer(4, 3, 'relu', 1);
    expect(checkLayers([a, randomLayer(3, 2, 'softmax', 2)])).toBeNull();
    expect(checkLayers([])).toMatch(/no dense layers/);
    expect(checkLayers([a, randomLayer(5, 2, 'softmax', 2)])).toMatch(/layer 2: takes 5 inputs after 3 units/);
    expect(checkLayers([{ ...a, bias: new Float32Array(2) }])).toMatch(/layer 1: bias has 2 values for 3 units/);
    expect(checkLayers([{ ...a, kernel: new Float32Array(5) }])).toMatch(/layer 1: kernel has 5 values, not 4×3/);
    expect(checkLayers([randomLayer(4, 3, 'softmax', 1), randomLayer(3, 2, 'softmax', 2)])).toMatch(/layer 1: activation "softmax"/);
    expect(checkLayers([randomLayer(4, 3, 'swish', 1)])).toMatch(/"swish" is not supported/);
    // The first layers of a bigger model end on a hidden layer: a softmax there cannot be.
    expect(checkLayers([a], true)).toBeNull();
    expect(checkLayers([randomLayer(4, 3, 'softmax', 1)], true)).toMatch(/layer 1: activation "softmax"/);
    expect(checkLayers([{ ...a, kernel: Array.from(a.kernel) as unknown as Float32Array }])).toMatch(/layer 1: kernel and bias must be Float32Arrays/);
    expect(() => forward([a], new Float32Array(3))).toThrow(/input has 3 values, the layer takes 4/);
    expect(() => inputGradient([a], forward([a], new Float32Array(4)), 3)).toThrow(/class 3/);
  });
});

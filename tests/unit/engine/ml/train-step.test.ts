import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { ACTIVATIONS, DEFAULT_SPEC, type ModelSpec } from '$shared/model-spec';
import { selectBackend } from '$engine/ml/backend';
import { createModel, denseBlocks } from '$engine/ml/model';
import { Random } from '$engine/ml/random';
import { columnSums, softmaxCrossEntropy, TrainStep } from '$engine/ml/train-step';

beforeAll(async () => {
  await selectBackend();
});

const INPUTS = 12;
const CLASSES = 5;
const BATCH = 7;

function tinySpec(activation: ModelSpec['hiddenLayers'][number]['activation'], l2: number): ModelSpec {
  return {
    ...DEFAULT_SPEC,
    hiddenLayers: [
      { units: 6, activation, dropout: 0 },
      { units: 4, activation, dropout: 0 },
    ],
    optimizer: 'sgd',
    learningRate: 1,
    l2,
    seed: 3,
  };
}

/** The reference: TensorFlow.js autodiff of Keras' loss on the model's own forward pass. */
function autodiffGradients(model: tf.LayersModel, x: tf.Tensor2D, labels: Uint8Array, l2: number): Map<string, Float32Array> {
  const blocks = denseBlocks(model);
  const variables = blocks.flatMap((b) => [b.kernel, b.bias]);
  const { grads } = tf.variableGrads(() => {
    const probs = model.apply(x, { training: false }) as tf.Tensor2D;
    const onehot = tf.oneHot(tf.tensor1d(labels, 'int32'), CLASSES);
    const ce = tf.mean(tf.neg(tf.sum(tf.mul(onehot, tf.log(probs)), 1)));
    const penalty = tf.addN(blocks.map((b) => tf.sum(tf.square(b.kernel))));
    return tf.add(ce, tf.mul(penalty, l2)) as tf.Scalar;
  }, variables);
  return new Map(Object.entries(grads).map(([name, g]) => [name, g.dataSync() as Float32Array]));
}

describe('TrainStep', () => {
  for (const activation of ACTIVATIONS) {
    it(`matches TensorFlow.js autodiff for ${activation} hidden layers with L2`, () => {
      const l2 = 0.01;
      const model = createModel(tinySpec(activation, l2), { inputSize: INPUTS, numClasses: CLASSES });
      const random = new Random(9);
      const x = tf.tensor2d(Array.from({ length: BATCH * INPUTS }, () => random.symmetric(1)), [BATCH, INPUTS]);
      const labels = Uint8Array.from({ length: BATCH }, (_, i) => (i * 3) % CLASSES);
      const expected = autodiffGradients(model, x, labels, l2);
      const before = new Map(denseBlocks(model).flatMap((b) => [b.kernel, b.bias]).map((v) => [v.name, v.dataSync().slice()]));

      // Plain SGD with learning rate 1: the update is exactly minus the gradient.
      const optimizer = tf.train.sgd(1);
      new TrainStep(denseBlocks(model), optimizer, l2).run(x, labels, random);
      for (const v of denseBlocks(model).flatMap((b) => [b.kernel, b.bias])) {
        const after = v.dataSync();
        const old = before.get(v.name)!;
        const grad = expected.get(v.name)!;
        for (let i = 0; i < after.length; i++) expect(old[i] - after[i]).toBeCloseTo(grad[i], 5);
      }
      optimizer.dispose();
      x.dispose();
      model.dispose();
    });
  }

  it('reports the batch loss and accuracy of the forward pass', () => {
    const model = createModel(tinySpec('relu', 0), { inputSize: INPUTS, numClasses: CLASSES });
    const x = tf.randomUniform([BATCH, INPUTS], 0, 1, 'float32', 4) as tf.Tensor2D;
    const labels = Uint8Array.from({ length: BATCH }, (_, i) => i % CLASSES);
    const probs = (model.predict(x) as tf.Tensor).arraySync() as number[][];
    const expectedLoss = -probs.reduce((s, row, i) => s + Math.log(row[labels[i]]), 0) / BATCH;
    const expectedCorrect = probs.filter((row, i) => row.indexOf(Math.max(...row)) === labels[i]).length;
    const optimizer = tf.train.sgd(0.1);
    const result = new TrainStep(denseBlocks(model), optimizer, 0).run(x, labels, new Random(1));
    expect(result.loss).toBeCloseTo(expectedLoss, 5);
    expect(result.correct).toBe(expectedCorrect);
    optimizer.dispose();
    model.dispose();
  });

  it('adds λ·Σw² of the kernels before the update to the reported loss', () => {
    const l2 = 0.05;
    const model = createModel(tinySpec('relu', l2), { inputSize: INPUTS, numClasses: CLASSES });
    const x = tf.randomUniform([BATCH, INPUTS], 0, 1, 'float32', 6) as tf.Tensor2D;
    const labels = Uint8Array.from({ length: BATCH }, (_, i) => i % CLASSES);
    const probs = (model.predict(x) as tf.Tensor).arraySync() as number[][];
    const crossEntropy = -probs.reduce((s, row, i) => s + Math.log(row[labels[i]]), 0) / BATCH;
    const penalty = denseBlocks(model).reduce((s, b) => s + Array.from(b.kernel.dataSync()).reduce((t, w) => t + w * w, 0), 0);
    const optimizer = tf.train.sgd(0.1);
    const result = new TrainStep(denseBlocks(model), optimizer, l2).run(x, labels, new Random(1));
    expect(penalty).toBeGreaterThan(0.1);
    expect(result.loss).toBeCloseTo(crossEntropy + l2 * penalty, 5);
    optimizer.dispose();
    x.dispose();
    model.dispose();
  });

  it('applies dropout as inverted dropout with the given rate', () => {
    const spec: ModelSpec = { ...tinySpec('linear', 0), hiddenLayers: [{ units: 400, activation: 'linear', dropout: 0.75 }] };
    const model = createModel(spec, { inputSize: INPUTS, numClasses: CLASSES });
    const [hidden] = denseBlocks(model);
    const before = hidden.kernel.dataSync().slice();
    const optimizer = tf.train.sgd(1);
    const x = tf.ones([1, INPUTS]) as tf.Tensor2D;
    new TrainStep(denseBlocks(model), optimizer, 0).run(x, new Uint8Array([0]), new Random(5));
    // A dropped unit gets no gradient, so its kernel column is untouched.
    const after = hidden.kernel.dataSync();
    let untouched = 0;
    for (let u = 0; u < 400; u++) if (after[u] === before[u]) untouched++;
    expect(untouched / 400).toBeGreaterThan(0.65);
    expect(untouched / 400).toBeLessThan(0.85);
    optimizer.dispose();
    model.dispose();
  });
});

describe('TrainStep with the batch transposed by the caller', () => {
  // MNIST-wide inputs, so that without xT the first layer's gradient would need a transpose of a
  // matrix with 784 in its shape.
  const WIDE = 784;
  const spec: ModelSpec = { ...tinySpec('relu', 0.001), hiddenLayers: [{ units: 16, activation: 'relu', dropout: 0.2 }] };

  interface KernelCall {
    name: string;
    shapes: number[][];
    attrs: Record<string, unknown>;
  }

  function stepWith(useXT: boolean): { calls: KernelCall[]; weights: Float32Array[] } {
    const model = createModel(spec, { inputSize: WIDE, numClasses: CLASSES });
    const random = new Random(2);
    const values = Float32Array.from({ length: 32 * WIDE }, () => random.next());
    const x = tf.tensor2d(values, [32, WIDE]);
    const xT = useXT ? tf.transpose(x) : undefined;
    const labels = Uint8Array.from({ length: 32 }, (_, i) => i % CLASSES);
    const optimizer = tf.train.sgd(0.5);
    const calls: KernelCall[] = [];
    const engine = tf.engine();
    const original = engine.runKernel.bind(engine);
    const spy = vi.spyOn(engine, 'runKernel').mockImplementation((name, inputs, attrs) => {
      const shapes = Object.values(inputs as Record<string, tf.Tensor | undefined>)
        .filter((t): t is tf.Tensor => t instanceof tf.Tensor)
        .map((t) => t.shape);
      calls.push({ name, shapes, attrs: { ...(attrs as Record<string, unknown>) } });
      return original(name, inputs, attrs);
    });
    try {
      new TrainStep(denseBlocks(model), optimizer, spec.l2).run(x, labels, new Random(8), xT);
    } finally {
      spy.mockRestore();
    }
    const weights = model.getWeights().map((w) => w.dataSync() as Float32Array);
    tf.dispose([x, ...(xT ? [xT] : [])]);
    optimizer.dispose();
    model.dispose();
    return { calls, weights };
  }

  it('never transposes the inputs, and transposes nothing tfjs-node can transpose inside MatMul', () => {
    const { calls } = stepWith(true);
    const products = calls.filter((c) => c.name === 'BatchMatMul' || c.name === '_FusedMatMul');
    expect(products.length).toBeGreaterThanOrEqual(4);
    // The L2 part of the reported loss is summed in JS, not by kernels.
    expect(calls.filter((c) => c.name === 'Square' || c.name === 'AddN')).toEqual([]);
    if (tf.getBackend() === 'tensorflow') {
      // TensorFlow's MatMul reads an operand transposed at no cost: no Transpose launch at all.
      expect(calls.filter((c) => c.name === 'Transpose')).toEqual([]);
      expect(products.some((p) => p.attrs.transposeA || p.attrs.transposeB)).toBe(true);
      expect(stepWith(false).calls.filter((c) => c.name === 'Transpose')).toEqual([]);
      return;
    }
    // wasm's transposed matMul is about 10x slower than transposing first: every product is untransposed.
    for (const product of products) expect([product.attrs.transposeA, product.attrs.transposeB]).toEqual([false, false]);
    const transposes = calls.filter((c) => c.name === 'Transpose');
    expect(transposes.filter((c) => c.shapes.some((shape) => shape.includes(WIDE)))).toEqual([]);
    // Without xT the first layer's gradient does need one: the check above can tell the two apart.
    expect(stepWith(false).calls.filter((c) => c.name === 'Transpose' && c.shapes.some((s) => s.includes(WIDE)))).not.toEqual([]);
  });

  it('updates the weights as the step without xT does', () => {
    const withXT = stepWith(true).weights;
    const without = stepWith(false).weights;
    expect(withXT.map((w) => w.length)).toEqual(without.map((w) => w.length));
    withXT.forEach((w, i) => w.forEach((value, j) => expect(value).toBeCloseTo(without[i][j], 5)));
  });
});

describe("TrainStep with TensorFlow's own kernels (tfjs-node)", () => {
  /** Three steps of a model with every activation, dropout and L2; the kernel launches they made. */
  function steps(activation: ModelSpec['hiddenLayers'][number]['activation'], nativeOps: boolean) {
    const spec: ModelSpec = {
      ...tinySpec(activation, 0.01),
      hiddenLayers: [{ units: 9, activation, dropout: 0.25 }, { units: 6, activation, dropout: 0 }],
      optimizer: 'sgd',
      momentum: 0.9,
      nesterov: true,
      learningRate: 0.3,
    };
    const model = createModel(spec, { inputSize: INPUTS, numClasses: CLASSES });
    const optimizer = tf.train.momentum(spec.learningRate, spec.momentum, true);
    const step = new TrainStep(denseBlocks(model), optimizer, spec.l2, undefined, nativeOps);
    const random = new Random(4);
    const engine = tf.engine();
    const original = engine.runKernel.bind(engine);
    let launches = 0;
    const spy = vi.spyOn(engine, 'runKernel').mockImplementation((name, inputs, attrs) => {
      launches++;
      return original(name, inputs, attrs);
    });
    try {
      for (let i = 0; i < 3; i++) {
        const x = tf.tensor2d(Array.from({ length: BATCH * INPUTS }, () => random.symmetric(2)), [BATCH, INPUTS]);
        step.run(x, Uint8Array.from({ length: BATCH }, (_, r) => (r + i) % CLASSES), random);
        x.dispose();
      }
    } finally {
      spy.mockRestore();
    }
    const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
    optimizer.dispose();
    model.dispose();
    return { weights, launches };
  }

  for (const activation of ACTIVATIONS) {
    it(`trains ${activation} layers as the TensorFlow.js ops do, within float32 rounding, in fewer launches`, (ctx) => {
      if (tf.getBackend() !== 'tensorflow') ctx.skip('needs tfjs-node (MLP_LAB_BACKEND=tensorflow): its kernels are what is compared');
      const fused = steps(activation, true);
      const plain = steps(activation, false);
      fused.weights.forEach((w, i) =>
        // Relative to each weight's size, with a floor for those near 0: a wrong gradient moves weights by ~lr·|g|.
        w.forEach((value, j) => expect(Math.abs(value - plain.weights[i][j])).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(plain.weights[i][j])))),
      );
      expect(fused.launches).toBeLessThan(plain.launches);
    });
  }
});

describe('softmaxCrossEntropy', () => {
  it('gives the mean loss, the correct count and (p - onehot) / batch', () => {
    const logits = Float32Array.from([2, 1, 0, 0, 0, 3]);
    const labels = Uint8Array.from([0, 1]);
    const grad = new Float32Array(6);
    const result = softmaxCrossEntropy(logits, labels, 2, 3, grad);
    const p0 = [Math.exp(2), Math.exp(1), 1].map((v) => v / (Math.exp(2) + Math.exp(1) + 1));
    const p1 = [1, 1, Math.exp(3)].map((v) => v / (2 + Math.exp(3)));
    expect(result.loss).toBeCloseTo((-Math.log(p0[0]) - Math.log(p1[1])) / 2, 6);
    expect(result.correct).toBe(1);
    expect(Array.from(grad)).toEqual(
      [p0[0] - 1, p0[1], p0[2], p1[0], p1[1] - 1, p1[2]].map((g) => expect.closeTo(g / 2, 6)),
    );
  });

  it('stays finite for huge logits', () => {
    const grad = new Float32Array(2);
    const result = softmaxCrossEntropy(Float32Array.from([1000, -1000]), Uint8Array.from([1]), 1, 2, grad);
    expect(result.loss).toBeCloseTo(2000, 3);
    expect(grad.every(Number.isFinite)).toBe(true);
  });
});

describe('columnSums', () => {
  it("sums the rows as the backend's Sum over axis 0 does, bit for bit on wasm", () => {
    const random = new Random(5);
    for (const [rows, cols] of [[1, 1], [7, 3], [200, 10], [33, 17]]) {
      // Mixed magnitudes, so that a sum in another order or precision would round differently.
      const values = Float32Array.from({ length: rows * cols }, () => (random.next() - 0.5) * 10 ** Math.floor(random.next() * 6));
      const ours = columnSums(values, rows, cols);
      const theirs = tf.sum(tf.tensor2d(values, [rows, cols]), 0);
      expect(ours.shape).toEqual([cols]);
      if (tf.getBackend() === 'wasm') expect(ours.dataSync()).toEqual(theirs.dataSync());
      else {
        // Other backends sum in another order (TensorFlow: pairwise, vectorised), so the two agree only
        // within float32 summation's error bound, rows · 2⁻²³ · Σ|x|: an absolute tolerance would be
        // too tight on sums near 1e5 and too loose near 1e-3.
        const theirValues = theirs.dataSync();
        Array.from(ours.dataSync()).forEach((v, c) => {
          let magnitude = 0;
          for (let r = 0; r < rows; r++) magnitude += Math.abs(values[r * cols + c]);
          expect(Math.abs(v - theirValues[c])).toBeLessThanOrEqual(rows * 2 ** -23 * magnitude);
        });
      }
      tf.dispose([ours, theirs]);
    }
  });
});

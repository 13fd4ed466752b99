import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '$engine/ml/backend';
import { FUSE_MAX_SIZE, StepUpdater } from '$engine/ml/fused-update';
import { Random } from '$engine/ml/random';

beforeAll(async () => {
  // The fusion is wasm's (its FusedBatchNorm kernel); this file's module graph selects it whatever else exists.
  expect((await selectBackend('wasm')).active).toBe('wasm');
});

// One shape fused (a bias-like and a narrow kernel) and one above the limit, which keeps Multiply and Add.
const SHAPES: number[][] = [[7], [5, 10], [FUSE_MAX_SIZE / 64 + 1, 64]];
const OPTIMIZERS: [string, () => tf.Optimizer][] = [
  ['sgd', () => tf.train.sgd(0.3)],
  ['momentum', () => tf.train.momentum(0.1, 0.9, false)],
  ['Nesterov momentum', () => tf.train.momentum(0.1, 0.9, true)],
  ['adam', () => tf.train.adam(0.01)],
];

let runs = 0;
function randomValues(random: Random, size: number): Float32Array {
  return Float32Array.from({ length: size }, () => random.next() * 2 - 1);
}

/** Two identical sets of variables (one per path) and a source of identical gradients for both. */
function twins(): { vars: tf.Variable[][]; gradients: (step: number) => Float32Array[] } {
  const random = new Random(11);
  const initial = SHAPES.map((shape) => randomValues(random, tf.util.sizeFromShape(shape)));
  runs++;
  const vars = [0, 1].map((twin) =>
    SHAPES.map((shape, i) => tf.variable(tf.tensor(initial[i], shape), true, `fused-update-${runs}-${twin}-${i}`)),
  );
  const gradients = (step: number): Float32Array[] => {
    const r = new Random(100 + step);
    return SHAPES.map((shape) => randomValues(r, tf.util.sizeFromShape(shape)));
  };
  return { vars, gradients };
}

function kernelsOf(run: () => void): string[] {
  const engine = tf.engine();
  const original = engine.runKernel.bind(engine);
  const names: string[] = [];
  engine.runKernel = ((name, inputs, attrs) => {
    names.push(name);
    return original(name, inputs, attrs);
  }) as typeof engine.runKernel;
  try {
    run();
  } finally {
    engine.runKernel = original;
  }
  return names;
}

describe('StepUpdater on wasm', () => {
  for (const [label, make] of OPTIMIZERS) {
    it(`updates as tfjs's ${label} does, bit for bit, L2 term included, and can hand over to it`, () => {
      const { vars, gradients } = twins();
      const [fusedOpt, plainOpt] = [make(), make()];
      const updater = new StepUpdater(fusedOpt, true);
      let afterFirst = 0;
      // Four fused steps, then one by applyGradients on the same optimizer: the state is shared.
      for (let step = 0; step < 5; step++) {
        const values = gradients(step);
        tf.tidy(() => {
          const fusedGrads: tf.NamedTensorMap = {};
          const plainGrads: tf.NamedTensorMap = {};
          vars[0].forEach((v, i) => {
            const g = tf.tensor(values[i], SHAPES[i]);
            fusedGrads[v.name] = step < 4 ? updater.withL2(g, v, 1e-3) : tf.add(g, tf.mul(v, 2e-3));
            plainGrads[vars[1][i].name] = tf.add(g, tf.mul(vars[1][i], 2e-3));
          });
          if (step < 4) updater.apply(fusedGrads);
          else fusedOpt.applyGradients(fusedGrads);
          plainOpt.applyGradients(plainGrads);
        });
        if (step === 0) afterFirst = tf.memory().numTensors;
      }
      vars[0].forEach((v, i) => expect(v.dataSync(), `${label}, shape ${SHAPES[i].join('×')}`).toEqual(vars[1][i].dataSync()));
      // The optimizers made their state in the first step (accumulators, moments); later steps kept nothing.
      expect(tf.memory().numTensors).toBe(afterFirst);
      tf.dispose([...vars.flat()]);
      fusedOpt.dispose();
      plainOpt.dispose();
    });
  }

  it('fuses each small tensor into FusedBatchNorm launches and leaves large ones and adam to Multiply and Add', () => {
    const { vars, gradients } = twins();
    const values = gradients(0);
    // A fresh optimizer per call: tfjs keys its state by the gradient's position, not its variable.
    const launched = (make: () => tf.Optimizer, fused: boolean, shapeIndex: number): string[] => {
      const optimizer = make();
      const names = kernelsOf(() =>
        tf.tidy(() => {
          const v = vars[0][shapeIndex];
          const updater = new StepUpdater(optimizer, fused);
          updater.apply({ [v.name]: updater.withL2(tf.tensor(values[shapeIndex], SHAPES[shapeIndex]), v, 1e-3) });
        }),
      );
      optimizer.dispose();
      return names;
    };
    const nesterov = (): tf.Optimizer => tf.train.momentum(0.1, 0.9, true);
    const arithmetic = (names: string[]): string[] => names.filter((k) => k === 'Multiply' || k === 'Add');
    // Small: the L2 term in 1 launch and Nesterov in 3, where tfjs takes 2 and 6.
    expect(launched(nesterov, true, 1).filter((k) => k === 'FusedBatchNorm')).toHaveLength(4);
    expect(arithmetic(launched(nesterov, true, 1))).toEqual([]);
    expect(arithmetic(launched(nesterov, false, 1))).toHaveLength(8);
    expect(launched(nesterov, true, 2)).not.toContain('FusedBatchNorm');
    expect(arithmetic(launched(nesterov, true, 2))).toHaveLength(8);
    // Adam: the L2 term is fused, the update is tfjs's own.
    expect(launched(() => tf.train.adam(0.01), true, 1).filter((k) => k === 'FusedBatchNorm')).toHaveLength(1);
    tf.dispose([...vars.flat()]);
  });
});

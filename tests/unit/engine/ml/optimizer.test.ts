import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SPEC, OPTIMIZERS } from '$shared/model-spec';
import { selectBackend } from '$engine/ml/backend';
import { createOptimizer, disposeOptimizer, scheduledRate, setLearningRate } from '$engine/ml/optimizer';

beforeAll(async () => {
  await selectBackend();
});

describe('scheduledRate', () => {
  it('keeps a constant rate', () => {
    expect(scheduledRate(0.1, 'constant', 0.7)).toBe(0.1);
  });
  it('falls along a half cosine from the rate to 0', () => {
    expect(scheduledRate(0.1, 'cosine', 0)).toBeCloseTo(0.1);
    expect(scheduledRate(0.1, 'cosine', 0.5)).toBeCloseTo(0.05);
    expect(scheduledRate(0.1, 'cosine', 1)).toBeCloseTo(0);
    expect(scheduledRate(0.1, 'cosine', 1.5)).toBeCloseTo(0);
  });
});

describe('setLearningRate', () => {
  for (const name of OPTIMIZERS) {
    for (const momentum of name === 'sgd' ? [0, 0.9] : [0]) {
      it(`scales the first update of ${name}${momentum ? ' with momentum' : ''}`, () => {
        const firstStep = (rate: number | null): number => {
          const spec = { ...DEFAULT_SPEC, optimizer: name, momentum, learningRate: 0.1 };
          const optimizer = createOptimizer(spec);
          if (rate !== null) setLearningRate(optimizer, rate);
          const initial = tf.tensor1d([1]);
          const gradient = tf.tensor1d([0.5]);
          const v = tf.variable(initial);
          optimizer.applyGradients({ [v.name]: gradient });
          const moved = 1 - v.dataSync()[0];
          tf.dispose([v, initial, gradient]);
          disposeOptimizer(optimizer);
          return moved;
        };
        const baseline = tf.memory().numTensors;
        expect(firstStep(0.05) / firstStep(null)).toBeCloseTo(0.5, 4);
        expect(tf.memory().numTensors).toBe(baseline);
      });
    }
  }
});

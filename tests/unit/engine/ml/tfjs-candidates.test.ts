import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { selectBackend } from '$engine/ml/backend';
import { measureTfjs, tfjsCandidate } from '$engine/ml/tfjs-candidates';
import { DEFAULT_SPEC } from '$shared/model-spec';

describe('tfjsCandidate', () => {
  it('measures a positive speed for a model with dropout, leaving no tensor and the backend as it was', async () => {
    const { active } = await selectBackend();
    const spec = { ...DEFAULT_SPEC, hiddenLayers: [{ units: 16, activation: 'relu' as const, dropout: 0.2 }], batchSize: 8 };
    const before = tf.memory().numTensors;
    const rate = await measureTfjs(active, spec, { inputSize: 20, numClasses: 3 }, 20);
    expect(rate).toBeGreaterThan(0);
    expect(Number.isFinite(rate)).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
    expect(tf.getBackend()).toBe(active);
  });

  it('activates its backend, and says so when it cannot', async () => {
    const { active } = await selectBackend();
    await tfjsCandidate(active, active).activate();
    expect(tf.getBackend()).toBe(active);
    await expect(tfjsCandidate('nonesuch', 'nonesuch').activate()).rejects.toThrow(/nonesuch backend did not start/);
    expect(tf.getBackend()).toBe(active);
  });
});

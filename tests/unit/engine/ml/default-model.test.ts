import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type * as tf from '@tensorflow/tfjs';
import type { ModelMetadata } from '$shared/model-metadata';
import { EIGHT_DIRECTIONS, shiftSet } from '$engine/data/shift';
import { selectBackend } from '$engine/ml/backend';
import { evaluate } from '$engine/ml/evaluate';
import { loadModel } from '$engine/ml/persist';
import { bundledMnist, RESOURCES_DIR } from '$tests/helpers/datasets';

// The committed model the app opens with (npm run train:default).
let model: tf.LayersModel;
let metadata: ModelMetadata;
beforeAll(async () => {
  await selectBackend();
  ({ model, metadata } = await loadModel(path.join(RESOURCES_DIR, 'models', 'default')));
});

describe('the default model', () => {
  it('describes itself: MNIST, digit class names, ÷255 input', () => {
    expect(metadata).toMatchObject({ datasetId: 'mnist', imageShape: [28, 28], normalization: 'divide255' });
    expect(metadata.classNames).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(metadata.spec.augment).not.toBeNull();
  });

  it('reaches at least 98.0% on the MNIST test set', async () => {
    const { test } = await bundledMnist();
    const { accuracy } = evaluate(model, test, { normalization: metadata.normalization });
    expect(accuracy).toBeGreaterThanOrEqual(0.98);
    expect(metadata.metrics.testAccuracy).toBeCloseTo(accuracy, 4);
  });

  for (const [dx, dy] of EIGHT_DIRECTIONS) {
    it(`reaches at least 95% on the test set shifted by (${dx * 2}, ${dy * 2}) px`, async () => {
      const { test } = await bundledMnist();
      const { accuracy } = evaluate(model, shiftSet(test, dx * 2, dy * 2), { normalization: metadata.normalization });
      expect(accuracy).toBeGreaterThanOrEqual(0.95);
    });
  }
});

import { describe, expect, it } from 'vitest';
import { DEFAULT_SPEC, type ModelSpec } from '$shared/model-spec';
import { ASSUMED_OPS_PER_SECOND, silentStepSeconds } from '$engine/training/stop-watchdog';
import { DATASETS } from '$shared/datasets/catalog';

const wide = (layers: number, batchSize: number): ModelSpec => ({
  ...DEFAULT_SPEC,
  hiddenLayers: Array.from({ length: layers }, () => ({ units: 1024, activation: 'relu' as const, dropout: 0 })),
  batchSize,
  validation: 0,
});

describe('silentStepSeconds', () => {
  it('gives a first batch of 60,000 images on 8 x 1024 units hours at the assumed floor speed', () => {
    // 8,156,170 weights; forward + backward of 60,000 images is ~3 x 60,000 x 2 x 8.2e6 operations.
    const params = 784 * 1024 + 1024 + 7 * (1024 * 1024 + 1024) + 1024 * 10 + 10;
    const expected = (3 * 3 * 60_000 * 2 * params) / ASSUMED_OPS_PER_SECOND;
    expect(silentStepSeconds(wide(8, 60_000), DATASETS.mnist, null)).toBeCloseTo(expected, 6);
    expect(expected).toBeGreaterThan(3600);
  });

  it('is sized by the evaluation of the test set when batches are small', () => {
    // 10,000 test images in one go outweigh 3 x 32 images of a batch.
    const spec = wide(1, 32);
    const params = 784 * 1024 + 1024 + 1024 * 10 + 10;
    expect(silentStepSeconds(spec, DATASETS.mnist, null, 1e9)).toBeCloseTo((3 * 10_000 * 2 * params) / 1e9, 9);
    expect(silentStepSeconds({ ...spec, validation: 0.5 }, DATASETS.mnist, null, 1e9)).toBeCloseTo((3 * 30_000 * 2 * params) / 1e9, 9);
  });

  it('uses the measured speed once there is one, and the subset for the batch', () => {
    // 1,000 training samples/s: 3,000 forward passes/s; the 10,000 test images take 3.3 s, thrice that.
    expect(silentStepSeconds(wide(1, 32), DATASETS.mnist, 1000)).toBeCloseTo(10, 9);
    // A batch larger than the subset is the subset: 20,000 images take 20 s, thrice that.
    expect(silentStepSeconds({ ...wide(1, 60_000), trainSubset: 20_000 }, DATASETS.mnist, 1000)).toBeCloseTo(60, 9);
  });

  it("sizes the evaluations at the floor speed when the training kernel's speed says nothing of TensorFlow.js'", () => {
    // The kernel trains a million samples/s; the test set is still evaluated at the floor: 3 x 10,000 x 2 x params / 1e9.
    const params = 784 * 1024 + 1024 + 1024 * 10 + 10;
    expect(silentStepSeconds(wide(1, 32), DATASETS.mnist, 1e6, 1e9, null)).toBeCloseTo((3 * 10_000 * 2 * params) / 1e9, 9);
    // The batch is still sized by the kernel's measured speed: 60,000 images at 1e6/s (3e6 forward passes/s), thrice.
    expect(silentStepSeconds({ ...wide(1, 60_000), validation: 0 }, DATASETS.mnist, 1e6, 1e15, null)).toBeCloseTo(0.18, 9);
  });
});

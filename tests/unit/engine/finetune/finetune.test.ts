import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { batchPlan, finetune } from '$engine/finetune/finetune';
import { runFinetuneJob } from '$engine/finetune/finetune-job';
import { selectBackend } from '$engine/ml/backend';
import { createModel } from '$engine/ml/model';
import { modelFromFiles, serializeModel } from '$engine/ml/persist';
import type { ImageSet } from '$shared/datasets/image-set';
import type { ModelMetadata } from '$shared/model-metadata';
import { DEFAULT_SPEC, type ModelSpec } from '$shared/model-spec';
import { syntheticSet } from '$tests/helpers/datasets';

beforeAll(async () => {
  await selectBackend();
});

const spec: ModelSpec = { ...DEFAULT_SPEC, hiddenLayers: [{ units: 8, activation: 'relu', dropout: 0 }] };
const shape = { inputSize: 16, numClasses: 4 };
const settings = { share: 0.5, epochs: 3, augment: null, seed: 5, normalization: 'divide255' as const, l2: 0, batchSize: 16, learningRate: 0.01 };
const weightsOf = (model: tf.LayersModel): number[] => model.getWeights().flatMap((w) => Array.from(w.dataSync()));

/** The synthetic set transposed, a "handwriting" the replay never shows: class c lights column c, not row c. */
function ownStyle(count: number, seed: number): ImageSet {
  const set = syntheticSet(count, seed);
  const images = set.images.map((_, p) => set.images[p - (p % 16) + (p % 4) * 4 + Math.floor((p % 16) / 4)]);
  return { ...set, images };
}

function accuracy(model: tf.LayersModel, set: ImageSet): number {
  return tf.tidy(() => {
    const x = tf.tensor2d(Float32Array.from(set.images, (v) => v / 255), [set.count, 16]);
    const predicted = (model.predict(x) as tf.Tensor).argMax(1).dataSync();
    return predicted.filter((p, i) => p === set.labels[i]).length / set.count;
  });
}

describe('batchPlan', () => {
  it('gives the share of each batch to your samples (at least one, never all) and an epoch shows them all', () => {
    expect(batchPlan(50, { share: 0.3 })).toEqual({ own: 19, replay: 45, steps: 40 });
    expect(batchPlan(5000, { share: 0.5 })).toEqual({ own: 32, replay: 32, steps: 157 });
    expect(batchPlan(3, { share: 0.01, batchSize: 10, minStepsPerEpoch: 1 })).toEqual({ own: 1, replay: 9, steps: 3 });
    expect(batchPlan(3, { share: 0.99, batchSize: 10, minStepsPerEpoch: 1 })).toEqual({ own: 9, replay: 1, steps: 1 });
  });
});

describe('finetune', () => {
  it('learns your samples, repeats exactly with the same seed, and leaves no tensor behind', async () => {
    const replay = syntheticSet(256, 1);
    const own = ownStyle(24, 2);
    const run = async (seed: number) => {
      tf.randomUniform([1]).dispose();
      const model = createModel(spec, shape);
      model.setWeights(base.getWeights());
      const result = await finetune(model, own, replay, { ...settings, seed });
      return { model, result };
    };
    const base = createModel(spec, shape);
    const before = tf.memory().numTensors;
    const a = await run(5);
    const b = await run(5);
    const c = await run(6);
    expect(a.result.steps).toBe(3 * 40);
    expect(a.result.losses[2]).toBeLessThan(a.result.losses[0]);
    expect(accuracy(a.model, ownStyle(64, 9))).toBeGreaterThan(0.8);
    expect(weightsOf(a.model)).toEqual(weightsOf(b.model));
    expect(weightsOf(a.model)).not.toEqual(weightsOf(c.model));
    for (const m of [a, b, c]) m.model.dispose();
    expect(tf.memory().numTensors).toBe(before);
    base.dispose();
  });

  it('stops at a cancel', async () => {
    const model = createModel(spec, shape);
    const controller = new AbortController();
    controller.abort();
    await expect(finetune(model, ownStyle(8, 1), syntheticSet(64, 1), settings, { signal: controller.signal })).rejects.toThrow(/cancelled/);
    model.dispose();
  });

  it('fails, offering no model to keep, when its last update leaves a weight non-finite', async () => {
    const model = createModel(spec, shape);
    // One step of Adam at 1e39, past float32's range: the loss before it is finite, the weights after it not.
    const once = { ...settings, epochs: 1, minStepsPerEpoch: 1, learningRate: 1e39 };
    await expect(finetune(model, ownStyle(8, 1), syntheticSet(64, 1), once)).rejects.toThrow(/^A weight became NaN or infinite after epoch 1: training diverged\.$/);
    model.dispose();
  });
});

describe('runFinetuneJob', () => {
  it('scores before and after on the held-out samples and the test set, and hands back a new model, the original untouched', async () => {
    const base = createModel(spec, shape);
    const metadata = {
      format: 'mlp-lab-model', version: 1, name: 'Base', datasetId: 'mnist', classNames: ['0', '1', '2', '3'], imageShape: [4, 4],
      normalization: 'divide255', spec, metrics: { testAccuracy: 0.5 }, history: [], epochsTrained: 3, trainSeconds: 1, backend: 'cpu', created: 'then',
    } satisfies ModelMetadata;
    const files = await serializeModel(base, metadata);
    const original = new Uint8Array(files.weights.slice(0));
    const own = { ...ownStyle(32, 3), ids: Array.from({ length: 32 }, (_, i) => `s${i}`) };
    const dataset = { id: 'mnist' as const, classNames: metadata.classNames, train: syntheticSet(256, 1), test: syntheticSet(64, 4) };
    const progress: number[] = [];
    const answer = await runFinetuneJob(
      { model: files, own, options: { share: 0.5, epochs: 20, augment: false, seed: 2 }, name: 'Base · your handwriting' },
      dataset,
      { onProgress: (done, total) => progress.push(done / total) },
    );
    expect(answer.heldOutCounts.reduce((a, b) => a + b, 0) + answer.fineTuneCounts.reduce((a, b) => a + b, 0)).toBe(32);
    expect(answer.heldOut).toHaveLength(answer.heldOutCounts.reduce((a, b) => a + b, 0));
    expect(answer.heldOut.every((h) => /^s\d+$/.test(h.id) && h.label === own.labels[Number(h.id.slice(1))])).toBe(true);
    expect(answer.before.own).toBeCloseTo(answer.heldOut.filter((h) => h.before === h.label).length / answer.heldOut.length, 6);
    expect(answer.after.own!).toBeGreaterThan(answer.before.own!);
    expect(answer.files.metadata.name).toBe('Base · your handwriting');
    expect(answer.files.metadata.metrics.testAccuracy).toBe(answer.after.mnist);
    expect(new Uint8Array(files.weights)).toEqual(original);
    expect(new Uint8Array(answer.files.weights)).not.toEqual(original);
    expect(progress.at(-1)).toBe(1);
    const reloaded = await modelFromFiles(answer.files);
    // The files hold the fine-tuned weights: the reloaded model reads the new style.
    expect(accuracy(reloaded, ownStyle(64, 9))).toBeGreaterThan(0.6);
    reloaded.dispose();
    base.dispose();
  });
});

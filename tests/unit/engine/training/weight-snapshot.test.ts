import path from 'node:path';
import { catalogDescriptor } from '$shared/datasets/descriptor';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SPEC, type ModelSpec } from '$shared/model-spec';
import type { DenseLayerWeights } from '$shared/weights';
import { selectBackend } from '$engine/ml/backend';
import { createModel } from '$engine/ml/model';
import { modelFromFiles } from '$engine/ml/persist';
import { TrainingEngine } from '$engine/training/engine';
import { SnapshotThrottle, type FromWorker } from '$engine/training/protocol';
import { spawnTrainingWorker } from '$engine/training/spawn-worker';
import { ALL_LAYERS_MAX_PARAMS, readWeightsSnapshot } from '$engine/training/weight-snapshot';
import { REPO_ROOT, RESOURCES_DIR, syntheticDataset } from '$tests/helpers/datasets';

beforeAll(async () => {
  await selectBackend();
});

/** Each Dense layer's kernel and bias as the model holds them, as plain numbers. */
function denseValues(model: tf.LayersModel): { kernel: number[]; bias: number[] }[] {
  return model.layers
    .filter((layer) => layer.getClassName() === 'Dense')
    .map((layer) => {
      const [kernel, bias] = layer.getWeights();
      return { kernel: Array.from(kernel.dataSync()), bias: Array.from(bias.dataSync()) };
    });
}

const plain = (layers: DenseLayerWeights[]) => layers.map((l) => ({ kernel: Array.from(l.kernel), bias: Array.from(l.bias) }));

describe('SnapshotThrottle', () => {
  it('is due after a run’s first batch, then only once the interval has passed since the last snapshot', () => {
    let now = 5_000;
    const throttle = new SnapshotThrottle(1000, () => now);
    const due: number[] = [];
    for (const t of [5_000, 5_400, 5_999, 6_000, 6_500, 6_999, 7_200, 9_000]) {
      now = t;
      if (throttle.due()) due.push(t);
    }
    expect(due).toEqual([5_000, 6_000, 7_200, 9_000]);
  });
});

describe('readWeightsSnapshot', () => {
  it('copies every layer of a small model, and only the first hidden layer of one over the bound', () => {
    const small = createModel({ ...DEFAULT_SPEC, hiddenLayers: [{ units: 16, activation: 'tanh', dropout: 0.2 }] });
    expect(small.countParams()).toBeLessThanOrEqual(ALL_LAYERS_MAX_PARAMS);
    const all = readWeightsSnapshot(small);
    expect(all.allLayers).toBe(true);
    expect(all.layers.map((l) => [l.inputs, l.units, l.activation])).toEqual([[784, 16, 'tanh'], [16, 10, 'softmax']]);
    expect(plain(all.layers)).toEqual(denseValues(small));

    const big = createModel({ ...DEFAULT_SPEC, hiddenLayers: [{ units: 200, activation: 'relu', dropout: 0 }, { units: 20, activation: 'elu', dropout: 0 }] });
    expect(big.countParams()).toBeGreaterThan(ALL_LAYERS_MAX_PARAMS);
    const first = readWeightsSnapshot(big);
    expect(first.allLayers).toBe(false);
    expect(first.layers.map((l) => [l.inputs, l.units, l.activation])).toEqual([[784, 200, 'relu']]);
    expect(plain(first.layers)).toEqual(denseValues(big).slice(0, 1));
    // The same small model under a tighter bound sends its first layer only.
    expect(readWeightsSnapshot(small, 1000).layers).toHaveLength(1);

    // Copies: writing into a snapshot (or transferring its buffers away) leaves the model's weights alone.
    const before = denseValues(small)[0].kernel[0];
    all.layers[0].kernel[0] = before + 1;
    expect(denseValues(small)[0].kernel[0]).toBe(before);
    small.dispose();
    big.dispose();
  });
});

describe('TrainingEngine.snapshotWeights', () => {
  it('reads the weights being trained: at the last batch they are the trained model’s, and they moved since the first', async () => {
    const engine = new TrainingEngine(async () => syntheticDataset(256, 64), 'test');
    expect(engine.snapshotWeights()).toBeNull();
    const spec: ModelSpec = { ...DEFAULT_SPEC, hiddenLayers: [{ units: 6, activation: 'relu', dropout: 0 }], batchSize: 32, epochs: 2, validation: 0 };
    const taken: { epoch: number; batch: number; layers: DenseLayerWeights[] }[] = [];
    const outcome = await engine.start(spec, 'mnist', 'snapshots', {
      onBatch: (log) => {
        if (log.batch === 0 || log.batch === log.batches - 1) taken.push({ epoch: log.epoch, batch: log.batch, layers: engine.snapshotWeights()!.layers });
      },
    });
    expect(taken.map((t) => [t.epoch, t.batch])).toEqual([[0, 0], [0, 7], [1, 0], [1, 7]]);
    const trained = await modelFromFiles(outcome.files);
    expect(plain(taken[3].layers)).toEqual(denseValues(trained));
    expect(plain(taken[0].layers)).not.toEqual(plain(taken[3].layers));
    trained.dispose();
    engine.reset();
    expect(engine.snapshotWeights()).toBeNull();
  });
});

describe('the training worker’s snapshots (real thread, real MNIST)', () => {
  const spec: ModelSpec = { ...DEFAULT_SPEC, hiddenLayers: [{ units: 8, activation: 'relu', dropout: 0 }], batchSize: 50, epochs: 1, trainSubset: 1000, validation: 0 };
  const MNIST_DIR = path.join(RESOURCES_DIR, 'datasets', 'mnist');

  /** Trains one epoch in a fresh worker with `config`, and returns every message it sent. */
  async function messagesOfRun(config: { weightSnapshots?: boolean }): Promise<FromWorker[]> {
    const worker = spawnTrainingWorker(path.join(REPO_ROOT, 'tests/helpers/ts-worker.mjs'), config, [path.join(REPO_ROOT, 'src/engine/training/worker.ts')]);
    const messages: FromWorker[] = [];
    try {
      await new Promise<void>((resolve, reject) => {
        worker.on('error', reject);
        worker.on('message', (message) => {
          messages.push(message);
          if (message.type === 'ready') worker.postMessage({ type: 'start', runId: 'r', spec, dataset: catalogDescriptor('mnist', MNIST_DIR), name: 'w' });
          if (message.type === 'finished') resolve();
          if (message.type === 'failed') reject(new Error(message.message));
        });
      });
    } finally {
      await worker.terminate();
    }
    return messages;
  }

  it('sends the whole small model after the first batch, with the run and the moment; none when turned off', async () => {
    const on = await messagesOfRun({});
    const snapshots = on.filter((m): m is Extract<FromWorker, { type: 'weights' }> => m.type === 'weights');
    expect(snapshots.length).toBeGreaterThanOrEqual(1);
    expect(snapshots[0]).toMatchObject({ runId: 'r', epoch: 0, batch: 0, batches: 20, allLayers: true });
    expect(snapshots[0].layers.map((l) => [l.inputs, l.units, l.kernel.length, l.bias.length])).toEqual([[784, 8, 784 * 8, 8], [8, 10, 80, 10]]);
    // The first snapshot comes with the first batch, before the epoch ends.
    expect(on.findIndex((m) => m.type === 'weights')).toBeLessThan(on.findIndex((m) => m.type === 'epoch'));

    const off = await messagesOfRun({ weightSnapshots: false });
    expect(off.some((m) => m.type === 'finished')).toBe(true);
    expect(off.filter((m) => m.type === 'weights')).toEqual([]);
  });
});

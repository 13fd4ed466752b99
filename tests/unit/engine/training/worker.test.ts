import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogDescriptor, type DatasetDescriptor } from '$shared/datasets/descriptor';
import { IDX_NAMES, writeIdxDataset } from '$engine/data/write-idx';
import { DEFAULT_SPEC, type ModelSpec } from '$shared/model-spec';
import { selectBackend } from '$engine/ml/backend';
import { modelFromFiles, writeModelFiles } from '$engine/ml/persist';
import type { FromWorker, WorkerHandle } from '$engine/training/protocol';
import { RESOURCES_DIR, syntheticSet } from '$tests/helpers/datasets';
import { spawnTestWorker, type TestWorker } from '$tests/helpers/worker-inbox';
import { tempDirs } from '$tests/helpers/temp-dirs';

const MNIST_DIR = path.join(RESOURCES_DIR, 'datasets', 'mnist');
const MNIST = catalogDescriptor('mnist', MNIST_DIR);
const spec: ModelSpec = {
  ...DEFAULT_SPEC,
  hiddenLayers: [{ units: 32, activation: 'relu', dropout: 0 }],
  batchSize: 100,
  epochs: 2,
  trainSubset: 3000,
  validation: 0.1,
};

let worker: WorkerHandle;
let inbox: FromWorker[];
let next: TestWorker['next'];

beforeAll(async () => {
  await selectBackend();
  ({ worker, inbox, next } = spawnTestWorker());
});
afterAll(() => worker.terminate());
const tempDir = tempDirs('mlp-lab-worker-');

describe('the training worker (real thread, real MNIST)', () => {
  it('reports its backend, trains, reports progress and epochs, and hands back a loadable model', async () => {
    const ready = await next('ready');
    expect(['tensorflow', 'wasm', 'cpu']).toContain(ready.backend.active);
    worker.postMessage({ type: 'start', runId: 'a', spec, dataset: catalogDescriptor('mnist', MNIST_DIR), name: 'worker test' });
    const first = await next('epoch');
    const second = await next('epoch');
    expect([first.log.epoch, second.log.epoch]).toEqual([0, 1]);
    expect(second.log.valAccuracy).toBeGreaterThan(0.7);
    const finished = await next('finished');
    expect(finished).toMatchObject({ runId: 'a', stopped: false, epochsDone: 2 });
    expect(finished.testAccuracy).toBeGreaterThan(0.7);
    const progress = inbox.filter((m) => m.type === 'progress');
    // Throttled, but the last batch of each epoch is always reported.
    expect(progress.length).toBeGreaterThanOrEqual(2);
    expect(progress.length).toBeLessThan(2 * 27);
    const model = await modelFromFiles(finished.files);
    expect(model.countParams()).toBe(784 * 32 + 32 + 330);
    expect(finished.files.metadata).toMatchObject({ name: 'worker test', epochsTrained: 2, history: [{ epoch: 0 }, { epoch: 1 }] });
    model.dispose();
    inbox.length = 0;
  });

  it('continues the same model: epochs are numbered on and the history grows', async () => {
    worker.postMessage({ type: 'continue', runId: 'a', epochs: 1 });
    expect((await next('epoch')).log.epoch).toBe(2);
    const finished = await next('finished');
    expect(finished.epochsDone).toBe(3);
    expect(finished.files.metadata.history.map((h) => h.epoch)).toEqual([0, 1, 2]);
    inbox.length = 0;
  });

  it('resumes a saved model from its folder as a new run: epochs and history carry on', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'mlp-lab-resume-'));
    try {
      worker.postMessage({ type: 'start', runId: 'r0', spec: { ...spec, epochs: 1 }, dataset: MNIST, name: 'saved' });
      await writeModelFiles(dir, (await next('finished')).files);
      inbox.length = 0;
      worker.postMessage({ type: 'resume', runId: 'r1', modelDir: dir, dataset: MNIST, name: 'saved (continued)', epochs: 1 });
      expect(await next('progress')).toMatchObject({ runId: 'r1', firstEpoch: 1, lastEpoch: 2 });
      expect((await next('epoch')).log.epoch).toBe(1);
      const finished = await next('finished');
      expect(finished).toMatchObject({ runId: 'r1', stopped: false, epochsDone: 2 });
      expect(finished.files.metadata).toMatchObject({ name: 'saved (continued)', epochsTrained: 2 });
      expect(finished.files.metadata.history.map((h) => h.epoch)).toEqual([0, 1]);
      // A folder without a model fails the run, naming the folder.
      worker.postMessage({ type: 'resume', runId: 'r2', modelDir: path.join(dir, 'nope'), dataset: MNIST, name: 'x', epochs: 1 });
      expect(await next('failed')).toMatchObject({ runId: 'r2', message: expect.stringContaining(path.join(dir, 'nope')) });
    } finally {
      await rm(dir, { recursive: true, force: true });
      inbox.length = 0;
    }
  });

  it('stops after the current batch when told to', async () => {
    worker.postMessage({ type: 'start', runId: 'b', spec: { ...spec, epochs: 200 }, dataset: catalogDescriptor('mnist', MNIST_DIR), name: 'long' });
    await next('progress');
    worker.postMessage({ type: 'stop' });
    const finished = await next('finished');
    expect(finished).toMatchObject({ runId: 'b', stopped: true });
    expect(finished.epochsDone).toBeLessThan(200);
    inbox.length = 0;
  });

  it('reports a dataset it cannot load as a dataset error, and keeps serving', async () => {
    const missing = path.join(RESOURCES_DIR, 'datasets', 'fashion-mnist');
    worker.postMessage({ type: 'start', runId: 'c', spec, dataset: catalogDescriptor('fashion-mnist', missing), name: 'x' });
    expect(await next('failed')).toMatchObject({ runId: 'c', kind: 'dataset', message: /file not found/ });
    worker.postMessage({ type: 'reset' });
    worker.postMessage({ type: 'continue', runId: 'c', epochs: 1 });
    expect(await next('failed')).toMatchObject({ kind: 'failed', message: /no model to continue/ });
  });

  it('trains on any dataset main describes, such as an import of three classes with no checksums', async () => {
    const dir = path.join(await tempDir(), 'three-shapes-m1');
    await writeIdxDataset(dir, { train: syntheticSet(300, 1, 28, 28, 3), test: syntheticSet(60, 2, 28, 28, 3) });
    const name = (file: string) => ({ name: file });
    const dataset: DatasetDescriptor = {
      id: 'three-shapes-m1',
      displayName: 'Three shapes',
      classNames: ['a', 'b', 'c'],
      imageSize: { rows: 28, cols: 28 },
      counts: { train: 300, test: 60 },
      dir,
      files: { trainImages: name(IDX_NAMES.trainImages), trainLabels: name(IDX_NAMES.trainLabels), testImages: name(IDX_NAMES.testImages), testLabels: name(IDX_NAMES.testLabels) },
    };
    worker.postMessage({ type: 'start', runId: 'd', spec: { ...spec, trainSubset: null, batchSize: 50, epochs: 3 }, dataset, name: 'imported' });
    const finished = await next('finished');
    expect(finished).toMatchObject({ runId: 'd', stopped: false, epochsDone: 3 });
    expect(finished.files.metadata).toMatchObject({ datasetId: 'three-shapes-m1', classNames: ['a', 'b', 'c'] });
    // The blocks that tell the classes apart are easy: a model that learnt anything gets most right.
    expect(finished.testAccuracy).toBeGreaterThan(0.8);
  });
});

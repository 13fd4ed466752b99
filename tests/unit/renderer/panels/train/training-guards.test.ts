import { flushSync } from 'svelte';
import { afterEach, describe, expect, it } from 'vitest';
import { TrainingState } from '$renderer/panels/train/training.svelte';
import type { ActiveModelInfo } from '$renderer/panels/train/training-run';
import { FakeTrainingApi } from '../../helpers/training-api';

let state: TrainingState | undefined;
afterEach(() => state?.dispose());

async function connected(active: ActiveModelInfo | null = null): Promise<{ state: TrainingState; fake: FakeTrainingApi }> {
  const fake = new FakeTrainingApi();
  const metadata = active && { name: active.name, datasetId: active.datasetId, metrics: { testAccuracy: active.testAccuracy ?? undefined } };
  state = new TrainingState({ classifier: { modelId: active?.id ?? null, metadata } });
  state.connect(fake.api);
  await Promise.resolve();
  await Promise.resolve();
  flushSync();
  return { state, fake };
}

const starts = (fake: FakeTrainingApi): number => fake.calls.filter((c) => c.verb === 'startTraining').length;

describe('TrainingState guards', () => {
  it('asks before a run estimated past ten minutes, and starts it only on the yes', async () => {
    const { state, fake } = await connected();
    state.editor.spec.hiddenLayers = Array.from({ length: 8 }, () => ({ units: 1024, activation: 'relu' as const, dropout: 0 }));
    state.editor.spec.epochs = 1000;
    await state.train();
    expect(starts(fake)).toBe(0);
    expect(state.time.confirming?.seconds).toBeGreaterThan(3600);
    expect(state.time.confirming?.measured).toBe(false);
    state.time.cancel();
    expect(state.time.confirming).toBeNull();
    await state.train(true);
    expect(starts(fake)).toBe(1);
    expect(state.time.confirming).toBeNull();
  });

  it('starts a short run at once, and refuses one with a field error', async () => {
    const { state, fake } = await connected();
    state.editor.spec.trainSubset = 60_001;
    expect(state.editor.fieldErrors.trainSubset).toMatch(/at most 60,000/);
    expect(state.canTrain).toBe(false);
    await state.train();
    expect(starts(fake)).toBe(0);
    state.editor.spec.trainSubset = 1000;
    state.editor.spec.epochs = 1;
    await state.train();
    expect(starts(fake)).toBe(1);
  });

  it('says when a run is far worse than the model it replaced, and brings that one back', async () => {
    const { state, fake } = await connected({ id: 'default', name: 'Default', testAccuracy: 0.992, datasetId: 'mnist' });
    state.editor.spec.trainSubset = 1000;
    state.editor.spec.epochs = 1;
    await state.train();
    fake.finish('run-1', false);
    flushSync();
    // The fake's run reaches 97.51 %: not far below 99.2 %.
    expect(state.farWorse).toBe(false);
    // The run on 5 images: 17.7 %.
    for (const listener of fake.listeners.finished) {
      listener({ runId: 'run-1', stopped: false, testAccuracy: 0.177, testLoss: 2.2, epochsDone: 1, modelName: 'MLP 50 · sgd' });
    }
    expect(state.farWorse).toBe(true);
    await state.restore();
    expect(fake.calls.at(-1)).toEqual({ verb: 'loadModel', args: [{ id: 'default' }] });
    expect(state.replaced).toBeNull();
  });

  it('re-smooths the batch-loss curve when the smoothing changes', async () => {
    const { state, fake } = await connected();
    state.editor.spec.trainSubset = 1000;
    state.editor.spec.epochs = 1;
    await state.train();
    fake.progress('run-1', 0, 0, 4, 2, [0, 1]);
    fake.progress('run-1', 0, 3, 4, 1, [0, 1]);
    expect(state.curves.batchLoss.map((p) => p.y)).toEqual([2, expect.closeTo(0.88 / 0.64, 10)]);
    state.curves.smoothing = 0;
    expect(state.curves.batchLoss.map((p) => p.y)).toEqual([2, 1]);
  });

  it('compares a run only with a replaced model of the same dataset', async () => {
    // The case the other way round (Fashion needs a download here): a model of another dataset.
    const { state, fake } = await connected({ id: 'mine', name: 'Clothes', testAccuracy: 0.9756, datasetId: 'fashion-mnist' });
    state.editor.spec.trainSubset = 1000;
    state.editor.spec.epochs = 1;
    await state.train();
    for (const listener of fake.listeners.finished) {
      listener({ runId: 'run-1', stopped: false, testAccuracy: 0.8695, testLoss: 0.4, epochsDone: 1, modelName: 'Keras' });
    }
    flushSync();
    expect(state.result?.testAccuracy).toBe(0.8695);
    expect(state.farWorse).toBe(false);
  });

  it('sends one start for a double click on Train', async () => {
    const { state, fake } = await connected();
    state.editor.spec.trainSubset = 1000;
    state.editor.spec.epochs = 1;
    const first = state.train();
    expect(state.starting).toBe(true);
    expect(state.canTrain).toBe(false);
    const second = state.train();
    await Promise.all([first, second]);
    expect(starts(fake)).toBe(1);
    expect(state.error).toBeNull();
    expect(state.starting).toBe(false);
  });

  it('estimates from the measured speed of the same kind of model only, and says "about" only then', async () => {
    const { state, fake } = await connected();
    state.editor.spec.trainSubset = 10_000;
    state.editor.spec.epochs = 2;
    expect(state.time.estimate?.measured).toBe(false);
    await state.train();
    // A stopped epoch's speed is not a measurement; a complete one is.
    fake.epoch('run-1', 0, false, { samplesPerSecond: 10 });
    expect(state.time.estimate?.measured).toBe(false);
    fake.epoch('run-1', 0, true, { samplesPerSecond: 9000, samples: 9000 });
    fake.finish('run-1', false);
    flushSync();
    const v = state.editor.spec.validation;
    const held = v === 'test' ? 0 : Math.floor(10_000 * v);
    const evaluated = (v === 'test' ? 10_000 : held) * 2 + 10_000;
    expect(state.time.estimate).toEqual({ seconds: expect.closeTo(((10_000 - held) * 2) / 9000 + evaluated / 27_000, 6), measured: true, basis: 'session' });
    // Another shape, or another batch size, has not been measured.
    state.editor.spec.batchSize = 32;
    expect(state.time.estimate?.measured).toBe(false);
  });
});

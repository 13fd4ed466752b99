import { flushSync } from 'svelte';
import { afterEach, describe, expect, it } from 'vitest';
import { TrainingState, type ActiveModelInfo } from '$renderer/panels/train/training.svelte';
import { FakeTrainingApi } from '../../helpers/training-api';

let state: TrainingState | undefined;
afterEach(() => state?.dispose());

async function connected(active: ActiveModelInfo | null = null): Promise<{ state: TrainingState; fake: FakeTrainingApi }> {
  const fake = new FakeTrainingApi();
  state = new TrainingState({ activeModel: () => active });
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
    expect(state.confirming?.seconds).toBeGreaterThan(3600);
    expect(state.confirming?.measured).toBe(false);
    state.cancelConfirm();
    expect(state.confirming).toBeNull();
    await state.train(true);
    expect(starts(fake)).toBe(1);
    expect(state.confirming).toBeNull();
  });

  it('starts a short run at once, and refuses one with a field error', async () => {
    const { state, fake } = await connected();
    state.editor.spec.trainSubset = 60_001;
    expect(state.fieldErrors.trainSubset).toMatch(/at most 60,000/);
    expect(state.canTrain).toBe(false);
    await state.train();
    expect(starts(fake)).toBe(0);
    state.editor.spec.trainSubset = 1000;
    state.editor.spec.epochs = 1;
    await state.train();
    expect(starts(fake)).toBe(1);
  });

  it('says when a run is far worse than the model it replaced, and brings that one back', async () => {
    const { state, fake } = await connected({ id: 'default', name: 'Default', testAccuracy: 0.992 });
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
    expect(state.batchLoss.map((p) => p.y)).toEqual([2, expect.closeTo(0.88 / 0.64, 10)]);
    state.smoothing = 0;
    expect(state.batchLoss.map((p) => p.y)).toEqual([2, 1]);
  });
});

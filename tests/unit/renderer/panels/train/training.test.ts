import { flushSync } from 'svelte';
import { afterEach, describe, expect, it } from 'vitest';
import { PRESETS } from '$shared/presets';
import { TrainingState } from '$renderer/panels/train/training.svelte';
import { FakeTrainingApi } from '../../helpers/training-api';

let state: TrainingState | undefined;
afterEach(() => {
  state?.dispose();
  state = undefined;
});

/** A connected state with main's status and dataset list loaded. */
async function connected(fake = new FakeTrainingApi(), api = fake.api): Promise<{ state: TrainingState; fake: FakeTrainingApi }> {
  state = new TrainingState();
  state.connect(api);
  await Promise.resolve();
  await Promise.resolve();
  flushSync();
  return { state, fake };
}

/** Trains `epochs` epochs of 4 batches each through the fake, reporting two progress events per epoch. */
function runEpochs(fake: FakeTrainingApi, runId: string, from: number, to: number, call: [number, number]): void {
  for (let e = from; e < to; e++) {
    fake.progress(runId, e, 1, 4, 1 / (e + 1), call);
    fake.progress(runId, e, 3, 4, 1 / (e + 1.5), call);
    fake.epoch(runId, e);
  }
}

describe('TrainingState', () => {
  it('subscribes once, loads status and datasets, and unsubscribes on dispose', async () => {
    const fake = new FakeTrainingApi();
    const { state } = await connected(fake);
    expect(fake.listenerCount).toBe(6);
    state.connect(fake.api);
    expect(fake.listenerCount).toBe(6);
    await Promise.resolve();
    expect(state.editor.datasets.map((d) => d.id)).toEqual(['mnist', 'fashion-mnist']);
    expect(state.canTrain).toBe(true);
    state.editor.selectPreset('keras-intro');
    expect(state.editor.datasetProblem).toMatch(/Fashion-MNIST is not downloaded/);
    expect(state.canTrain).toBe(false);
    state.dispose();
    expect(fake.listenerCount).toBe(0);
  });

  it('takes the dataset list main sends after a download, so the dataset becomes selectable', async () => {
    const { state, fake } = await connected();
    state.editor.selectPreset('keras-intro');
    expect(state.canTrain).toBe(false);
    const downloaded = (await fake.api.listDatasets()).map((d) => ({ ...d, available: true }));
    for (const listener of fake.listeners.datasets) listener(downloaded);
    expect(state.editor.datasetProblem).toBeNull();
    expect(state.canTrain).toBe(true);
  });

  it('trains: sends a plain spec, follows progress, epochs and the result', async () => {
    const { state, fake } = await connected();
    expect([state.canStop, state.canContinue, state.canReset]).toEqual([false, false, false]);
    await state.train();
    expect(fake.specOf(0)).toEqual(state.editor.spec);
    expect(() => structuredClone(fake.specOf(0))).not.toThrow();
    expect(state.phase).toBe('training');
    expect([state.canTrain, state.canStop, state.canContinue, state.canReset]).toEqual([false, true, false, false]);
    // The settings a run uses stay put: a preset cannot replace them until it is done.
    state.editor.selectPreset('keras-two-layers');
    expect(state.editor.presetId).toBe('sklearn-exercise');

    fake.progress('run-1', 0, 1, 4, 2.0, [0, 10]);
    expect(state.percent).toBe(5);
    fake.progress('run-1', 0, 3, 4, 1.0, [0, 10]);
    expect(state.percent).toBe(10);
    // Smoothed: the first report as is, then an exponential moving average at fractional epochs.
    expect(state.curves.batchLoss[0]).toEqual({ x: 0.5, y: 2 });
    expect(state.curves.batchLoss[1].x).toBe(1);
    expect(state.curves.batchLoss[1].y).toBeLessThan(2);
    expect(state.curves.batchLoss[1].y).toBeGreaterThan(1);
    fake.epoch('run-1', 0, true, { valLoss: 0.4, valAccuracy: 0.88 });
    expect(state.curves.chartEpochs).toHaveLength(1);
    expect(state.curves.epochs[0].of).toBe(10);

    fake.finish('run-1', false);
    expect(state.phase).toBe('idle');
    expect(state.percent).toBe(100);
    expect(state.result).toMatchObject({ testAccuracy: 0.9751, modelName: 'MLP 50 · sgd' });
    await state.save('my model');
    expect(state.modelSave.saved).toEqual({ name: 'my model', dir: '/models/my model' });
  });

  it('ignores events of another run', async () => {
    const { state, fake } = await connected();
    await state.train();
    fake.progress('old-run', 5, 1, 4, 9, [5, 6]);
    fake.epoch('old-run', 5);
    fake.finish('old-run', false);
    fake.error('old-run');
    expect(state.curves.batchLoss).toEqual([]);
    expect(state.curves.epochs).toEqual([]);
    expect(state.result).toBeNull();
    expect(state.error).toBeNull();
    expect(state.progress).toBeNull();
    // An error about no run in particular (e.g. a failed reset) is shown.
    fake.error(null);
    expect(state.error).toMatchObject({ kind: 'diverged', advice: 'Lower the learning rate.' });
    state.dismissError();
    expect(state.error).toBeNull();
  });

  it('keeps the curves on Stop and extends them on Continue', async () => {
    const { state, fake } = await connected();
    state.editor.spec.epochs = 5;
    await state.train();
    runEpochs(fake, 'run-1', 0, 2, [0, 5]);
    fake.progress('run-1', 2, 1, 4, 0.2, [0, 5]);
    await state.stop();
    expect(state.phase).toBe('stopping');
    expect(state.canStop).toBe(false);
    fake.epoch('run-1', 2, false);
    fake.finish('run-1', true);
    expect(state.phase).toBe('idle');
    expect(state.curves.chartEpochs.map((l) => l.epoch)).toEqual([0, 1]);
    expect(state.curves.epochs).toHaveLength(3);
    expect(state.curves.batchLoss).toHaveLength(5);
    expect(state.percent).toBe(50);
    expect(state.result?.stopped).toBe(true);
    expect([state.canTrain, state.canContinue, state.canReset]).toEqual([true, true, true]);

    // A save that failed was of the model before this Continue: its error goes with the result.
    state.modelSave.error = 'disk full';
    state.editor.spec.epochs = 2;
    await state.continue();
    expect(fake.calls.at(-1)).toEqual({ verb: 'continueTraining', args: [{ epochs: 2 }] });
    expect(state.result).toBeNull();
    expect(state.modelSave.error).toBeNull();
    expect(state.curves.callEnd).toBe(4);
    // The cut-short epoch 3 is trained again: its points are replaced, not drawn twice.
    runEpochs(fake, 'run-1', 2, 4, [2, 4]);
    fake.finish('run-1', false);
    expect(state.curves.chartEpochs.map((l) => l.epoch)).toEqual([0, 1, 2, 3]);
    expect(state.curves.epochs.map((e) => `${e.log.epoch + 1}/${e.of}${e.log.complete ? '' : ' stopped'}`)).toEqual([
      '1/5',
      '2/5',
      '3/5 stopped',
      '3/4',
      '4/4',
    ]);
    const xs = state.curves.batchLoss.map((p) => p.x);
    expect(xs).toEqual([...xs].sort((a, b) => a - b));
    expect(xs).toEqual([0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4]);
  });

  it('clears the curves on Reset and starts a new run afresh', async () => {
    const { state, fake } = await connected();
    await state.train();
    runEpochs(fake, 'run-1', 0, 2, [0, 10]);
    fake.finish('run-1', false);
    await state.reset();
    expect(fake.calls.at(-1)?.verb).toBe('resetTraining');
    expect(state.status.run).toBeNull();
    expect(state.curves.epochs).toEqual([]);
    expect(state.curves.batchLoss).toEqual([]);
    expect(state.result).toBeNull();
    expect(state.percent).toBe(0);
    expect([state.canContinue, state.canReset]).toEqual([false, false]);

    fake.nextRunId = 'run-2';
    await state.train();
    runEpochs(fake, 'run-2', 0, 1, [0, 10]);
    expect(state.curves.chartEpochs).toHaveLength(1);
    fake.progress('run-1', 3, 1, 4, 0.1, [0, 10]);
    expect(state.curves.batchLoss).toHaveLength(2);
  });

  it('shows a refused request as an error and stays usable', async () => {
    const fake = new FakeTrainingApi();
    const { state } = await connected(fake, {
      ...fake.api,
      startTraining: async () => {
        throw new Error('The mnist dataset is not on this machine yet.');
      },
    });
    await state.train();
    expect(state.error).toEqual({
      kind: 'request',
      message: 'Could not start training: The mnist dataset is not on this machine yet.',
      advice: null,
    });
    expect(state.canTrain).toBe(true);
  });

  it('picks up a run already in progress when it connects', async () => {
    const fake = new FakeTrainingApi();
    const spec = structuredClone(PRESETS.find((p) => p.id === 'best-mlp')!.spec);
    fake.status = { phase: 'training', backend: 'wasm', run: { id: 'run-9', spec, datasetId: 'mnist', epochsDone: 0, history: [] } };
    fake.epoch('run-9', 0);
    const { state } = await connected(fake);
    expect(state.editor.spec).toEqual(spec);
    expect(state.curves.chartEpochs).toHaveLength(1);
    expect(state.curves.callEnd).toBe(spec.epochs);
    fake.progress('run-9', 1, 0, 4, 0.3, [0, 10]);
    expect(state.curves.batchLoss).toHaveLength(1);
  });

  it('keeps a status event that arrives while its first status request is still answering', async () => {
    const fake = new FakeTrainingApi();
    const spec = structuredClone(PRESETS[0].spec);
    fake.status = { phase: 'training', backend: 'wasm', run: { id: 'run-7', spec, datasetId: 'mnist', epochsDone: 0, history: [] } };
    let answer!: () => void;
    const slow = new Promise<void>((resolve) => (answer = resolve));
    const api = { ...fake.api, listDatasets: async () => (await slow, fake.api.listDatasets()) };
    const state = new TrainingState();
    state.connect(api);
    await Promise.resolve();
    // The run finishes while the window is still asking what is going on.
    fake.setStatus({ ...fake.status, phase: 'idle' });
    answer();
    await new Promise((resolve) => setTimeout(resolve, 0));
    flushSync();
    expect(state.phase).toBe('idle');
    state.dispose();
  });
});

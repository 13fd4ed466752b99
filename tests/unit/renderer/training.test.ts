import { flushSync } from 'svelte';
import { afterEach, describe, expect, it } from 'vitest';
import type { DatasetSummary, EventPayload, TrainingStatus } from '../../../src/shared/ipc/contract';
import type { ModelSpec } from '../../../src/shared/model-spec';
import { PRESETS } from '../../../src/shared/presets';
import type { BatchLog, EpochLog } from '../../../src/shared/training';
import { TrainingState, type TrainingApi } from '../../../src/renderer/src/lib/state/training.svelte';

type Listener<T> = (payload: T) => void;

const DATASETS: DatasetSummary[] = [
  { id: 'mnist', displayName: 'MNIST', classNames: '0123456789'.split(''), bundled: true, available: true },
  { id: 'fashion-mnist', displayName: 'Fashion-MNIST', classNames: Array(10).fill('x'), bundled: false, available: false },
];

/**
 * window.api's training part, with main played by the test: verbs record their calls and answer like
 * the training service; `emit` drives the subscriptions.
 */
class FakeTrainingApi {
  calls: { verb: string; args: unknown[] }[] = [];
  status: TrainingStatus = { phase: 'idle', backend: null, run: null };
  nextRunId = 'run-1';
  listeners = {
    status: new Set<Listener<TrainingStatus>>(),
    progress: new Set<Listener<EventPayload<'training:progress'>>>(),
    epoch: new Set<Listener<EventPayload<'training:epoch'>>>(),
    finished: new Set<Listener<EventPayload<'training:finished'>>>(),
    error: new Set<Listener<EventPayload<'training:error'>>>(),
  };

  readonly api: TrainingApi = {
    getTrainingStatus: async () => this.#record('getTrainingStatus', [], structuredClone(this.status)),
    listDatasets: async () => this.#record('listDatasets', [], DATASETS),
    startTraining: async (request) => {
      this.#record('startTraining', [request], undefined);
      const runId = this.nextRunId;
      this.setStatus({ phase: 'training', backend: 'cpu', run: { id: runId, spec: request.spec, datasetId: request.datasetId, epochsDone: 0, history: [] } });
      return { runId };
    },
    continueTraining: async (request) => {
      this.#record('continueTraining', [request], undefined);
      this.setStatus({ ...this.status, phase: 'training' });
      return { runId: this.status.run!.id };
    },
    stopTraining: async () => {
      this.#record('stopTraining', [], undefined);
      this.setStatus({ ...this.status, phase: 'stopping' });
    },
    resetTraining: async () => {
      this.#record('resetTraining', [], undefined);
      this.setStatus({ ...this.status, run: null });
    },
    saveModel: async ({ name }) => this.#record('saveModel', [{ name }], { name, dir: `/models/${name}` }),
    onTrainingStatus: (listener) => this.#subscribe(this.listeners.status, listener),
    onTrainingProgress: (listener) => this.#subscribe(this.listeners.progress, listener),
    onTrainingEpoch: (listener) => this.#subscribe(this.listeners.epoch, listener),
    onTrainingFinished: (listener) => this.#subscribe(this.listeners.finished, listener),
    onTrainingError: (listener) => this.#subscribe(this.listeners.error, listener),
  };

  get listenerCount(): number {
    return Object.values(this.listeners).reduce((sum, set) => sum + set.size, 0);
  }

  setStatus(status: TrainingStatus): void {
    this.status = status;
    for (const listener of this.listeners.status) listener(structuredClone(status));
  }

  /** A progress report for batch `batch` of `batches` in `epoch`, of a call covering [first, last). */
  progress(runId: string, epoch: number, batch: number, batches: number, loss: number, [first, last]: [number, number]): void {
    const log: BatchLog = { epoch, batch, batches, loss, accuracy: 0.9, samplesPerSecond: 50_000 };
    for (const listener of this.listeners.progress) listener({ runId, batch: log, firstEpoch: first, lastEpoch: last, etaSeconds: 3 });
  }

  epoch(runId: string, epoch: number, complete = true, extra: Partial<EpochLog> = {}): void {
    const log: EpochLog = { epoch, loss: 1 / (epoch + 2), accuracy: 0.9, seconds: 0.5, samplesPerSecond: 100_000, samples: 2000, complete, ...extra };
    if (this.status.run?.id === runId) {
      this.status.run.history.push(log);
      if (complete) this.status.run.epochsDone = epoch + 1;
    }
    for (const listener of this.listeners.epoch) listener({ runId, log });
  }

  finish(runId: string, stopped: boolean): void {
    this.setStatus({ ...this.status, phase: 'idle' });
    const epochsDone = this.status.run?.epochsDone ?? 0;
    for (const listener of this.listeners.finished) {
      listener({ runId, stopped, testAccuracy: 0.9751, testLoss: 0.0812, epochsDone, modelName: 'MLP 50 · sgd' });
    }
  }

  error(runId: string | null): void {
    for (const listener of this.listeners.error) {
      listener({ runId, kind: 'diverged', message: 'The loss became NaN', advice: 'Lower the learning rate.' });
    }
  }

  specOf(call: number): ModelSpec {
    return (this.calls.filter((c) => c.verb === 'startTraining')[call].args[0] as { spec: ModelSpec }).spec;
  }

  #record<T>(verb: string, args: unknown[], result: T): T {
    this.calls.push({ verb, args });
    return result;
  }

  #subscribe<T>(set: Set<Listener<T>>, listener: Listener<T>): () => void {
    set.add(listener);
    return () => set.delete(listener);
  }
}

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
  it('starts from the sklearn-exercise preset and picking a preset sets every setting', () => {
    state = new TrainingState();
    expect(state.presetId).toBe('sklearn-exercise');
    expect(state.spec).toEqual(PRESETS.find((p) => p.id === 'sklearn-exercise')!.spec);
    expect(state.modified).toBe(false);
    for (const preset of PRESETS) {
      state.selectPreset(preset.id);
      expect(state.presetId).toBe(preset.id);
      expect(state.spec).toEqual(preset.spec);
      expect(state.datasetId).toBe(preset.dataset);
      expect(state.modified).toBe(false);
    }
    state.spec.hiddenLayers[0].units = 7;
    expect(state.modified).toBe(true);
    // The preset itself is a template, never edited through the state.
    expect(PRESETS.find((p) => p.id === 'robust-drawing')!.spec.hiddenLayers[0].units).toBe(512);
  });

  it('summarises presets as Keras counts them, live as the spec changes', () => {
    state = new TrainingState();
    expect(state.summary.totalParams).toBe(39_760);
    state.selectPreset('keras-two-layers');
    expect(state.summary.totalParams).toBe(42_310);
    expect(state.summary.rows.map((r) => r.layer)).toEqual(['hidden_1', 'dropout_1', 'hidden_2', 'dropout_2', 'output']);
    state.selectPreset('sklearn-exercise');
    state.spec.hiddenLayers[0].units = 100;
    expect(state.summary.totalParams).toBe(784 * 100 + 100 + 100 * 10 + 10);
    state.addLayer();
    expect(state.summary.rows).toHaveLength(3);
    state.removeLayer(0);
    state.removeLayer(0);
    expect(state.summary.totalParams).toBe(7850);
  });

  it('keeps optimizer settings consistent and explains impossible ones', () => {
    state = new TrainingState();
    expect(state.problems).toEqual([]);
    state.setOptimizer('adam');
    expect(state.spec).toMatchObject({ momentum: 0, nesterov: false });
    expect(state.problems).toEqual([]);
    state.setOptimizer('sgd');
    state.setMomentum(0.9);
    state.spec.nesterov = true;
    state.setMomentum(0);
    expect(state.spec.nesterov).toBe(false);
    state.spec.epochs = 0;
    expect(state.problems).toEqual(['epochs must be a whole number from 1 to 1000 (got 0)']);
  });

  it('adds layers up to the limit', () => {
    state = new TrainingState();
    for (let i = 0; i < 20; i++) state.addLayer();
    expect(state.spec.hiddenLayers).toHaveLength(8);
    expect(state.problems).toEqual([]);
  });

  it('subscribes once, loads status and datasets, and unsubscribes on dispose', async () => {
    const fake = new FakeTrainingApi();
    const { state } = await connected(fake);
    expect(fake.listenerCount).toBe(5);
    state.connect(fake.api);
    expect(fake.listenerCount).toBe(5);
    await Promise.resolve();
    expect(state.datasets.map((d) => d.id)).toEqual(['mnist', 'fashion-mnist']);
    expect(state.canTrain).toBe(true);
    state.selectPreset('keras-intro');
    expect(state.datasetProblem).toMatch(/Fashion-MNIST is not downloaded/);
    expect(state.canTrain).toBe(false);
    state.dispose();
    expect(fake.listenerCount).toBe(0);
  });

  it('trains: sends a plain spec, follows progress, epochs and the result', async () => {
    const { state, fake } = await connected();
    expect([state.canStop, state.canContinue, state.canReset]).toEqual([false, false, false]);
    await state.train();
    expect(fake.specOf(0)).toEqual(state.spec);
    expect(() => structuredClone(fake.specOf(0))).not.toThrow();
    expect(state.phase).toBe('training');
    expect([state.canTrain, state.canStop, state.canContinue, state.canReset]).toEqual([false, true, false, false]);

    fake.progress('run-1', 0, 1, 4, 2.0, [0, 10]);
    expect(state.percent).toBe(5);
    fake.progress('run-1', 0, 3, 4, 1.0, [0, 10]);
    expect(state.percent).toBe(10);
    // Smoothed: the first report as is, then an exponential moving average at fractional epochs.
    expect(state.batchLoss[0]).toEqual({ x: 0.5, y: 2 });
    expect(state.batchLoss[1].x).toBe(1);
    expect(state.batchLoss[1].y).toBeLessThan(2);
    expect(state.batchLoss[1].y).toBeGreaterThan(1);
    fake.epoch('run-1', 0, true, { valLoss: 0.4, valAccuracy: 0.88 });
    expect(state.chartEpochs).toHaveLength(1);
    expect(state.epochs[0].of).toBe(10);

    fake.finish('run-1', false);
    expect(state.phase).toBe('idle');
    expect(state.percent).toBe(100);
    expect(state.result).toMatchObject({ testAccuracy: 0.9751, modelName: 'MLP 50 · sgd' });
    await state.save('my model');
    expect(state.saved).toEqual({ name: 'my model', dir: '/models/my model' });
  });

  it('ignores events of another run', async () => {
    const { state, fake } = await connected();
    await state.train();
    fake.progress('old-run', 5, 1, 4, 9, [5, 6]);
    fake.epoch('old-run', 5);
    fake.finish('old-run', false);
    fake.error('old-run');
    expect(state.batchLoss).toEqual([]);
    expect(state.epochs).toEqual([]);
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
    state.spec.epochs = 5;
    await state.train();
    runEpochs(fake, 'run-1', 0, 2, [0, 5]);
    fake.progress('run-1', 2, 1, 4, 0.2, [0, 5]);
    await state.stop();
    expect(state.phase).toBe('stopping');
    expect(state.canStop).toBe(false);
    fake.epoch('run-1', 2, false);
    fake.finish('run-1', true);
    expect(state.phase).toBe('idle');
    expect(state.chartEpochs.map((l) => l.epoch)).toEqual([0, 1]);
    expect(state.epochs).toHaveLength(3);
    expect(state.batchLoss).toHaveLength(5);
    expect(state.percent).toBe(50);
    expect(state.result?.stopped).toBe(true);
    expect([state.canTrain, state.canContinue, state.canReset]).toEqual([true, true, true]);

    state.spec.epochs = 2;
    await state.continue();
    expect(fake.calls.at(-1)).toEqual({ verb: 'continueTraining', args: [{ epochs: 2 }] });
    expect(state.result).toBeNull();
    expect(state.callEnd).toBe(4);
    // The cut-short epoch 3 is trained again: its points are replaced, not drawn twice.
    runEpochs(fake, 'run-1', 2, 4, [2, 4]);
    fake.finish('run-1', false);
    expect(state.chartEpochs.map((l) => l.epoch)).toEqual([0, 1, 2, 3]);
    expect(state.epochs.map((e) => `${e.log.epoch + 1}/${e.of}${e.log.complete ? '' : ' stopped'}`)).toEqual([
      '1/5',
      '2/5',
      '3/5 stopped',
      '3/4',
      '4/4',
    ]);
    const xs = state.batchLoss.map((p) => p.x);
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
    expect(state.epochs).toEqual([]);
    expect(state.batchLoss).toEqual([]);
    expect(state.result).toBeNull();
    expect(state.percent).toBe(0);
    expect([state.canContinue, state.canReset]).toEqual([false, false]);

    fake.nextRunId = 'run-2';
    await state.train();
    runEpochs(fake, 'run-2', 0, 1, [0, 10]);
    expect(state.chartEpochs).toHaveLength(1);
    fake.progress('run-1', 3, 1, 4, 0.1, [0, 10]);
    expect(state.batchLoss).toHaveLength(2);
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
    expect(state.spec).toEqual(spec);
    expect(state.chartEpochs).toHaveLength(1);
    expect(state.callEnd).toBe(spec.epochs);
    fake.progress('run-9', 1, 0, 4, 0.3, [0, 10]);
    expect(state.batchLoss).toHaveLength(1);
  });
});

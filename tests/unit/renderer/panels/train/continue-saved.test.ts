import { flushSync } from 'svelte';
import { afterEach, describe, expect, it } from 'vitest';
import { MODEL_FORMAT, type ModelMetadata } from '$shared/model-metadata';
import { DEFAULT_SPEC } from '$shared/model-spec';
import { continuePlan } from '$renderer/panels/train/continue-plan';
import { TrainingState } from '$renderer/panels/train/training.svelte';
import { FakeTrainingApi } from '../../helpers/training-api';

/** Like the bundled default: 784-512-256-10, Adam with a cosine schedule, 30 epochs. */
const saved: ModelMetadata = {
  format: MODEL_FORMAT,
  version: 1,
  name: 'Default',
  datasetId: 'mnist',
  classNames: '0123456789'.split(''),
  imageShape: [28, 28],
  normalization: 'divide255',
  spec: {
    ...DEFAULT_SPEC,
    hiddenLayers: [{ units: 512, activation: 'relu', dropout: 0.2 }, { units: 256, activation: 'relu', dropout: 0.2 }],
    optimizer: 'adam',
    learningRate: 0.002,
    lrSchedule: 'cosine',
    batchSize: 256,
    epochs: 30,
  },
  metrics: { testAccuracy: 0.99 },
  history: [],
  epochsTrained: 30,
  trainSeconds: 600,
  backend: 'tensorflow',
  created: '2026-01-01T00:00:00.000Z',
};
const small: ModelMetadata = {
  ...saved,
  name: 'Small',
  epochsTrained: 2,
  history: [0, 1].map((epoch) => ({ epoch, loss: 0.5, accuracy: 0.9, seconds: 1, samplesPerSecond: 1000, samples: 1000, complete: true })),
  spec: { ...saved.spec, hiddenLayers: [{ units: 32, activation: 'relu', dropout: 0 }], epochs: 2, optimizer: 'sgd', momentum: 0.9, nesterov: true, lrSchedule: 'constant', learningRate: 0.05 },
};

let state: TrainingState | undefined;
afterEach(() => {
  state?.dispose();
  state = undefined;
});

describe('continuePlan', () => {
  it('says a fresh Adam optimizer starts without the saved state, and what the run trains', () => {
    const plan = continuePlan(saved);
    expect(plan.optimizer).toBe(
      'Continues with a fresh Adam optimizer: the saved model has no optimizer state, so its moment estimates start over.',
    );
    expect(plan.settings).toBe('784-512-256-10 · Adam, learning rate 0.002 (cosine, restarting from the full rate) · batch 256');
    expect(plan).toMatchObject({ name: saved.name, datasetId: 'mnist', epochsTrained: 30 });
  });

  it('names momentum for SGD with momentum, and says plain SGD loses nothing', () => {
    expect(continuePlan(small).optimizer).toMatch(/^Continues with a fresh SGD with Nesterov momentum 0.9 optimizer: .* momentum terms start over/);
    expect(continuePlan(small).settings).toBe('784-32-10 · SGD with Nesterov momentum 0.9, learning rate 0.05 · batch 256');
    const plain = { ...small, spec: { ...small.spec, momentum: 0 } };
    expect(continuePlan(plain).optimizer).toBe('Continues with plain SGD, which keeps no optimizer state: nothing is lost by starting it afresh.');
  });
});

describe('TrainingState.continueSaved', () => {
  it('asks main to continue the library model, shows its spec, and numbers the curves on from its history', async () => {
    const fake = new FakeTrainingApi();
    fake.nextRunId = 'run-9';
    fake.savedModels.small = { spec: small.spec, datasetId: 'mnist', epochsDone: 2, history: small.history };
    state = new TrainingState();
    state.connect(fake.api);
    await Promise.resolve();
    await Promise.resolve();
    flushSync();

    expect(await state.continueSaved('small', small, 3)).toBe(true);
    expect(fake.calls.at(-1)).toEqual({ verb: 'continueModel', args: [{ id: 'small', epochs: 3 }] });
    expect(state.editor.spec).toMatchObject({ hiddenLayers: small.spec.hiddenLayers, optimizer: 'sgd', epochs: 3 });
    expect(state.curves.callEnd).toBe(5);
    expect(state.curves.epochs.map((e) => e.log.epoch)).toEqual([0, 1]);
    fake.progress('run-9', 2, 1, 4, 0.3, [2, 5]);
    fake.epoch('run-9', 2);
    // The saved epochs keep the count of the run that trained them; the new ones count to this call's end.
    expect(state.curves.epochs.map((e) => `${e.log.epoch + 1}/${e.of}`)).toEqual(['1/2', '2/2', '3/5']);
    fake.finish('run-9', false);
    expect(state.result).toMatchObject({ runId: 'run-9', epochsDone: 3 });
  });

  it('shows a refused continue as an error and says it did not start', async () => {
    const fake = new FakeTrainingApi();
    state = new TrainingState();
    state.connect(fake.api);
    await Promise.resolve();
    flushSync();
    expect(await state.continueSaved('gone', small, 1)).toBe(false);
    expect(state.error?.message).toBe('Could not continue Small: "gone" is not a model of the library');
    expect(state.phase).toBe('idle');
  });
});

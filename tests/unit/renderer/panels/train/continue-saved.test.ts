import { readFileSync } from 'node:fs';
import path from 'node:path';
import { flushSync } from 'svelte';
import { afterEach, describe, expect, it } from 'vitest';
import type { ModelMetadata } from '../../../../../src/shared/model-metadata';
import { continuePlan } from '../../../../../src/renderer/src/panels/train/continue-plan';
import { TrainingState } from '../../../../../src/renderer/src/panels/train/training.svelte';
import { FakeTrainingApi } from '../../helpers/training-api';

const saved: ModelMetadata = JSON.parse(readFileSync(path.join(__dirname, '../../../../../resources/models/default/metadata.json'), 'utf8'));
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
    expect(state.callEnd).toBe(5);
    expect(state.epochs.map((e) => e.log.epoch)).toEqual([0, 1]);
    fake.progress('run-9', 2, 1, 4, 0.3, [2, 5]);
    fake.epoch('run-9', 2);
    // The saved epochs keep the count of the run that trained them; the new ones count to this call's end.
    expect(state.epochs.map((e) => `${e.log.epoch + 1}/${e.of}`)).toEqual(['1/2', '2/2', '3/5']);
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

import { flushSync } from 'svelte';
import { afterEach, describe, expect, it } from 'vitest';
import { TrainingState } from '$renderer/panels/train/training.svelte';
import { estimateRun, estimateWords, secondsLeft } from '$renderer/panels/train/run-speed';
import { DEFAULT_SPEC } from '$shared/model-spec';
import type { MeasuredSpeed } from '$shared/training-speed';
import { FakeTrainingApi } from '../../helpers/training-api';

let state: TrainingState | undefined;
afterEach(() => state?.dispose());

const SIZE = { train: 10_000, test: 2_000, pixels: 784, classes: 10 };
const fromRun: MeasuredSpeed = { samplesPerSecond: 4000, backend: 'wasm', source: 'run', measuredAt: '2026-12-01T10:00:00.000Z' };

async function settle(): Promise<void> {
  for (let i = 0; i < 4; i++) await Promise.resolve();
  flushSync();
}

async function connected(measured: MeasuredSpeed | null): Promise<{ state: TrainingState; fake: FakeTrainingApi }> {
  const fake = new FakeTrainingApi();
  fake.measuredSpeed = measured;
  state = new TrainingState();
  state.connect(fake.api);
  await settle();
  state.editor.spec.trainSubset = 10_000;
  state.editor.spec.validation = 'test';
  state.editor.spec.epochs = 2;
  return { state, fake };
}

const lookUps = (fake: FakeTrainingApi) => fake.calls.filter((c) => c.verb === 'getMeasuredSpeed');

describe('estimateRun with what main keeps of this machine', () => {
  const spec = { ...DEFAULT_SPEC, trainSubset: 10_000, validation: 'test' as const, epochs: 2 };

  it('uses the stored speed when this session has measured nothing, and says "about" then', () => {
    const estimate = estimateRun(spec, SIZE, new Map(), null, fromRun)!;
    // 2 epochs of 10,000 images at 4000/s, then 2 validations and the test of 2,000 at three times that.
    expect(estimate).toEqual({ seconds: expect.closeTo(20_000 / 4000 + 6000 / 12_000, 9), measured: true, basis: 'run' });
    expect(estimateWords(estimate, () => 'about 6 seconds')).toBe('about 6 seconds');
  });

  it("prefers this session's epochs on the stored speed's backend, and guesses without either", () => {
    const session = new Map([[`${'100relu'} sgd b${spec.batchSize}|wasm`, 8000]]);
    const sessionSpec = { ...spec, hiddenLayers: [{ units: 100, activation: 'relu' as const, dropout: 0 }], optimizer: 'sgd' as const, momentum: 0 };
    expect(estimateRun(sessionSpec, SIZE, session, null, fromRun)?.basis).toBe('session');
    expect(estimateRun(sessionSpec, SIZE, session, null, fromRun)?.seconds).toBeCloseTo(20_000 / 8000 + 6000 / 24_000, 9);
    const guess = estimateRun(spec, SIZE, new Map(), null, null)!;
    expect(guess).toMatchObject({ measured: false, basis: 'guess' });
    expect(estimateWords(guess, () => 'about 6 seconds')).toBe('perhaps 6 seconds');
  });
});

describe('secondsLeft (the estimate, corrected as the run goes)', () => {
  const spec = { ...DEFAULT_SPEC, trainSubset: 10_000, validation: 0.1, epochs: 2, batchSize: 100 };
  const at = (epoch: number, batch: number, samplesPerSecond: number) => ({
    lastEpoch: 2,
    batch: { epoch, batch, batches: 90, loss: 1, accuracy: 0.5, samplesPerSecond },
  });

  it('counts the batches still to go at the live speed, and the validations and test still to come', () => {
    // After batch 1 of 90 in epoch 1 of 2: 89 + 90 batches of 100, then 2 validations of 1,000 and the test of 2,000.
    expect(secondsLeft(at(0, 0, 1000), spec, SIZE)).toBeCloseTo(17_900 / 1000 + 4000 / 3000, 9);
    // A slower report says more time: the estimate follows the run.
    expect(secondsLeft(at(0, 0, 500), spec, SIZE)).toBeCloseTo(2 * (17_900 / 1000 + 4000 / 3000), 9);
    // The last batch: only the last validation and the test are left.
    expect(secondsLeft(at(1, 89, 1000), spec, SIZE)).toBeCloseTo(3000 / 3000, 9);
    expect(secondsLeft(at(0, 0, 0), spec, SIZE)).toBeNull();
  });
});

describe('TrainingTime and training:measured-speed', () => {
  it('asks main once per kind of model, and estimates from its answer', async () => {
    const { state, fake } = await connected(fromRun);
    expect(state.time.estimate).toMatchObject({ measured: false, basis: 'guess' });
    state.time.lookUp();
    state.time.lookUp();
    await settle();
    expect(lookUps(fake)).toHaveLength(1);
    expect(lookUps(fake)[0].args[0]).toMatchObject({ datasetId: state.editor.datasetId, spec: { batchSize: state.editor.spec.batchSize } });
    expect(state.time.estimate).toMatchObject({ measured: true, basis: 'run' });
    // The learning rate changes no speed: no new question. The batch size does.
    state.editor.spec.learningRate = state.editor.spec.learningRate / 2;
    state.time.lookUp();
    expect(lookUps(fake)).toHaveLength(1);
    state.editor.spec.batchSize = state.editor.spec.batchSize === 32 ? 64 : 32;
    fake.measuredSpeed = null;
    state.time.lookUp();
    await settle();
    expect(lookUps(fake)).toHaveLength(2);
    expect(state.time.estimate).toMatchObject({ measured: false, basis: 'guess' });
  });

  it('asks again after a run, whose epochs main now keeps', async () => {
    const { state, fake } = await connected(null);
    state.time.lookUp();
    await settle();
    expect(state.time.stored).toBeNull();
    await state.train();
    fake.finish('run-1', false);
    fake.measuredSpeed = { ...fromRun, samplesPerSecond: 5000 };
    state.time.lookUp();
    await settle();
    expect(lookUps(fake)).toHaveLength(2);
    expect(state.time.stored?.samplesPerSecond).toBe(5000);
  });

  it('asks nothing about settings main would refuse, and takes a failed answer as no measurement', async () => {
    const { state, fake } = await connected(fromRun);
    state.editor.spec.epochs = 0;
    flushSync();
    state.time.lookUp();
    expect(lookUps(fake)).toHaveLength(0);
    state.editor.spec.epochs = 2;
    fake.api.getMeasuredSpeed = async () => {
      throw new Error('no');
    };
    state.time.lookUp();
    await settle();
    expect(state.time.stored).toBeNull();
    expect(state.time.estimate?.measured).toBe(false);
  });
});

import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { EventPayload } from '$shared/ipc/contract';
import type { TrainingWeights } from '$shared/weights';
import type { SampleImages } from '$shared/datasets/dataset-summary';
import { normalizeInput } from '$shared/preprocess/mnist-preprocess';
import { Classifier, ensureCpuBackend } from '$renderer/app/classifier.svelte';
import { forward, incomingWeights } from '$renderer/lib/network';
import { MEAN_OF } from '$renderer/panels/weights/mean-image';
import { WeightsState, type WeightsApi } from '$renderer/panels/weights/weights.svelte';
import { makePayload } from '../../helpers/model-payload';
import { DEFAULT_SPEC } from '$shared/model-spec';
import { randomLayer } from './fixtures';
import { INPUT_PIXELS, INPUT_SIDE } from '$renderer/lib/input-size';

const SIZE = 280;

/** Canvas pixels as DrawCanvas hands them over: a vertical bar of white ink on a transparent canvas. */
function canvasWithBar(): Uint8ClampedArray {
  const rgba = new Uint8ClampedArray(SIZE * SIZE * 4);
  for (let y = 60; y < 220; y++) for (let x = 130; x < 150; x++) rgba.set([255, 255, 255, 255], (y * SIZE + x) * 4);
  return rgba;
}

/** The panel's part of window.api with no training going on, plus `getSamples`. */
function fakeApi(getSamples: WeightsApi['getSamples'] = async () => Promise.reject(new Error('no samples here'))): WeightsApi & {
  emitWeights(payload: TrainingWeights): void;
  emitError(payload: EventPayload<'training:error'>): void;
  emitFinished(runId: string): void;
  emitStatus(phase: 'idle' | 'training', runId: string): void;
  listeners(): number;
} {
  const weights = new Set<(p: TrainingWeights) => void>();
  const errors = new Set<(p: EventPayload<'training:error'>) => void>();
  const finished = new Set<(p: EventPayload<'training:finished'>) => void>();
  const statuses = new Set<(p: EventPayload<'training:status'>) => void>();
  return {
    getSamples,
    onTrainingWeights: (listener) => (weights.add(listener), () => weights.delete(listener)),
    onTrainingError: (listener) => (errors.add(listener), () => errors.delete(listener)),
    onTrainingFinished: (listener) => (finished.add(listener), () => finished.delete(listener)),
    onTrainingStatus: (listener) => (statuses.add(listener), () => statuses.delete(listener)),
    emitStatus: (phase, runId) =>
      statuses.forEach((l) => l({ phase, backend: 'cpu', run: { id: runId, spec: DEFAULT_SPEC, datasetId: 'mnist', epochsDone: 0, history: [] } })),
    emitWeights: (payload) => weights.forEach((l) => l(payload)),
    emitError: (payload) => errors.forEach((l) => l(payload)),
    emitFinished: (runId) =>
      finished.forEach((l) => l({ runId, stopped: false, testAccuracy: 0.5, testLoss: 1, epochsDone: 1, modelName: 'MLP' })),
    listeners: () => weights.size + errors.size + finished.size + statuses.size,
  };
}

/** getSamples answering with `count` images whose pixel p is (n + p) % 256 for image n. */
function fakeSamples(count: number, rows: number = INPUT_SIDE): { api: WeightsApi; calls: number[][] } {
  const calls: number[][] = [];
  const getSamples = async (request: { indices: number[] }): Promise<SampleImages> => {
    calls.push(request.indices);
    const pixels = rows * INPUT_SIDE;
    const images = Uint8Array.from({ length: count * pixels }, (_, i) => (Math.floor(i / pixels) + (i % pixels)) % 256);
    return { datasetId: 'mnist', split: 'test', rows, cols: INPUT_SIDE, indices: request.indices.slice(0, count), images, labels: new Uint8Array(count) };
  };
  return { api: fakeApi(getSamples as WeightsApi['getSamples']), calls };
}

beforeAll(async () => {
  await ensureCpuBackend();
});

let classifier: Classifier;
afterEach(() => classifier?.dispose());

async function loaded(seed: number, hidden = 12): Promise<{ state: WeightsState; model: { dispose(): void; predict(x: tf.Tensor): unknown; layers: { getWeights(): tf.Tensor[] }[] } }> {
  const { payload, model } = await makePayload({ seed, hidden });
  classifier = new Classifier();
  await classifier.load(payload);
  return { state: new WeightsState({ classifier }), model };
}

describe('WeightsState', () => {
  it('shows the active model’s layers, with tiles that are the columns of its first kernel', async () => {
    const { state, model } = await loaded(1);
    const kernel = model.layers[0].getWeights()[0];
    expect(state.layers.map((l) => [l.inputs, l.units, l.activation])).toEqual([[INPUT_PIXELS, 12, 'relu'], [12, 10, 'softmax']]);
    expect(Array.from(state.layers[0].kernel)).toEqual(Array.from(kernel.dataSync()));
    const columns = tf.tidy(() => tf.transpose(kernel).arraySync() as number[][]);
    for (let u = 0; u < 12; u++) expect(Array.from(incomingWeights(state.layers[0], u))).toEqual(columns[u].map(Math.fround));
    expect(state.asTiles).toBe(true);
    expect(state.view.id).toBe('model-model-1');
    model.dispose();
  });

  it('computes what the model computes for the drawing: its softmax of the logits is the model’s prediction', async () => {
    const { state, model } = await loaded(2);
    expect(state.activations).toBeNull();
    state.recognition.update(canvasWithBar(), SIZE, SIZE);
    const input = normalizeInput(state.recognition.preprocessed!.input, 'divide255');
    const expected = tf.tidy(() => (model.predict(tf.tensor2d(input, [1, INPUT_PIXELS])) as tf.Tensor).dataSync());
    const logits = state.pass!.pre[1];
    const exp = Array.from(logits, (z) => Math.exp(z - Math.max(...logits)));
    const total = exp.reduce((a, b) => a + b, 0);
    exp.forEach((e, c) => expect(e / total).toBeCloseTo(expected[c], 5));
    expect(state.activations).toHaveLength(12);
    expect(state.topClass).toBe(Array.from(expected).indexOf(Math.max(...expected)));
    expect(state.saliency).toHaveLength(INPUT_PIXELS);
    expect(state.classGradients?.source).toBe('drawing');
    model.dispose();
  });

  it('sorts by activation for the drawing, largest first', async () => {
    const { state, model } = await loaded(3);
    model.dispose();
    state.recognition.update(canvasWithBar(), SIZE, SIZE);
    state.sortMode = 'activation';
    const a = state.activations!;
    const order = Array.from(state.order);
    for (let p = 1; p < order.length; p++) expect(a[order[p - 1]]).toBeGreaterThanOrEqual(a[order[p]]);
    state.sortMode = 'norm';
    expect(state.norms[state.order[0]]).toBe(Math.max(...state.norms));
  });

  it('replaces the weights on screen with a snapshot, labelled, until the active model changes', async () => {
    const { state, model } = await loaded(4);
    model.dispose();
    const before = state.view.id;
    const snapshot = [randomLayer(INPUT_PIXELS, 6, 'tanh', 1), randomLayer(6, 10, 'softmax', 2)];
    state.showWeights(snapshot, 'epoch 3, batch 120');
    expect(state.layers).toBe(snapshot);
    expect(state.view.label).toBe('epoch 3, batch 120');
    expect(state.view.id).not.toBe(before);
    const first = state.view.id;
    state.showWeights([randomLayer(INPUT_PIXELS, 6, 'tanh', 3), randomLayer(6, 10, 'softmax', 4)], 'epoch 3, batch 240');
    expect(state.view.id).not.toBe(first);
    // Activations come from the weights shown, not the model behind them.
    state.recognition.update(canvasWithBar(), SIZE, SIZE);
    expect(state.activations).toEqual(forward(state.layers, state.input!).post[0]);
    expect(() => state.showWeights([randomLayer(INPUT_PIXELS, 6, 'relu', 5), randomLayer(7, 10, 'softmax', 6)], 'bad')).toThrow(
      /snapshot "bad": layer 2: takes 7 inputs after 6 units/,
    );
    const next = await makePayload({ seed: 5, id: 'newer' });
    next.model.dispose();
    await classifier.load(next.payload);
    expect(state.view.id).toBe('model-newer');
    expect(state.layers[0].units).toBe(12);
  });

  it('picks units by position, keeps the cursor on the grid, and forgets the unit on a layer change', async () => {
    const { state, model } = await loaded(6);
    model.dispose();
    state.sortMode = 'norm';
    state.pickAt(3);
    expect(state.unit).toBe(state.order[3]);
    state.moveCursor(-10);
    expect(state.cursor).toBe(0);
    state.moveCursor(100);
    expect(state.cursor).toBe(11);
    state.pickAt(12);
    expect(state.unit).toBe(state.order[3]);
    state.selectLayer(1);
    expect([state.layerAt, state.unit, state.cursor, state.asTiles, state.isOutput]).toEqual([1, null, 0, false, true]);
    state.selectLayer(2);
    expect(state.layerAt).toBe(1);
    state.setZoom(99);
    expect(state.zoom).toBe(4);
  });

  it('explains the mean of the first 1000 test images while nothing is drawn, fetched once', async () => {
    const { state, model } = await loaded(7);
    model.dispose();
    const { api, calls } = fakeSamples(MEAN_OF);
    state.connect(api);
    expect(state.classGradients).toBeNull();
    await state.loadMean();
    await state.loadMean();
    expect(calls).toHaveLength(1);
    expect(calls[0]).toEqual(Array.from({ length: MEAN_OF }, (_, i) => i));
    // Pixel p averages (n + p) % 256 over n = 0..999.
    let sum = 0;
    for (let n = 0; n < MEAN_OF; n++) sum += (n + 5) % 256;
    expect(state.mean!.image[5]).toBeCloseTo(sum / MEAN_OF / 255, 6);
    expect(state.classGradients?.source).toBe('mean');
    expect(state.classGradients?.gradients).toHaveLength(10);
    state.recognition.update(canvasWithBar(), SIZE, SIZE);
    expect(state.classGradients?.source).toBe('drawing');
  });

  it('reports a sample reply of the wrong shape instead of averaging it', async () => {
    const { state, model } = await loaded(8);
    model.dispose();
    state.connect(fakeSamples(10, 20).api);
    await state.loadMean();
    expect(state.mean).toBeNull();
    expect(state.meanError).toMatch(/dataset:get-samples: images are 20×28/);
  });

  it('follows training: each training:weights event is shown with its moment, a failed run’s are taken off', async () => {
    const { state, model } = await loaded(9);
    model.dispose();
    const api = fakeApi();
    const disconnect = state.connect(api);
    const modelView = state.view.id;
    const whole = [randomLayer(INPUT_PIXELS, 5, 'relu', 11), randomLayer(5, 10, 'softmax', 12)];
    api.emitWeights({ runId: 'run-1', epoch: 2, batch: 119, batches: 300, layers: whole, allLayers: true });
    expect(state.view.label).toBe('epoch 3, batch 120');
    expect(state.layers).toBe(whole);
    expect([state.complete, state.snapshotError]).toEqual([true, null]);
    const firstSnapshot = state.view.id;
    expect(firstSnapshot).not.toBe(modelView);

    // A big model's snapshot: its first layer only, a hidden layer with no classes after it.
    const first = [randomLayer(INPUT_PIXELS, 7, 'relu', 13)];
    api.emitWeights({ runId: 'run-1', epoch: 3, batch: 0, batches: 300, layers: first, allLayers: false });
    expect(state.view.id).not.toBe(firstSnapshot);
    expect(state.layers).toBe(first);
    expect([state.complete, state.isOutput, state.problem]).toEqual([false, false, null]);
    state.recognition.update(canvasWithBar(), SIZE, SIZE);
    expect(state.activations).toEqual(forward(first, state.input!).post[0]);
    expect([state.topClass, state.saliency, state.classGradients]).toEqual([null, null, null]);

    // One that does not chain is refused, naming the layer; the last good one stays.
    const shown = state.view.id;
    api.emitWeights({ runId: 'run-1', epoch: 3, batch: 50, batches: 300, layers: [randomLayer(INPUT_PIXELS, 7, 'relu', 14), randomLayer(8, 10, 'softmax', 15)], allLayers: true });
    expect(state.snapshotError).toMatch(/snapshot "epoch 4, batch 51": layer 2: takes 8 inputs after 7 units/);
    expect(state.view.id).toBe(shown);

    // Another run's failure leaves it; this run's failure hands the screen back to the active model.
    api.emitError({ runId: 'run-0', kind: 'diverged', message: 'NaN', advice: '' });
    expect(state.view.id).toBe(shown);
    api.emitError({ runId: 'run-1', kind: 'diverged', message: 'NaN', advice: '' });
    expect(state.view.id).toBe(modelView);
    expect(state.layers[0].units).toBe(12);
    expect(state.complete).toBe(true);
    // The refused snapshot's reason stays until the model changes, as a snapshot would.
    expect(state.snapshotError).toMatch(/takes 8 inputs/);
    const next = await makePayload({ seed: 10, id: 'after-the-run' });
    next.model.dispose();
    await classifier.load(next.payload);
    expect(state.snapshotError).toBeNull();

    disconnect();
    expect(api.listeners()).toBe(0);
    api.emitWeights({ runId: 'run-2', epoch: 0, batch: 0, batches: 1, layers: whole, allLayers: true });
    expect(state.view.id).toBe('model-after-the-run');
  });

  it('drops a run’s snapshot when the run ends, so the model active during it shows its own weights when it comes back', async () => {
    const { state, model } = await loaded(21);
    model.dispose();
    const api = fakeApi();
    state.connect(api);
    const before = state.view.id;
    const beforeId = classifier.modelId!;
    api.emitWeights({ runId: 'run-7', epoch: 0, batch: 0, batches: 2, layers: [randomLayer(784, 5, 'relu', 22), randomLayer(5, 10, 'softmax', 23)], allLayers: true });
    expect(state.view.label).toBe('epoch 1, batch 1');
    // The run ends and its model becomes the active one…
    api.emitFinished('run-7');
    const trained = await makePayload({ seed: 24, id: 'run-7' });
    trained.model.dispose();
    await classifier.load(trained.payload);
    expect(state.view.id).toBe('model-run-7');
    // …then the model that was active before comes back: its own weights, not the run's first snapshot.
    const again = await makePayload({ seed: 21, id: beforeId });
    again.model.dispose();
    await classifier.load(again.payload);
    expect(state.view.id).toBe(before);
    expect(state.view.label).not.toMatch(/epoch/);
    // A snapshot that comes after its run went idle (a stop racing the last read) is not shown.
    api.emitStatus('training', 'run-8');
    api.emitWeights({ runId: 'run-8', epoch: 0, batch: 0, batches: 2, layers: [randomLayer(784, 5, 'relu', 25), randomLayer(5, 10, 'softmax', 26)], allLayers: true });
    expect(state.view.label).toBe('epoch 1, batch 1');
    api.emitStatus('idle', 'run-8');
    expect(state.view.id).toBe(before);
    api.emitWeights({ runId: 'run-8', epoch: 0, batch: 1, batches: 2, layers: [randomLayer(784, 5, 'relu', 27), randomLayer(5, 10, 'softmax', 28)], allLayers: true });
    expect(state.view.id).toBe(before);
  });
});

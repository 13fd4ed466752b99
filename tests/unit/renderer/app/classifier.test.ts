import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ModelPayload } from '$shared/models';
import type { ModelMetadata } from '$shared/model-metadata';
import { Classifier, ensureCpuBackend, type ModelSource } from '$renderer/app/classifier.svelte';
import { makePayload, randomInputs } from '../helpers/model-payload';
import { INPUT_PIXELS } from '$renderer/lib/input-size';

beforeAll(async () => {
  await ensureCpuBackend();
});

let classifier: Classifier | undefined;
afterEach(() => {
  classifier?.dispose();
  classifier = undefined;
});

describe('Classifier', () => {
  it('runs on the cpu backend', () => {
    expect(tf.getBackend()).toBe('cpu');
  });

  it('loads a payload and predicts what the model itself predicts', async () => {
    const { payload, model } = await makePayload({ seed: 1 });
    classifier = new Classifier();
    await classifier.load(payload);
    expect(classifier.status).toBe('ready');
    expect(classifier.ready).toBe(true);
    expect(classifier.modelId).toBe(payload.id);
    expect(classifier.classNames).toEqual(payload.metadata.classNames);
    expect(classifier.normalization).toBe('divide255');
    for (const input of randomInputs(5)) {
      const expected = tf.tidy(() => (model.predict(tf.tensor2d(input, [1, INPUT_PIXELS])) as tf.Tensor).dataSync());
      const actual = classifier.predict(input);
      expect(actual).toHaveLength(10);
      expect(Array.from(actual)).toEqual(Array.from(expected));
    }
    model.dispose();
  });

  it('keeps no tensors from a prediction', async () => {
    const { payload, model } = await makePayload({ seed: 2 });
    model.dispose();
    classifier = new Classifier();
    await classifier.load(payload);
    const before = tf.memory().numTensors;
    for (const input of randomInputs(3)) classifier.predict(input);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('disposes the previous model when it loads another, and everything on dispose', async () => {
    const a = await makePayload({ seed: 3, hidden: 8 });
    const b = await makePayload({ seed: 4, hidden: 16 });
    a.model.dispose();
    b.model.dispose();
    const baseline = tf.memory().numTensors;
    classifier = new Classifier();
    await classifier.load(a.payload);
    const withA = tf.memory().numTensors;
    expect(withA).toBeGreaterThan(baseline);
    await classifier.load(b.payload);
    // B has the same number of weight tensors as A, so the count stays put only if A was disposed.
    expect(tf.memory().numTensors).toBe(withA);
    expect(classifier.modelId).toBe(b.payload.id);
    classifier.dispose();
    expect(tf.memory().numTensors).toBe(baseline);
    expect(classifier.ready).toBe(false);
  });

  it('keeps only the newest of overlapping loads', async () => {
    const a = await makePayload({ seed: 5 });
    const b = await makePayload({ seed: 6 });
    const baseline = tf.memory().numTensors;
    classifier = new Classifier();
    await Promise.all([classifier.load(a.payload), classifier.load(b.payload)]);
    const input = randomInputs(1)[0];
    const expected = tf.tidy(() => (b.model.predict(tf.tensor2d(input, [1, INPUT_PIXELS])) as tf.Tensor).dataSync());
    expect(Array.from(classifier.predict(input))).toEqual(Array.from(expected));
    expect(classifier.modelId).toBe(b.payload.id);
    classifier.dispose();
    expect(tf.memory().numTensors).toBe(baseline);
    a.model.dispose();
    b.model.dispose();
  });

  it('says what is wrong with a model whose input layer does not take 784 values', async () => {
    const narrow = await makePayload({ seed: 9, inputs: 100 });
    narrow.model.dispose();
    classifier = new Classifier();
    await expect(classifier.load(narrow.payload)).rejects.toThrow('its input layer takes 100 values, but a 28×28 drawing gives 784');
  });

  it('refuses a model that does not take 28×28 images, keeping the current one', async () => {
    const good = await makePayload({ seed: 7 });
    const bad = await makePayload({ seed: 8 });
    good.model.dispose();
    bad.model.dispose();
    const badPayload: ModelPayload = { ...bad.payload, metadata: { ...bad.payload.metadata, imageShape: [32, 32] } };
    classifier = new Classifier();
    await classifier.load(good.payload);
    const withGood = tf.memory().numTensors;
    await expect(classifier.load(badPayload)).rejects.toThrow(/28×28/);
    expect(classifier.error).toMatch(/28×28/);
    expect(classifier.status).toBe('ready');
    expect(classifier.modelId).toBe(good.payload.id);
    expect(tf.memory().numTensors).toBe(withGood);
  });

  it('loads the active model on connect, reloads on model:changed and stops listening on disconnect', async () => {
    const first = await makePayload({ seed: 9, id: 'first' });
    const second = await makePayload({ seed: 10, id: 'second', classNames: FASHION });
    first.model.dispose();
    second.model.dispose();
    let active = first.payload;
    let listener: ((payload: { id: string; name: string }) => void) | null = null;
    const source: ModelSource = {
      getActiveModel: async () => active,
      onModelChanged: (l) => {
        listener = l;
        return () => {
          listener = null;
        };
      },
    };
    classifier = new Classifier();
    const disconnect = classifier.connect(source);
    await expect.poll(() => classifier?.modelId).toBe('first');
    active = second.payload;
    listener!({ id: 'second', name: second.payload.metadata.name });
    await expect.poll(() => classifier?.modelId).toBe('second');
    expect(classifier.classNames).toEqual(FASHION);
    disconnect();
    expect(listener).toBeNull();
  });

  it('reports a model that cannot be fetched as an error, not a rejection', async () => {
    classifier = new Classifier();
    await classifier.loadFrom({
      getActiveModel: () => Promise.reject(new Error('models/default/model.json is missing')),
      onModelChanged: () => () => {},
    });
    expect(classifier.status).toBe('error');
    expect(classifier.error).toBe('models/default/model.json is missing');
  });
});

const FASHION: ModelMetadata['classNames'] = [
  'T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot',
];

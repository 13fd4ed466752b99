import * as tf from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it } from 'vitest';
import { normalizeInput } from '$shared/preprocess/mnist-preprocess';
import { Classifier } from '$renderer/app/classifier.svelte';
import { Recognition } from '$renderer/app/recognition.svelte';
import { makePayload } from '../helpers/model-payload';
import { INPUT_PIXELS } from '$renderer/lib/input-size';

const SIZE = 280;

/** Canvas pixels as DrawCanvas hands them over: transparent background, white ink in alpha. */
function canvasWithBar(): Uint8ClampedArray {
  const rgba = new Uint8ClampedArray(SIZE * SIZE * 4);
  for (let y = 60; y < 220; y++) {
    for (let x = 130; x < 150; x++) rgba.set([255, 255, 255, 255], (y * SIZE + x) * 4);
  }
  return rgba;
}

let classifier: Classifier;
afterEach(() => classifier?.dispose());

function modelOutput(model: { predict(x: tf.Tensor): unknown }, input: Float32Array): number[] {
  return Array.from(tf.tidy(() => (model.predict(tf.tensor2d(input, [1, INPUT_PIXELS])) as tf.Tensor).dataSync()));
}

describe('Recognition', () => {
  it('has no input and no prediction for an empty canvas', async () => {
    const { payload, model } = await makePayload({ seed: 1 });
    model.dispose();
    classifier = new Classifier();
    await classifier.load(payload);
    const recognition = new Recognition(classifier);
    recognition.update(new Uint8ClampedArray(SIZE * SIZE * 4), SIZE, SIZE);
    expect(recognition.preprocessed).toBeNull();
    expect(recognition.prediction).toBeNull();
  });

  it('preprocesses the drawing to 28×28 and predicts it with the model', async () => {
    const { payload, model } = await makePayload({ seed: 2 });
    classifier = new Classifier();
    await classifier.load(payload);
    const recognition = new Recognition(classifier);
    recognition.update(canvasWithBar(), SIZE, SIZE);
    const input = recognition.preprocessed!.input;
    expect(input).toHaveLength(INPUT_PIXELS);
    expect(Math.max(...input)).toBeCloseTo(1, 5);
    const prediction = recognition.prediction!;
    const expected = modelOutput(model, input);
    expect(Array.from(prediction.probabilities)).toEqual(expected);
    expect(prediction.top).toBe(expected.indexOf(Math.max(...expected)));
    model.dispose();
  });

  it("scales the input the way the model's training data was scaled", async () => {
    const { payload, model } = await makePayload({ seed: 3, normalization: 'unit' });
    classifier = new Classifier();
    await classifier.load(payload);
    const recognition = new Recognition(classifier);
    recognition.update(canvasWithBar(), SIZE, SIZE);
    const unit = normalizeInput(recognition.preprocessed!.input, 'unit');
    expect(Array.from(recognition.prediction!.probabilities)).toEqual(modelOutput(model, unit));
    model.dispose();
  });

  it('re-derives the prediction for the same drawing when a new model loads', async () => {
    const first = await makePayload({ seed: 4 });
    const second = await makePayload({ seed: 5 });
    classifier = new Classifier();
    await classifier.load(first.payload);
    const recognition = new Recognition(classifier);
    recognition.update(canvasWithBar(), SIZE, SIZE);
    const input = recognition.preprocessed!.input;
    expect(Array.from(recognition.prediction!.probabilities)).toEqual(modelOutput(first.model, input));
    await classifier.load(second.payload);
    expect(Array.from(recognition.prediction!.probabilities)).toEqual(modelOutput(second.model, input));
    first.model.dispose();
    second.model.dispose();
  });

  it('has an input but no prediction while no model is loaded', () => {
    classifier = new Classifier();
    const recognition = new Recognition(classifier);
    recognition.update(canvasWithBar(), SIZE, SIZE);
    expect(recognition.preprocessed).not.toBeNull();
    expect(recognition.prediction).toBeNull();
  });
});

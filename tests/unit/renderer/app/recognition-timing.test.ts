import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Classifier } from '$renderer/app/classifier.svelte';
import { Recognition, TIMING, TIMING_CAP } from '$renderer/app/recognition.svelte';
import { makePayload } from '../helpers/model-payload';

/** A transparent canvas of `size`² pixels with a vertical white bar: a drawn 1. */
function canvasWithBar(size: number): Uint8ClampedArray {
  const rgba = new Uint8ClampedArray(size * size * 4);
  for (let y = Math.round(size * 0.2); y < Math.round(size * 0.8); y++) {
    for (let x = Math.round(size * 0.45); x < Math.round(size * 0.55); x++) rgba.set([255, 255, 255, 255], (y * size + x) * 4);
  }
  return rgba;
}

const entries = (name: string) => performance.getEntriesByName(name, 'measure');
const clearAll = () => Object.values(TIMING).forEach((name) => performance.clearMeasures(name));

let classifier: Classifier;
beforeEach(clearAll);
afterEach(() => {
  classifier?.dispose();
  clearAll();
});

describe('Recognition timing (User Timing measures)', () => {
  it('measures preprocessing from when the pixels were read, inference, and both together', async () => {
    const { payload, model } = await makePayload({ seed: 7 });
    model.dispose();
    classifier = new Classifier();
    await classifier.load(payload);
    const recognition = new Recognition(classifier);
    const readStart = performance.now();
    recognition.update(canvasWithBar(280), 280, 280, readStart);
    expect(recognition.prediction).not.toBeNull();

    const [preprocess] = entries(TIMING.preprocess);
    const [inference] = entries(TIMING.inference);
    const [recognize] = entries(TIMING.recognize);
    expect(entries(TIMING.preprocess)).toHaveLength(1);
    expect(entries(TIMING.inference)).toHaveLength(1);
    expect(entries(TIMING.recognize)).toHaveLength(1);
    expect(preprocess.startTime).toBe(readStart);
    expect(inference.startTime).toBeGreaterThanOrEqual(preprocess.startTime + preprocess.duration);
    expect(recognize.startTime).toBe(readStart);
    expect(recognize.startTime + recognize.duration).toBeCloseTo(inference.startTime + inference.duration, 6);
    expect(recognize.duration).toBeGreaterThanOrEqual(preprocess.duration + inference.duration);
  });

  it('times a model re-deriving the prediction as inference only, and an empty canvas as preprocessing only', async () => {
    const first = await makePayload({ seed: 8 });
    const second = await makePayload({ seed: 9 });
    first.model.dispose();
    second.model.dispose();
    classifier = new Classifier();
    await classifier.load(first.payload);
    const recognition = new Recognition(classifier);
    recognition.update(canvasWithBar(280), 280, 280);
    void recognition.prediction;
    await classifier.load(second.payload);
    void recognition.prediction;
    expect(entries(TIMING.inference)).toHaveLength(2);
    expect(entries(TIMING.recognize)).toHaveLength(1);

    recognition.update(new Uint8ClampedArray(280 * 280 * 4), 280, 280);
    expect(recognition.prediction).toBeNull();
    expect(entries(TIMING.preprocess)).toHaveLength(2);
    expect(entries(TIMING.inference)).toHaveLength(2);
    expect(entries(TIMING.recognize)).toHaveLength(1);
  });

  it(`keeps at most ${TIMING_CAP} measures per name`, () => {
    classifier = new Classifier();
    const recognition = new Recognition(classifier);
    const pixels = canvasWithBar(28);
    for (let i = 0; i < TIMING_CAP + 10; i++) {
      recognition.update(pixels, 28, 28);
      expect(entries(TIMING.preprocess).length).toBeLessThanOrEqual(TIMING_CAP);
    }
    expect(entries(TIMING.preprocess).length).toBeGreaterThan(0);
  });

  it('does not clear measures early when a reader drains them', () => {
    classifier = new Classifier();
    const recognition = new Recognition(classifier);
    const pixels = canvasWithBar(28);
    for (let i = 0; i < TIMING_CAP + 10; i++) {
      if (i % 100 === 0) performance.clearMeasures(TIMING.preprocess);
      recognition.update(pixels, 28, 28);
      expect(entries(TIMING.preprocess)).toHaveLength((i % 100) + 1);
    }
  });
});

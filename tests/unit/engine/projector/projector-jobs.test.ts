import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { selectBackend } from '$engine/ml/backend';
import { readModelFiles } from '$engine/ml/model-files';
import { modelFromFiles } from '$engine/ml/persist';
import { layerValues } from '$engine/projector/activations';
import { epochMaps } from '$engine/projector/epoch-maps';
import { ProjectorJobs, type ProjectorMessage } from '$engine/projector/projector-jobs';
import { catalogDescriptor } from '$shared/datasets/descriptor';
import type { LoadedDataset } from '$shared/datasets/image-set';
import { bundledMnist, RESOURCES_DIR } from '$tests/helpers/datasets';

await selectBackend();
const files = await readModelFiles(path.join(RESOURCES_DIR, 'models', 'default'));
const mnist = await bundledMnist();
/** A training split of 3,000 images keeps the search index quick to build here. */
const TRAIN = 3000;
const small: LoadedDataset = {
  ...mnist,
  train: { ...mnist.train, count: TRAIN, images: mnist.train.images.subarray(0, TRAIN * 784), labels: mnist.train.labels.subarray(0, TRAIN) },
};
const base = { dataset: catalogDescriptor('mnist', '/data/mnist'), model: { id: 'default', files } };

function harness() {
  const messages: ProjectorMessage[] = [];
  const jobs = new ProjectorJobs(async () => small, (m) => messages.push(m));
  const answer = (requestId: string) => {
    const done = messages.find((m) => m.requestId === requestId && m.type !== 'job-progress');
    if (done?.type !== 'job-done') throw new Error(`no answer: ${JSON.stringify(done)}`);
    return done.answer;
  };
  return { jobs, messages, answer };
}

describe('ProjectorJobs: maps', () => {
  it('separates the classes far better at the last hidden layer than in the pixels, freeing every tensor', async () => {
    const { jobs, answer } = harness();
    const before = tf.memory().numTensors;
    await jobs.run({ type: 'project', requestId: 'pixels', ...base, layer: 0, method: 'pca', sample: 1000 });
    await jobs.run({ type: 'project', requestId: 'hidden', ...base, layer: 2, method: 'pca', sample: 1000 });
    expect(tf.memory().numTensors).toBe(before);
    const pixels = answer('pixels');
    const hidden = answer('hidden');
    if (pixels.type !== 'project' || hidden.type !== 'project') throw new Error('not maps');
    expect(pixels.map).toMatchObject({ layer: 0, method: 'pca', count: 1000, dim: 784 });
    expect(hidden.map).toMatchObject({ layer: 2, method: 'pca', count: 1000, dim: 256 });
    expect(hidden.map.coords).toHaveLength(2000);
    expect(hidden.map.labels).toEqual(mnist.test.labels.subarray(0, 1000));
    expect(hidden.map.knnAccuracy).toBeGreaterThan(pixels.map.knnAccuracy + 0.15);
    const [first, second] = hidden.map.pca!.explainedVariance;
    expect(first).toBeGreaterThan(second);
    expect(first + second).toBeLessThan(1);
    // The default model gets about 99 % of these right.
    const right = hidden.map.predictions.filter((p, i) => p === hidden.map.labels[i]).length;
    expect(right).toBeGreaterThan(970);
  });

  it('makes a UMAP map with progress, and stops one that is cancelled', async () => {
    const { jobs, messages, answer } = harness();
    await jobs.run({ type: 'project', requestId: 'u1', ...base, layer: 'output', method: 'umap', sample: 300 });
    const umap = answer('u1');
    if (umap.type !== 'project') throw new Error('not a map');
    expect(umap.map.count).toBe(300);
    expect(umap.activations).toHaveLength(300 * 10);
    expect(umap.map.coords.every(Number.isFinite)).toBe(true);
    expect(umap.map.knnAccuracy).toBeGreaterThan(0.8);
    expect(messages.some((m) => m.requestId === 'u1' && m.type === 'job-progress')).toBe(true);

    const running = jobs.run({ type: 'project', requestId: 'u2', ...base, layer: 2, method: 'umap', sample: 1000 });
    jobs.cancel('u2');
    await running;
    expect(messages.find((m) => m.requestId === 'u2' && m.type === 'job-failed')).toMatchObject({ cancelled: true });
  });
});

describe('ProjectorJobs: nearest digits', () => {
  it('finds the same training images as a brute-force search of the last hidden layer, then reuses its index', async () => {
    const { jobs, answer } = harness();
    // Test image 2 is a 1.
    const pixels = Float32Array.from(mnist.test.images.subarray(2 * 784, 3 * 784), (v) => v / 255);
    expect(mnist.test.labels[2]).toBe(1);
    await jobs.run({ type: 'nearest', requestId: 'n1', ...base, pixels });
    await jobs.run({ type: 'nearest', requestId: 'n2', ...base, pixels });
    const first = answer('n1');
    const again = answer('n2');
    if (first.type !== 'nearest' || again.type !== 'nearest') throw new Error('not searches');
    expect(first).toMatchObject({ layer: 2, searched: TRAIN });
    expect(first.indexMs).toBeGreaterThan(0);
    expect(again.indexMs).toBe(0);
    expect(again.neighbours).toEqual(first.neighbours);

    const model = await modelFromFiles(files);
    const train = await layerValues(model, small.train, TRAIN, 'divide255', 2);
    const query = await layerValues(model, { ...mnist.test, images: mnist.test.images.subarray(2 * 784, 3 * 784), count: 1 }, 1, 'divide255', 2);
    model.dispose();
    const brute = Array.from({ length: TRAIN }, (_, i) => {
      let d2 = 0;
      for (let j = 0; j < 256; j++) d2 += (train.values[i * 256 + j] - query.values[j]) ** 2;
      return { index: i, distance: Math.sqrt(d2) };
    }).sort((a, b) => a.distance - b.distance);
    expect(first.neighbours.map((n) => n.index)).toEqual(brute.slice(0, 8).map((n) => n.index));
    for (const [i, n] of first.neighbours.entries()) {
      expect(n.distance).toBeCloseTo(brute[i].distance, 3);
      expect(n.label).toBe(small.train.labels[n.index]);
    }
    expect(first.neighbours.filter((n) => n.label === 1).length).toBeGreaterThanOrEqual(6);
  });

  it('refuses an image of the wrong size, naming both sizes', async () => {
    const { jobs, messages } = harness();
    await jobs.run({ type: 'nearest', requestId: 'bad', ...base, pixels: new Float32Array(100) });
    expect(messages.find((m) => m.requestId === 'bad')).toMatchObject({ type: 'job-failed', message: expect.stringMatching(/100 pixels.*784/) });
  });
});

describe('epochMaps', () => {
  it('maps the last hidden layer and the output, their axes turned the way the previous epoch pointed', async () => {
    const model = await modelFromFiles(files);
    const trained = { model, test: mnist.test, normalization: 'divide255' as const };
    const maps = epochMaps(trained, []);
    expect(maps.map((m) => [m.layer, m.count, m.dim])).toEqual([[2, 1000, 256], ['output', 1000, 10]]);
    // The same weights with the first axis flipped beforehand: the new maps must flip back to it.
    const flipped = maps.map((m) => ({ ...m, pca: { ...m.pca!, components: m.pca!.components.map((v, i) => (i < m.dim ? -v : v)) } }));
    const again = epochMaps(trained, flipped);
    model.dispose();
    for (const [i, map] of again.entries()) {
      expect(map.coords[0]).toBeCloseTo(-maps[i].coords[0], 4);
      expect(map.coords[1]).toBeCloseTo(maps[i].coords[1], 4);
      expect(map.knnAccuracy).toBeCloseTo(maps[i].knnAccuracy, 10);
    }
  });
});

import path from 'node:path';
import { catalogDescriptor } from '$shared/datasets/descriptor';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { EvaluationJobs, type JobMessage } from '$engine/evaluation/jobs';
import { selectBackend } from '$engine/ml/backend';
import { evaluate } from '$engine/ml/evaluate';
import { readModelFiles } from '$engine/ml/model-files';
import { modelFromFiles } from '$engine/ml/persist';
import type { LoadedDataset } from '$shared/datasets/image-set';
import { bundledMnist, RESOURCES_DIR } from '$tests/helpers/datasets';

await selectBackend();
const files = await readModelFiles(path.join(RESOURCES_DIR, 'models', 'default'));
const mnist = await bundledMnist();
const COUNT = 2000;
const small: LoadedDataset = {
  ...mnist,
  test: { ...mnist.test, count: COUNT, images: mnist.test.images.subarray(0, COUNT * 784), labels: mnist.test.labels.subarray(0, COUNT) },
};

function harness() {
  const messages: JobMessage[] = [];
  const dirs: string[] = [];
  const jobs = new EvaluationJobs(async (dataset) => {
    dirs.push(dataset.dir);
    return small;
  }, (m) => messages.push(m));
  return { jobs, messages, dirs };
}

const base = { dataset: catalogDescriptor('mnist', '/data/mnist') };

describe('EvaluationJobs', () => {
  it('evaluates a model from its files on the test split, with progress, freeing every tensor', async () => {
    const { jobs, messages, dirs } = harness();
    const before = tf.memory().numTensors;
    await jobs.run({ type: 'evaluate', requestId: 'r1', ...base, model: { id: 'default', files } });
    expect(tf.memory().numTensors).toBe(before);
    expect(dirs).toEqual(['/data/mnist']);
    const done = messages.find((m) => m.type === 'job-done');
    if (done?.type !== 'job-done' || done.answer.type !== 'evaluate') throw new Error(`no answer: ${JSON.stringify(messages)}`);
    const model = await modelFromFiles(files);
    const expected = evaluate(model, small.test, { normalization: files.metadata.normalization });
    model.dispose();
    expect(done.answer.accuracy).toBe(expected.accuracy);
    expect(done.answer.count).toBe(COUNT);
    expect(done.answer.probabilities).toEqual(expected.probabilities);
    const progress = messages.filter((m) => m.type === 'job-progress');
    expect(progress.at(-1)).toEqual({ type: 'job-progress', requestId: 'r1', done: COUNT, total: COUNT });
  });

  it('ends a job when cancelled, or when a newer one starts, saying it was cancelled', async () => {
    const { jobs, messages } = harness();
    const first = jobs.run({ type: 'robustness', requestId: 'old', ...base, models: [{ id: 'a', files }], variants: ['scale-0.8', 'scale-1.2'], images: null });
    const second = jobs.run({ type: 'evaluate', requestId: 'new', ...base, model: { id: 'a', files } });
    await Promise.all([first, second]);
    expect(messages.find((m) => m.type === 'job-failed')).toMatchObject({ requestId: 'old', cancelled: true });
    expect(messages.find((m) => m.type === 'job-done')).toMatchObject({ requestId: 'new' });

    const third = jobs.run({ type: 'evaluate', requestId: 'third', ...base, model: { id: 'a', files } });
    jobs.cancel('third');
    await third;
    expect(messages.at(-1)).toMatchObject({ type: 'job-failed', requestId: 'third', cancelled: true });
  });

  it('checks robustness of each model on the first N images, and refuses an unknown variant by name', async () => {
    const { jobs, messages } = harness();
    await jobs.run({ type: 'robustness', requestId: 'r', ...base, models: [{ id: 'm', files }], variants: ['shift-left-4'], images: 500 });
    const done = messages.find((m) => m.type === 'job-done');
    if (done?.type !== 'job-done' || done.answer.type !== 'robustness') throw new Error('no robustness answer');
    expect(done.answer.results).toHaveLength(1);
    expect(done.answer.results[0]).toMatchObject({ modelId: 'm', modelName: files.metadata.name, images: 500 });
    expect(done.answer.results[0].rows.map((r) => r.variant)).toEqual(['shift-left-4']);

    await jobs.run({ type: 'robustness', requestId: 'bad', ...base, models: [{ id: 'm', files }], variants: ['melt'], images: null });
    expect(messages.at(-1)).toMatchObject({ type: 'job-failed', requestId: 'bad', cancelled: false, message: 'unknown robustness variant "melt"' });
  });
});

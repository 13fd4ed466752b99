import path from 'node:path';
import { catalogDescriptor } from '$shared/datasets/descriptor';
import { afterAll, describe, expect, it } from 'vitest';
import { readModelFiles } from '$engine/ml/model-files';
import type { FromWorker } from '$engine/training/protocol';
import { spawnTrainingWorker } from '$engine/training/spawn-worker';
import { REPO_ROOT, RESOURCES_DIR } from '$tests/helpers/datasets';

const LOADER = path.join(REPO_ROOT, 'tests/helpers/ts-worker.mjs');
const ENTRY = path.join(REPO_ROOT, 'src/engine/training/worker.ts');
const MNIST_DIR = path.join(RESOURCES_DIR, 'datasets', 'mnist');

const worker = spawnTrainingWorker(LOADER, {}, [ENTRY]);
const messages: FromWorker[] = [];
const finished = new Promise<FromWorker>((resolve, reject) => {
  worker.on('message', (message) => {
    messages.push(message);
    if (message.type === 'job-done' || message.type === 'job-failed') resolve(message);
  });
  worker.on('error', reject);
  worker.on('exit', (code) => reject(new Error(`the worker exited with code ${code}`)));
});
afterAll(() => worker.terminate());

describe('an evaluation job in the real training worker', () => {
  it("scores the bundled default model on MNIST's test split as its metadata recorded", async () => {
    const files = await readModelFiles(path.join(RESOURCES_DIR, 'models', 'default'));
    const { testAccuracy, testLoss } = files.metadata.metrics;
    if (testAccuracy === undefined || testLoss === undefined) throw new Error('the default model records no test metrics');
    worker.postMessage({ type: 'evaluate', requestId: 'e2e', dataset: catalogDescriptor('mnist', MNIST_DIR), model: { id: 'default', files } });
    const answer = await finished;
    if (answer.type !== 'job-done' || answer.answer.type !== 'evaluate') throw new Error(`no evaluation: ${JSON.stringify(answer)}`);
    const { accuracy, loss, count, labels, probabilities } = answer.answer;
    expect(count).toBe(10_000);
    // Accuracy is a count of argmaxes out of 10,000: the figure train:default recorded, to the image.
    expect(accuracy).toBe(testAccuracy);
    expect(loss).toBeCloseTo(testLoss, 4);
    expect(labels).toHaveLength(10_000);
    expect(probabilities).toHaveLength(10_000 * 10);
    const progress = messages.filter((m) => m.type === 'job-progress');
    expect(progress.at(-1)).toEqual({ type: 'job-progress', requestId: 'e2e', done: 10_000, total: 10_000 });
    expect(messages[0].type).toBe('ready');
  });
});

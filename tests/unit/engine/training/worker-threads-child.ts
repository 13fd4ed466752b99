/**
 * A process that starts the real training worker (threads from the environment), trains a short run,
 * ends the worker and then simply returns: it prints {"ready":…,"finished":…} and must exit by itself,
 * so a pthread keeping the process alive shows as a timeout in worker-threads.test.ts.
 */
import { catalogDescriptor } from '$shared/datasets/descriptor';
import path from 'node:path';
import type { FromWorker } from '$engine/training/protocol';
import { spawnTrainingWorker } from '$engine/training/spawn-worker';
import { DEFAULT_SPEC, type ModelSpec } from '$shared/model-spec';
import { REPO_ROOT, RESOURCES_DIR } from '$tests/helpers/datasets';

const spec: ModelSpec = {
  ...DEFAULT_SPEC,
  hiddenLayers: [{ units: 64, activation: 'relu', dropout: 0 }],
  batchSize: 100,
  epochs: 1,
  trainSubset: 1000,
  validation: 0,
};
const worker = spawnTrainingWorker(path.join(REPO_ROOT, 'tests/helpers/ts-worker.mjs'), {}, [
  path.join(REPO_ROOT, 'src/engine/training/worker.ts'),
]);
const messages: FromWorker[] = [];
const finished = new Promise<void>((resolve, reject) => {
  worker.on('error', reject);
  worker.on('message', (message: FromWorker) => {
    messages.push(message);
    if (message.type === 'ready') {
      worker.postMessage({
        type: 'start',
        runId: 'threads',
        spec,
        dataset: catalogDescriptor('mnist', path.join(RESOURCES_DIR, 'datasets', 'mnist')),
        name: 'threads',
      });
    }
    if (message.type === 'finished' || message.type === 'failed') resolve();
  });
});
await finished;
await worker.terminate();
const ready = messages.find((m) => m.type === 'ready');
const end = messages.find((m) => m.type === 'finished' || m.type === 'failed');
console.log(JSON.stringify({ ready, end: end && { type: end.type, ...(end.type === 'finished' ? { testAccuracy: end.testAccuracy, stepper: end.stepper } : {}) } }));

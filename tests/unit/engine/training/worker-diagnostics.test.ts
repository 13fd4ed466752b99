import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogDescriptor } from '$shared/datasets/descriptor';
import { DEFAULT_SPEC, type ModelSpec } from '$shared/model-spec';
import type { FromWorker, WorkerHandle } from '$engine/training/protocol';
import { spawnTrainingWorker } from '$engine/training/spawn-worker';
import { REPO_ROOT, RESOURCES_DIR } from '$tests/helpers/datasets';

const LOADER = path.join(REPO_ROOT, 'tests/helpers/ts-worker.mjs');
const ENTRY = path.join(REPO_ROOT, 'src/engine/training/worker.ts');
const MNIST = catalogDescriptor('mnist', path.join(RESOURCES_DIR, 'datasets', 'mnist'));
/** Tiny runs: 500 images, one epoch, one small layer. */
/** A few runs: the 20-run leak test goes through the app's own diagnostics call (tests/unit/main/services). */
const RUNS = 3;
const spec: ModelSpec = { ...DEFAULT_SPEC, hiddenLayers: [{ units: 16, activation: 'relu', dropout: 0 }], batchSize: 100, epochs: 1, trainSubset: 500, validation: 0.1 };

let worker: WorkerHandle;
const inbox: FromWorker[] = [];
let waiters: (() => void)[] = [];
async function next<T extends FromWorker['type']>(type: T): Promise<Extract<FromWorker, { type: T }>> {
  for (;;) {
    const failed = inbox.find((m) => m.type === 'failed');
    if (failed) throw new Error(`the worker failed: ${JSON.stringify(failed).slice(0, 300)}`);
    const index = inbox.findIndex((m) => m.type === type);
    if (index >= 0) return inbox.splice(index, 1)[0] as Extract<FromWorker, { type: T }>;
    await new Promise<void>((resolve) => waiters.push(resolve));
  }
}

beforeAll(async () => {
  worker = spawnTrainingWorker(LOADER, {}, [ENTRY]);
  worker.on('message', (message) => {
    inbox.push(message);
    const wake = waiters;
    waiters = [];
    wake.forEach((w) => w());
  });
  await next('ready');
});
afterAll(() => worker.terminate());

describe('the training worker\'s diagnostics', () => {
  it('answers diagnostics with tf.memory() between runs, the count the same after each', { timeout: 300_000 }, async () => {
    const counts: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      worker.postMessage({ type: 'start', runId: `leak-${run}`, spec: { ...spec, seed: run + 1 }, dataset: MNIST, name: `run ${run}` });
      expect(await next('finished')).toMatchObject({ runId: `leak-${run}`, stopped: false, epochsDone: 1 });
      worker.postMessage({ type: 'diagnostics', requestId: `d${run}` });
      const answer = await next('diagnostics');
      expect(answer.requestId).toBe(`d${run}`);
      counts.push(answer.memory.numTensors);
      inbox.length = 0;
    }
    // The model of the last run is held (Continue needs it); each run's own tensors are freed.
    expect(counts[0]).toBeGreaterThan(0);
    expect(new Set(counts.slice(1))).toEqual(new Set([counts[1]]));
  });
});

import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogDescriptor } from '$shared/datasets/descriptor';
import { DEFAULT_SPEC, type ModelSpec } from '$shared/model-spec';
import type { FromWorker, WorkerHandle } from '$engine/training/protocol';
import { RESOURCES_DIR } from '$tests/helpers/datasets';
import { spawnTestWorker, type TestWorker } from '$tests/helpers/worker-inbox';

const MNIST = catalogDescriptor('mnist', path.join(RESOURCES_DIR, 'datasets', 'mnist'));
/** Tiny runs: 500 images, one epoch, one small layer. */
/** A few runs: the 20-run leak test goes through the app's own diagnostics call (tests/unit/main/services). */
const RUNS = 3;
const spec: ModelSpec = { ...DEFAULT_SPEC, hiddenLayers: [{ units: 16, activation: 'relu', dropout: 0 }], batchSize: 100, epochs: 1, trainSubset: 500, validation: 0.1 };

let worker: WorkerHandle;
let inbox: FromWorker[];
let next: TestWorker['next'];

beforeAll(async () => {
  ({ worker, inbox, next } = spawnTestWorker({ failFast: true }));
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

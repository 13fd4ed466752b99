import { createRequire } from 'node:module';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createHandlers } from '$main/handlers';
import { createDispatch } from '$main/ipc/dispatch';
import { createServices } from '$main/services/create-services';
import { NO_DIALOGS } from '$main/services/dialogs';
import { spawnTrainingWorker } from '$engine/training/spawn-worker';
import type { AppDiagnostics } from '$shared/diagnostics';
import { DEFAULT_SPEC, type ModelSpec } from '$shared/model-spec';
import { REPO_ROOT, RESOURCES_DIR } from '$tests/helpers/datasets';
import { tempDirs } from '$tests/helpers/temp-dirs';

const LOADER = path.join(REPO_ROOT, 'tests/helpers/ts-worker.mjs');
const ENTRY = path.join(REPO_ROOT, 'src/engine/training/worker.ts');
const RUNS = 20;
/** Tiny runs: 500 MNIST images, one epoch, one layer of 16. */
const spec: ModelSpec = { ...DEFAULT_SPEC, hiddenLayers: [{ units: 16, activation: 'relu', dropout: 0 }], batchSize: 100, epochs: 1, trainSubset: 500, validation: 0.1 };
const newDir = tempDirs('mlp-lab-leak-');
let dispose: (() => Promise<void>) | null = null;
afterAll(() => dispose?.());

describe('app:diagnostics', () => {
  it(`reports the training worker's tensor count, flat over ${RUNS} runs back to back`, { timeout: 900_000 }, async () => {
    let finished: (() => void) | null = null;
    const services = createServices({
      resourcesDir: RESOURCES_DIR,
      userDataDir: await newDir(),
      version: 'test',
      events: (event) => {
        if (event === 'training:finished' || event === 'training:error') finished?.();
      },
      resolveModule: createRequire(import.meta.url).resolve,
      spawnWorker: (config) => spawnTrainingWorker(LOADER, config, [ENTRY]),
      dialogs: NO_DIALOGS,
    });
    dispose = () => services.training.dispose();
    const dispatch = createDispatch(createHandlers(services));
    const diagnostics = () => dispatch('app:diagnostics', []) as Promise<AppDiagnostics>;
    // No worker yet: nothing to count, and none is started to answer.
    expect(await diagnostics()).toEqual({ trainingWorker: null });
    // The channel takes no arguments: anything else is refused before a handler runs.
    await expect(dispatch('app:diagnostics', [{ all: true }])).rejects.toThrow();

    const counts: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const done = new Promise<void>((resolve) => (finished = resolve));
      await services.training.start({ ...spec, seed: run + 1 }, 'mnist');
      await done;
      expect(services.training.status().phase).toBe('idle');
      const { trainingWorker } = await diagnostics();
      expect(trainingWorker).not.toBeNull();
      counts.push(trainingWorker!.numTensors);
    }
    // The last run's model stays in the worker (Continue trains it on); nothing of earlier runs does.
    expect(counts[0]).toBeGreaterThan(0);
    expect(counts).toEqual(new Array(RUNS).fill(counts[0]));
  });
});

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventChannel, EventPayload } from '$shared/ipc/contract';
import { DEFAULT_SPEC } from '$shared/model-spec';
import type { DenseLayerWeights } from '$shared/weights';
import { ModelService } from '$main/services/model-service';
import { TrainingService } from '$main/services/training-service';
import type { FromWorker } from '$engine/training/protocol';
import { FakeWorker } from '$tests/helpers/fake-worker';
import { RESOURCES_DIR, hereAt } from '$tests/helpers/datasets';

const layer = (inputs: number, units: number, activation: string, fill: number): DenseLayerWeights => ({
  inputs,
  units,
  kernel: new Float32Array(inputs * units).fill(fill),
  bias: new Float32Array(units).fill(-fill),
  activation,
});

let userDataDir: string;
let events: { event: EventChannel; payload: unknown }[];
let worker: FakeWorker;
let service: TrainingService;
const of = <E extends EventChannel>(event: E) => events.filter((e) => e.event === event).map((e) => e.payload as EventPayload<E>);

beforeEach(async () => {
  userDataDir = await mkdtemp(path.join(tmpdir(), 'mlp-lab-training-weights-'));
  events = [];
  const sink = <E extends EventChannel>(event: E, payload: EventPayload<E>) => events.push({ event, payload });
  service = new TrainingService({
    events: sink,
    models: new ModelService({ resourcesDir: RESOURCES_DIR, userDataDir, events: sink }),
    describeDataset: hereAt('/data'),
    spawnWorker: () => {
      worker = new FakeWorker();
      queueMicrotask(() => worker.reply({ type: 'ready', backend: { active: 'wasm', skipped: [], simd: true } }));
      return worker;
    },
    stopTimeoutMs: 50,
  });
});
afterEach(async () => {
  await service.dispose();
  await rm(userDataDir, { recursive: true, force: true });
});

describe('TrainingService weight snapshots', () => {
  it('relays the run’s snapshots to the window as training:weights, the arrays untouched', async () => {
    const { runId } = await service.start({ ...DEFAULT_SPEC, hiddenLayers: [{ units: 3, activation: 'relu', dropout: 0 }] }, 'mnist');
    const layers = [layer(784, 3, 'relu', 0.25), layer(3, 10, 'softmax', 0.5)];
    worker.reply({ type: 'weights', runId, epoch: 2, batch: 119, batches: 300, layers, allLayers: true });
    worker.reply({ type: 'weights', runId, epoch: 3, batch: 0, batches: 300, layers: layers.slice(0, 1), allLayers: false });
    const relayed = of('training:weights');
    expect(relayed).toEqual([
      { runId, epoch: 2, batch: 119, batches: 300, layers, allLayers: true },
      { runId, epoch: 3, batch: 0, batches: 300, layers: layers.slice(0, 1), allLayers: false },
    ]);
    // Relayed as they came: no copy of a possibly large kernel on main's side.
    expect(relayed[0].layers[0].kernel).toBe(layers[0].kernel);
  });

  it('drops snapshots of a run that is not the current one, and any extra field the worker adds', async () => {
    const { runId } = await service.start(DEFAULT_SPEC, 'mnist');
    const layers = [layer(784, 2, 'relu', 1)];
    worker.reply({ type: 'weights', runId: 'an-older-run', epoch: 0, batch: 0, batches: 1, layers, allLayers: false });
    expect(of('training:weights')).toEqual([]);
    worker.reply({ type: 'weights', runId, epoch: 0, batch: 5, batches: 9, layers, allLayers: false, extra: 'x' } as FromWorker);
    expect(of('training:weights')).toEqual([{ runId, epoch: 0, batch: 5, batches: 9, layers, allLayers: false }]);
  });
});

describe('TrainingService epoch maps', () => {
  it("relays the current run's maps of each epoch as training:epoch-maps, and drops another run's", async () => {
    const { runId } = await service.start(DEFAULT_SPEC, 'mnist');
    const maps = [
      {
        layer: 'output' as const,
        method: 'pca' as const,
        count: 1,
        dim: 10,
        coords: Float32Array.from([0.5, -0.5]),
        labels: Uint8Array.from([3]),
        predictions: Uint8Array.from([3]),
        pca: null,
        knnAccuracy: 0,
        seconds: 0.01,
      },
    ];
    worker.reply({ type: 'epoch-maps', runId: 'an-older-run', epoch: 0, maps });
    worker.reply({ type: 'epoch-maps', runId, epoch: 0, maps });
    expect(of('training:epoch-maps')).toEqual([{ runId, epoch: 0, maps }]);
  });
});

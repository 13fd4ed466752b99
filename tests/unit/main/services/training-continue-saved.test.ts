import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventChannel, EventPayload } from '$shared/ipc/contract';
import type { ModelMetadata } from '$shared/model-metadata';
import { ModelService } from '$main/services/model-service';
import { TrainingService } from '$main/services/training-service';
import { continuedName } from '$main/services/training/run-plan';
import { catalogDescriptor } from '$shared/datasets/descriptor';
import { FakeWorker } from '$tests/helpers/fake-worker';
import { RESOURCES_DIR } from '$tests/helpers/datasets';

let userDataDir: string;
let workers: FakeWorker[];
let models: ModelService;
let service: TrainingService;
let metadata: ModelMetadata;
const events: { event: EventChannel; payload: unknown }[] = [];
const sink = <E extends EventChannel>(event: E, payload: EventPayload<E>) => events.push({ event, payload });

beforeEach(async () => {
  userDataDir = await mkdtemp(path.join(tmpdir(), 'mlp-lab-continue-'));
  workers = [];
  events.length = 0;
  models = new ModelService({ resourcesDir: RESOURCES_DIR, userDataDir, events: sink });
  metadata = (await models.defaultModel()).metadata;
  service = new TrainingService({
    events: sink,
    models,
    describeDataset: async (id) => {
      if (id === 'mnist') return catalogDescriptor(id, `/data/${id}`);
      throw new Error(`${id} is not on this machine yet`);
    },
    spawnWorker: () => {
      const worker = new FakeWorker();
      workers.push(worker);
      queueMicrotask(() => worker.reply({ type: 'ready', backend: { active: 'cpu', skipped: [], simd: false, threads: 1 } }));
      return worker;
    },
  });
});
afterEach(() => rm(userDataDir, { recursive: true, force: true }));

describe('TrainingService.continueSaved', () => {
  it('sends the worker the saved model folder, and starts the run where the saved model stopped', async () => {
    const { runId } = await service.continueSaved({ modelDir: '/library/mine', metadata }, 3);
    expect(workers[0].sent[0]).toEqual({
      type: 'resume',
      runId,
      modelDir: '/library/mine',
      dataset: catalogDescriptor('mnist', '/data/mnist'),
      name: `${metadata.name} (continued)`,
      epochs: 3,
    });
    const run = service.status().run!;
    expect(service.status().phase).toBe('training');
    expect(run).toMatchObject({ id: runId, datasetId: 'mnist', epochsDone: metadata.epochsTrained });
    expect(run.history).toEqual(metadata.history);
    expect(run.spec.hiddenLayers).toEqual(metadata.spec.hiddenLayers);
  });

  it('uses the normalisation of the metadata over the spec of an imported model', async () => {
    await service.continueSaved({ modelDir: '/m', metadata: { ...metadata, normalization: 'unit' } }, 1);
    expect(service.status().run!.spec.normalization).toBe('unit');
  });

  it('refuses an absent dataset, one of another class count, unusable settings, and a second run, naming the model', async () => {
    await expect(service.continueSaved({ modelDir: '/m', metadata: { ...metadata, datasetId: 'fashion-mnist' } }, 1)).rejects.toThrow(
      'fashion-mnist is not on this machine yet',
    );
    const five = { ...metadata, classNames: ['a', 'b', 'c', 'd', 'e'] };
    await expect(service.continueSaved({ modelDir: '/m', metadata: five }, 1)).rejects.toThrow(
      `${metadata.name} has 5 classes, the MNIST dataset 10: it cannot be trained on it`,
    );
    // A refusal leaves the service as it was.
    expect(service.status()).toMatchObject({ phase: 'idle', run: null });
    const broken = { ...metadata, spec: { ...metadata.spec, batchSize: 0 } };
    await expect(service.continueSaved({ modelDir: '/m', metadata: broken }, 1)).rejects.toThrow(`${metadata.name} cannot be trained on`);
    const long = { ...metadata, history: Array.from({ length: 9_990 }, () => metadata.history[0]) };
    await expect(service.continueSaved({ modelDir: '/m', metadata: long }, 11)).rejects.toThrow(
      `${metadata.name} has 9990 epochs of history: 11 more would pass the 10000 a model keeps`,
    );
    expect(workers).toHaveLength(0);
    await service.continueSaved({ modelDir: '/m', metadata }, 1);
    await expect(service.continueSaved({ modelDir: '/m', metadata }, 1)).rejects.toThrow(/already running/);
  });
});

describe('TrainingService.continue', () => {
  it('refuses epochs that would take the run past the 10,000 epochs of history a model keeps, leaving it as it was', async () => {
    const long = { ...metadata, history: Array.from({ length: 9_990 }, () => metadata.history[0]) };
    const { runId } = await service.continueSaved({ modelDir: '/m', metadata: long }, 5);
    const files = { ...(await models.defaultModel()), metadata: long };
    workers[0].reply({ type: 'finished', runId, stopped: false, epochsDone: 5, testAccuracy: 0.9, testLoss: 0.3, files, stepper: { name: 'kernel', detail: 'simd128, 1 thread', fallback: null } });
    const sent = workers[0].sent.length;
    await expect(service.continue(11)).rejects.toThrow('The model has 9990 epochs of history: 11 more would pass the 10000 a model keeps');
    expect(workers[0].sent).toHaveLength(sent);
    expect(service.status().phase).toBe('idle');
    await service.continue(10);
    expect(workers[0].sent.at(-1)).toEqual({ type: 'continue', runId, epochs: 10 });
  });
});

describe('continuedName', () => {
  it('marks a continued model once, however often it is continued, within the 80 characters a name may have', () => {
    expect(continuedName('Mine')).toBe('Mine (continued)');
    expect(continuedName('Mine (continued)')).toBe('Mine (continued)');
    expect(continuedName('x'.repeat(80))).toBe(`${'x'.repeat(68)} (continued)`);
  });
});

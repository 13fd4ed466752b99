import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventChannel, EventPayload } from '$shared/ipc/contract';
import { DEFAULT_SPEC, type ModelSpec } from '$shared/model-spec';
import type { BackendChoice } from '$shared/backend-choice';
import type { TrainingStatus } from '$shared/training';
import { catalogDescriptor } from '$shared/datasets/descriptor';
import { ModelService } from '$main/services/model-service';
import { RunHistory } from '$main/services/run-history';
import { scriptedDialogs } from '$main/services/dialogs';
import { TrainingService } from '$main/services/training-service';
import { FakeWorker } from '$tests/helpers/fake-worker';
import { RESOURCES_DIR } from '$tests/helpers/datasets';

let userDataDir: string;
let workers: FakeWorker[];
let service: TrainingService;
let history: RunHistory;
const spec: ModelSpec = { ...DEFAULT_SPEC, epochs: 2, batchSize: 100 };
const measured: BackendChoice = {
  name: 'tensorflow',
  label: 'tfjs-node',
  how: 'measured',
  rates: [
    { name: 'tensorflow', label: 'tfjs-node', samplesPerSecond: 2400 },
    { name: 'wasm', label: 'wasm (SIMD, 2 threads)', samplesPerSecond: 1000 },
  ],
  skipped: [],
};

beforeEach(async () => {
  userDataDir = await mkdtemp(path.join(tmpdir(), 'mlp-lab-choice-'));
  workers = [];
  const models = new ModelService({ resourcesDir: RESOURCES_DIR, userDataDir, events: () => {} });
  history = new RunHistory({ userDataDir, version: '1.0.0', events: () => {}, dialogs: scriptedDialogs({}) });
  service = new TrainingService({
    events: <E extends EventChannel>(event: E, payload: EventPayload<E>) => history.observe(event, payload),
    models,
    describeDataset: async () => catalogDescriptor('mnist', '/data/mnist'),
    spawnWorker: () => {
      const worker = new FakeWorker();
      workers.push(worker);
      queueMicrotask(() =>
        worker.reply({
          type: 'ready',
          backend: { active: 'tensorflow', skipped: [], available: ['tensorflow', 'wasm'], wasm: { simd: true, threads: 2 } },
        }),
      );
      return worker;
    },
  });
});
afterEach(async () => {
  await history.flush();
  await rm(userDataDir, { recursive: true, force: true });
});

describe('TrainingService and the backend choice', () => {
  it('offers the backends the worker started, and sends a pin with the next starts until it is lifted', async () => {
    service.pinBackend('wasm');
    const first = await service.start(spec, 'mnist');
    expect(service.status()).toMatchObject({ availableBackends: ['tensorflow', 'wasm'], pinnedBackend: 'wasm' });
    expect(workers[0].sent[0]).toMatchObject({ type: 'start', runId: first.runId, backend: 'wasm' });
    workers[0].reply({ type: 'failed', runId: first.runId, kind: 'failed', message: 'x' });
    service.pinBackend(null);
    await service.start(spec, 'mnist');
    expect(workers[0].sent[1]).toMatchObject({ type: 'start' });
    expect(workers[0].sent[1]).not.toHaveProperty('backend');
  });

  it("shows the run's choice in the status, with wasm's threads when wasm is chosen, and records it in the run", async () => {
    const { runId } = await service.start(spec, 'mnist');
    workers[0].reply({ type: 'choice', runId, choice: measured });
    expect(service.status()).toMatchObject({ backend: 'tensorflow', backendChoice: measured, backendDetail: { active: 'tensorflow' } });
    const rates = measured.rates.map((r) => ({ ...r, samplesPerSecond: r.name === 'wasm' ? 2400 : 1000 }));
    workers[0].reply({ type: 'choice', runId, choice: { ...measured, name: 'wasm', label: 'wasm (SIMD, 2 threads)', rates } });
    expect(service.status().backendDetail).toEqual({ active: 'wasm', simd: true, threads: 2 });
    // The record is written at its next event (an epoch here).
    const log = { epoch: 0, loss: 1, accuracy: 0.5, seconds: 1, samplesPerSecond: 100, samples: 100, complete: true };
    workers[0].reply({ type: 'epoch', runId, log });
    await history.flush();
    const [record] = (await history.list()).runs;
    expect(record).toMatchObject({ backend: 'wasm', backendChoice: 'wasm (SIMD, 2 threads): 2.4× faster than tfjs-node for this model' });
  });

  it('forgets the last choice when a new model starts, until the worker says which', async () => {
    const { runId } = await service.start(spec, 'mnist');
    workers[0].reply({ type: 'choice', runId, choice: measured });
    workers[0].reply({ type: 'failed', runId, kind: 'failed', message: 'x' });
    const statuses: TrainingStatus[] = [];
    await service.start(spec, 'mnist');
    statuses.push(service.status());
    expect(statuses[0].backendChoice).toBeUndefined();
  });
});

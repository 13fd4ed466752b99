import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EventChannel, EventPayload } from '$shared/ipc/contract';
import { DEFAULT_SPEC, type ModelSpec } from '$shared/model-spec';
import { DEFAULT_FINETUNE } from '$shared/handwriting/finetune';
import { ModelService } from '$main/services/model-service';
import { catalogDescriptor } from '$shared/datasets/descriptor';
import { TrainingService, type TrainingServiceOptions } from '$main/services/training-service';
import type { EvaluationAnswer, EvaluationJob } from '$engine/evaluation/jobs';
import { JobCancelledError } from '$main/services/worker-jobs';
import { FakeWorker } from '$tests/helpers/fake-worker';
import { RESOURCES_DIR, hereAt } from '$tests/helpers/datasets';
import { MAX_MESSAGE_LENGTH } from '$shared/bounded-message';

/** What the worker says stepped a run's batches; the service passes it on to the run record. */
const STEPPED = { name: 'tfjs', detail: null, fallback: 'the kernel does not run elu' } as const;

type Event = { [E in EventChannel]: { event: E; payload: EventPayload<E> } }[EventChannel];

let userDataDir: string;
let events: Event[];
let workers: FakeWorker[];
let service: TrainingService;
let models: ModelService;
let fashionArrived: boolean;
const spec: ModelSpec = { ...DEFAULT_SPEC, epochs: 2, batchSize: 100 };
const sink = <E extends EventChannel>(event: E, payload: EventPayload<E>) => events.push({ event, payload } as Event);
const of = <E extends EventChannel>(event: E) => events.filter((e) => e.event === event).map((e) => e.payload as EventPayload<E>);

beforeEach(async () => {
  userDataDir = await mkdtemp(path.join(tmpdir(), 'mlp-lab-training-'));
  events = [];
  workers = [];
  fashionArrived = false;
  models = new ModelService({ resourcesDir: RESOURCES_DIR, userDataDir, events: sink });
  service = new TrainingService({
    events: sink,
    models,
    describeDataset: async (id) => {
      if (id === 'mnist' || (id === 'fashion-mnist' && fashionArrived)) return catalogDescriptor(id, `/data/${id}`);
      throw new Error(`${id} is not on this machine yet`);
    },
    spawnWorker: () => {
      const worker = new FakeWorker();
      workers.push(worker);
      queueMicrotask(() => worker.reply({ type: 'ready', backend: { active: 'wasm', skipped: [], simd: true, threads: 2 } }));
      return worker;
    },
    stopTimeoutMs: 50,
  });
});
afterEach(() => rm(userDataDir, { recursive: true, force: true }));

/** A service whose workers say nothing until the test makes them: for start-up races and timeouts. */
const manualService = (options: Partial<TrainingServiceOptions> = {}): TrainingService =>
  new TrainingService({
    events: sink,
    models,
    describeDataset: hereAt('/data'),
    spawnWorker: () => {
      const worker = new FakeWorker();
      workers.push(worker);
      return worker;
    },
    ...options,
  });

const files = async () => {
  const active = await models.active();
  return { modelJson: active.modelJson as never, weights: active.weights, metadata: { ...active.metadata, name: 'trained' } };
};

describe('TrainingService', () => {
  it('starts the worker once, relays progress with an ETA, and makes the trained model active', async () => {
    const { runId } = await service.start(spec, 'mnist');
    const worker = workers[0];
    expect(worker.sent[0]).toMatchObject({ type: 'start', runId, spec, dataset: { id: 'mnist', dir: '/data/mnist' } });
    expect(service.status()).toMatchObject({ phase: 'training', backend: 'wasm', run: { id: runId, epochsDone: 0 } });
    // The status bar names the worker's threads from here.
    expect(service.status().backendDetail).toEqual({ active: 'wasm', simd: true, threads: 2 });

    const batch = { epoch: 0, batch: 99, batches: 600, loss: 0.5, accuracy: 0.8, samplesPerSecond: 1000 };
    worker.reply({ type: 'progress', runId, batch, firstEpoch: 0, lastEpoch: 2 });
    // 500 batches left in this epoch + 600 in the next, 100 samples each, at 1000 samples/s.
    expect(of('training:progress')[0]).toMatchObject({ runId, batch, etaSeconds: 110 });

    const log = { epoch: 0, loss: 0.4, accuracy: 0.9, seconds: 1, samplesPerSecond: 1000, samples: 60000, complete: true };
    worker.reply({ type: 'epoch', runId, log });
    expect(service.status().run).toMatchObject({ epochsDone: 1, history: [log] });

    worker.reply({ type: 'finished', runId, stopped: false, epochsDone: 2, testAccuracy: 0.97, testLoss: 0.1, files: await files(), stepper: STEPPED });
    expect(of('training:finished')[0]).toMatchObject({ runId, stopped: false, testAccuracy: 0.97, modelName: 'trained', stepper: STEPPED });
    expect(of('model:changed')[0]).toEqual({ id: runId, name: 'trained' });
    expect((await models.active()).metadata.name).toBe('trained');
    expect(service.status().phase).toBe('idle');
    // starting → (worker ready: backend known) → training → idle
    expect(of('training:status').map((s) => [s.phase, s.backend])).toEqual([
      ['starting', null],
      ['starting', 'wasm'],
      ['training', 'wasm'],
      ['idle', 'wasm'],
    ]);

    await service.continue(3);
    expect(worker.sent.at(-1)).toEqual({ type: 'continue', runId, epochs: 3 });
    expect(workers).toHaveLength(1);
  });

  it('refuses a second run, a bad spec, a missing dataset, and Continue without a model', async () => {
    await expect(service.continue(1)).rejects.toThrow(/no model to continue/);
    await expect(service.start({ ...spec, epochs: 0 }, 'mnist')).rejects.toThrow(/epochs must be/);
    await expect(service.start(spec, 'fashion-mnist')).rejects.toThrow(/not on this machine/);
    await service.start(spec, 'mnist');
    await expect(service.start(spec, 'mnist')).rejects.toThrow(/already running/);
  });

  it('gives a slow batch time after Stop: any message from the worker re-arms the watchdog', async () => {
    const { runId } = await service.start(spec, 'mnist');
    // So fast a run that its steps are expected to take far less than the 50 ms watchdog.
    const batch = { epoch: 0, batch: 1, batches: 600, loss: 1, accuracy: 0.5, samplesPerSecond: 1e9 };
    workers[0].reply({ type: 'progress', runId, batch, firstEpoch: 0, lastEpoch: 2 });
    service.stop();
    for (let i = 0; i < 4; i++) {
      await new Promise((resolve) => setTimeout(resolve, 30));
      workers[0].reply({ type: 'progress', runId, batch, firstEpoch: 0, lastEpoch: 2 });
    }
    // 120 ms in, past the 50 ms watchdog, but the worker kept talking.
    expect(workers[0].terminated).toBe(false);
    expect(service.status().phase).toBe('stopping');
  });

  it('ends a worker that never says it is ready', async () => {
    const silent = manualService({ readyTimeoutMs: 20 });
    const started = silent.start(spec, 'mnist');
    await vi.waitFor(() => expect(workers[0].terminated).toBe(true), { timeout: 5000 });
    workers[0].emit('exit', 1);
    await expect(started).rejects.toThrow(/exited/);
    expect(of('training:error')[0]).toMatchObject({ kind: 'worker-crashed', message: /did not start/ });
    expect(silent.status()).toMatchObject({ phase: 'idle', run: null });
  });

  it('passes Stop on, and ends a worker that does not answer it', async () => {
    const { runId } = await service.start(spec, 'mnist');
    // A measured speed at which every step takes far less than the 50 ms watchdog.
    const batch = { epoch: 0, batch: 1, batches: 600, loss: 1, accuracy: 0.5, samplesPerSecond: 1e9 };
    workers[0].reply({ type: 'progress', runId, batch, firstEpoch: 0, lastEpoch: 2 });
    service.stop();
    expect(workers[0].sent.at(-1)).toEqual({ type: 'stop' });
    expect(service.status().phase).toBe('stopping');
    await vi.waitFor(() => expect(workers[0].terminated).toBe(true), { timeout: 5000 });
    expect(of('training:error')[0]).toMatchObject({ runId, kind: 'worker-crashed', message: /did not respond to Stop/ });
    expect(service.status()).toMatchObject({ phase: 'idle', run: null });
  });

  it("gives a run the training kernel steps the floor speed's time for the test score after Stop", async () => {
    const { runId } = await service.start(spec, 'mnist');
    workers[0].reply({ type: 'choice', runId, choice: { name: 'kernel', label: 'kernel (simd128)', how: 'pinned', rates: [], skipped: [] } });
    // The same measured speed as above: on TensorFlow.js the watchdog would fire after 50 ms.
    const batch = { epoch: 0, batch: 1, batches: 600, loss: 1, accuracy: 0.5, samplesPerSecond: 1e9 };
    workers[0].reply({ type: 'progress', runId, batch, firstEpoch: 0, lastEpoch: 2 });
    service.stop();
    await new Promise((resolve) => setTimeout(resolve, 300));
    // The test set is scored on TensorFlow.js, far slower than the kernel trains: still waiting.
    expect(workers[0].terminated).toBe(false);
    expect(service.status().phase).toBe('stopping');
  });

  it('reports a diverged run with advice, offers no Continue of it, and stays usable', async () => {
    const { runId } = await service.start(spec, 'mnist');
    workers[0].reply({ type: 'failed', runId, kind: 'diverged', message: 'The loss became NaN' });
    expect(of('training:error')[0]).toEqual({ runId, kind: 'diverged', message: 'The loss became NaN', advice: expect.stringMatching(/Lower the learning rate/) });
    expect(service.status()).toMatchObject({ phase: 'idle', run: null });
    await expect(service.continue(1)).rejects.toThrow(/no model to continue/);
    await service.start(spec, 'mnist');
    expect(workers).toHaveLength(1);
  });

  it('asks where a dataset is at every start, so one that arrives later is found', async () => {
    await expect(service.start(spec, 'fashion-mnist')).rejects.toThrow(/not on this machine/);
    await service.start(spec, 'mnist');
    const first = workers[0].sent.at(-1) as { runId: string };
    workers[0].reply({ type: 'failed', runId: first.runId, kind: 'failed', message: 'x' });
    fashionArrived = true;
    await service.start(spec, 'fashion-mnist');
    expect(workers[0].sent.at(-1)).toMatchObject({ type: 'start', dataset: { id: 'fashion-mnist', dir: '/data/fashion-mnist' } });
  });

  it('tells the user about a failure that belongs to no run', async () => {
    await service.start(spec, 'mnist');
    workers[0].reply({ type: 'failed', runId: null, kind: 'failed', message: 'reset failed' });
    expect(of('training:error')).toEqual([expect.objectContaining({ runId: null, message: 'reset failed' })]);
  });

  it('replaces a crashed worker on the next run', async () => {
    await service.start(spec, 'mnist');
    workers[0].emit('exit', 1);
    expect(of('training:error')[0]).toMatchObject({ kind: 'worker-crashed', advice: /fresh training process/ });
    await service.start(spec, 'mnist');
    expect(workers).toHaveLength(2);
    const oom = Object.assign(new Error('heap'), { code: 'ERR_WORKER_OUT_OF_MEMORY' });
    workers[1].emit('error', oom);
    expect(of('training:error')[1]).toMatchObject({ kind: 'out-of-memory', message: /ran out of memory/ });
  });

  it('honours a Stop pressed while the worker is still starting', async () => {
    const started = service.start({ ...spec, epochs: 4 }, 'mnist');
    expect(service.status().phase).toBe('starting');
    service.stop();
    const { runId } = await started;
    // The worker gets the start and then the Stop: its engine is busy from the start's first moment.
    expect(workers[0].sent.map((m) => m.type)).toEqual(['start', 'stop']);
    expect(service.status().phase).toBe('stopping');
    workers[0].reply({ type: 'finished', runId, stopped: true, epochsDone: 0, testAccuracy: 0.1, testLoss: 2, files: await files(), stepper: STEPPED });
    expect(of('training:finished')[0]).toMatchObject({ runId, stopped: true, epochsDone: 0 });
    expect(service.status().phase).toBe('idle');
    // The next run is not stopped by the old Stop.
    await service.start(spec, 'mnist');
    expect(workers[0].sent.at(-1)).toMatchObject({ type: 'start' });
    expect(service.status().phase).toBe('training');
  });

  it('leaves a consistent idle state when disposed mid-run, tells the window, and can start again', async () => {
    await service.start(spec, 'mnist');
    await service.dispose();
    expect(workers[0].terminated).toBe(true);
    expect(service.status()).toEqual({ phase: 'idle', backend: null, run: null });
    expect(of('training:status').at(-1)).toEqual({ phase: 'idle', backend: null, run: null });
    await service.start(spec, 'mnist');
    expect(workers).toHaveLength(2);
    expect(service.status().phase).toBe('training');
  });

  it('does not run a start that was disposed while the worker was starting', async () => {
    const started = service.start(spec, 'mnist');
    await service.dispose();
    await expect(started).rejects.toThrow(/ended before it began/);
    // Disposed before or while the worker started: none was left running with a start.
    expect(workers.flatMap((w) => w.sent)).toEqual([]);
    expect(service.status()).toEqual({ phase: 'idle', backend: null, run: null });
  });

  it('gives a first batch that outlasts the watchdog time to finish, so Stop keeps the model', async () => {
    // 8 x 1024 units, one 60,000-image batch: minutes of work before the worker can say anything.
    const big: ModelSpec = { ...spec, hiddenLayers: Array.from({ length: 8 }, () => ({ units: 1024, activation: 'relu' as const, dropout: 0 })), batchSize: 60_000 };
    const { runId } = await service.start(big, 'mnist');
    service.stop();
    await new Promise((resolve) => setTimeout(resolve, 200));
    // Four times the 50 ms watchdog, and no word from the worker.
    expect(workers[0].terminated).toBe(false);
    expect(service.status().phase).toBe('stopping');
    workers[0].reply({ type: 'finished', runId, stopped: true, epochsDone: 0, testAccuracy: 0.5, testLoss: 1, files: await files(), stepper: STEPPED });
    expect(of('training:error')).toEqual([]);
    expect(of('training:finished')[0]).toMatchObject({ runId, stopped: true, modelName: 'trained' });
    expect((await models.active()).metadata.name).toBe('trained');
  });

  it('sizes the watchdog by the expected work, so a worker that really hangs on a big batch is still ended', async () => {
    const sized = new TrainingService({
      events: sink,
      models,
      describeDataset: hereAt('/data'),
      spawnWorker: () => {
        const worker = new FakeWorker();
        workers.push(worker);
        queueMicrotask(() => worker.reply({ type: 'ready', backend: { active: 'wasm', skipped: [], simd: true } }));
        return worker;
      },
      stopTimeoutMs: 10,
      // A machine this fast evaluates 10,000 test images on 784-1024-10 (1.6e10 operations) in 0.16 s.
      assumedOpsPerSecond: 1e11,
    });
    const wide: ModelSpec = { ...spec, hiddenLayers: [{ units: 1024, activation: 'relu', dropout: 0 }], batchSize: 2000, validation: 0 };
    await sized.start(wide, 'mnist');
    sized.stop();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(workers[0].terminated).toBe(false);
    await vi.waitFor(() => expect(workers[0].terminated).toBe(true), { timeout: 5000 });
    expect(of('training:error')[0]).toMatchObject({ kind: 'worker-crashed', message: /did not respond to Stop/ });
  });

  it('bounds the length of an error message it passes on', async () => {
    const { runId } = await service.start(spec, 'mnist');
    workers[0].reply({ type: 'failed', runId, kind: 'failed', message: 'x'.repeat(1_000_000) });
    const { message } = of('training:error')[0];
    expect(message.length).toBeLessThanOrEqual(MAX_MESSAGE_LENGTH);
    expect(message).toMatch(/^x+…$/);
  });

  it('ignores messages from an earlier run', async () => {
    await service.start(spec, 'mnist');
    workers[0].reply({ type: 'failed', runId: 'old', kind: 'failed', message: 'stale' });
    expect(of('training:error')).toEqual([]);
  });
});

const evaluateJob = async (requestId: string): Promise<EvaluationJob> => {
  const active = await models.active();
  return { type: 'evaluate', requestId, dataset: catalogDescriptor('mnist', '/data/mnist'), model: { id: active.id, files: await files() } };
};
const answer: EvaluationAnswer = { type: 'evaluate', loss: 0.03, accuracy: 0.99, probabilities: new Float32Array(10), labels: new Uint8Array(1), count: 1, seconds: 2 };
const sentTypes = (worker: FakeWorker) => worker.sent.map((m) => m.type);

describe('TrainingService evaluation jobs', () => {
  it('posts a job once the worker is ready, relays its progress, and resolves with its job-done', async () => {
    const manual = manualService();
    const job = await evaluateJob('e1');
    const progress: [number, number][] = [];
    const result = manual.worker.runJob(job, (done, total) => progress.push([done, total]));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(workers).toHaveLength(1);
    expect(workers[0].sent).toEqual([]);
    workers[0].reply({ type: 'ready', backend: { active: 'wasm', skipped: [], simd: true } });
    await vi.waitFor(() => expect(workers[0].sent).toEqual([job]));
    workers[0].reply({ type: 'job-progress', requestId: 'e1', done: 1000, total: 10_000 });
    workers[0].reply({ type: 'job-done', requestId: 'e1', answer });
    await expect(result).resolves.toBe(answer);
    expect(progress).toEqual([[1000, 10_000]]);
    // A job is not a run: the phase never left idle, and the same worker serves the next job.
    expect(of('training:status').map((s) => s.phase)).toEqual(['idle']);
    const again = manual.worker.runJob(await evaluateJob('e2'), () => {});
    await vi.waitFor(() => expect(workers[0].sent).toHaveLength(2));
    workers[0].reply({ type: 'job-failed', requestId: 'e2', message: 'file not found', cancelled: false });
    await expect(again).rejects.toThrow('file not found');
    expect(workers).toHaveLength(1);
    await manual.dispose();
  });

  it('drops a job that was waiting for the worker when Cancel or Train came first', async () => {
    const manual = manualService();
    const cancelled = manual.worker.runJob(await evaluateJob('c1'), () => {});
    manual.worker.cancelJobs();
    const trained = manual.worker.runJob(await evaluateJob('c2'), () => {});
    const start = manual.start(spec, 'mnist');
    workers[0].reply({ type: 'ready', backend: { active: 'wasm', skipped: [], simd: true } });
    await expect(cancelled).rejects.toBeInstanceOf(JobCancelledError);
    await expect(trained).rejects.toBeInstanceOf(JobCancelledError);
    await start;
    // Training has the worker to itself: no evaluation was ever sent.
    expect(sentTypes(workers[0])).toEqual(['start']);
    await manual.dispose();
  });

  it('lets a running fine-tune finish: a start, a Continue or another job is refused until it is done', async () => {
    const model = { id: (await models.active()).id, files: await files() };
    const own = { images: new Uint8Array(784), labels: new Uint8Array(1), count: 1, rows: 28, cols: 28, ids: ['a'] };
    const finetune: EvaluationJob = { type: 'finetune', requestId: 'f1', dataset: catalogDescriptor('mnist', '/data/mnist'), model, own, options: DEFAULT_FINETUNE, name: 'tuned' };
    const tuned = service.worker.runJob(finetune, () => {});
    await vi.waitFor(() => expect(sentTypes(workers[0])).toEqual(['finetune']));
    await expect(service.start(spec, 'mnist')).rejects.toThrow(/being fine-tuned/);
    await expect(service.continue(1)).rejects.toThrow(/being fine-tuned/);
    await expect(service.worker.runJob(await evaluateJob('e1'), () => {})).rejects.toThrow(/being fine-tuned/);
    // Nothing reached the worker to end the fine-tune.
    expect(sentTypes(workers[0])).toEqual(['finetune']);
    expect(service.status().phase).toBe('idle');
    const done = { type: 'finetune', before: { own: 0.5, mnist: 0.99 }, after: { own: 0.9, mnist: 0.98 }, fineTuneCounts: [], heldOutCounts: [], heldOut: [], files: await files(), seconds: 1 };
    workers[0].reply({ type: 'job-done', requestId: 'f1', answer: done as EvaluationAnswer });
    await expect(tuned).resolves.toMatchObject({ type: 'finetune' });
    await service.start(spec, 'mnist');
    expect(sentTypes(workers[0])).toEqual(['finetune', 'start']);
  });

  it('refuses a job while a run is starting, training or stopping, and takes one again after it', async () => {
    const job = await evaluateJob('e1');
    const started = service.start(spec, 'mnist');
    expect(service.status().phase).toBe('starting');
    await expect(service.worker.runJob(job, () => {})).rejects.toThrow(/A model is training/);
    const { runId } = await started;
    await expect(service.worker.runJob(job, () => {})).rejects.toThrow(/A model is training/);
    service.stop();
    await expect(service.worker.runJob(job, () => {})).rejects.toThrow(/A model is training/);
    expect(sentTypes(workers[0])).toEqual(['start', 'stop']);
    workers[0].reply({ type: 'finished', runId, stopped: true, epochsDone: 1, testAccuracy: 0.9, testLoss: 0.3, files: await files(), stepper: STEPPED });
    const result = service.worker.runJob(job, () => {});
    await vi.waitFor(() => expect(sentTypes(workers[0])).toEqual(['start', 'stop', 'evaluate']));
    workers[0].reply({ type: 'job-done', requestId: 'e1', answer });
    await expect(result).resolves.toBe(answer);
  });

  it('sends cancel-job for a pending job before a start, which then rejects as cancelled', async () => {
    const result = service.worker.runJob(await evaluateJob('e1'), () => {});
    await vi.waitFor(() => expect(sentTypes(workers[0])).toEqual(['evaluate']));
    await service.start(spec, 'mnist');
    expect(workers[0].sent.slice(1, 3)).toEqual([{ type: 'cancel-job', requestId: 'e1' }, expect.objectContaining({ type: 'start' })]);
    workers[0].reply({ type: 'job-failed', requestId: 'e1', message: 'The evaluation was cancelled.', cancelled: true });
    await expect(result).rejects.toBeInstanceOf(JobCancelledError);
  });

  it('cancelJobs sends cancel-job for each pending job, and nothing when there is none', async () => {
    service.worker.cancelJobs();
    const result = service.worker.runJob(await evaluateJob('e1'), () => {});
    await vi.waitFor(() => expect(sentTypes(workers[0])).toEqual(['evaluate']));
    service.worker.cancelJobs();
    expect(workers[0].sent.at(-1)).toEqual({ type: 'cancel-job', requestId: 'e1' });
    workers[0].reply({ type: 'job-done', requestId: 'e1', answer });
    await result;
    service.worker.cancelJobs();
    expect(sentTypes(workers[0])).toEqual(['evaluate', 'cancel-job']);
  });

  it('rejects pending jobs when the worker crashes, and reports the crash', async () => {
    const result = service.worker.runJob(await evaluateJob('e1'), () => {});
    await vi.waitFor(() => expect(sentTypes(workers[0])).toEqual(['evaluate']));
    workers[0].emit('exit', 1);
    await expect(result).rejects.toThrow('The training process exited (code 1).');
    expect(of('training:error')).toEqual([expect.objectContaining({ runId: null, kind: 'worker-crashed' })]);
    // The next job gets a fresh worker.
    const next = service.worker.runJob(await evaluateJob('e2'), () => {});
    await vi.waitFor(() => expect(workers).toHaveLength(2));
    await vi.waitFor(() => expect(sentTypes(workers[1])).toEqual(['evaluate']));
    workers[1].reply({ type: 'job-done', requestId: 'e2', answer });
    await expect(next).resolves.toBe(answer);
  });

  it('rejects pending jobs when disposed', async () => {
    const result = service.worker.runJob(await evaluateJob('e1'), () => {});
    await vi.waitFor(() => expect(sentTypes(workers[0])).toEqual(['evaluate']));
    await service.dispose();
    await expect(result).rejects.toThrow('The training process was closed.');
    expect(workers[0].terminated).toBe(true);
  });

  it("keeps a run's progress, epochs and finish intact while late job messages arrive", async () => {
    const progress: [number, number][] = [];
    const result = service.worker.runJob(await evaluateJob('e1'), (done, total) => progress.push([done, total]));
    await vi.waitFor(() => expect(sentTypes(workers[0])).toEqual(['evaluate']));
    const { runId } = await service.start(spec, 'mnist');
    const worker = workers[0];
    const batch = { epoch: 0, batch: 99, batches: 600, loss: 0.5, accuracy: 0.8, samplesPerSecond: 1000 };
    // The cancelled job's last words arrive between the run's messages, and one for a job nobody knows.
    worker.reply({ type: 'job-progress', requestId: 'e1', done: 2000, total: 10_000 });
    worker.reply({ type: 'progress', runId, batch, firstEpoch: 0, lastEpoch: 2 });
    worker.reply({ type: 'job-failed', requestId: 'e1', message: 'The evaluation was cancelled.', cancelled: true });
    worker.reply({ type: 'job-done', requestId: 'stranger', answer });
    const log = { epoch: 0, loss: 0.4, accuracy: 0.9, seconds: 1, samplesPerSecond: 1000, samples: 60000, complete: true };
    worker.reply({ type: 'epoch', runId, log });
    await expect(result).rejects.toBeInstanceOf(JobCancelledError);
    expect(progress).toEqual([[2000, 10_000]]);
    expect(of('training:progress')).toEqual([expect.objectContaining({ runId, batch, etaSeconds: 110 })]);
    expect(service.status()).toMatchObject({ phase: 'training', run: { id: runId, epochsDone: 1, history: [log] } });
    worker.reply({ type: 'finished', runId, stopped: false, epochsDone: 2, testAccuracy: 0.97, testLoss: 0.1, files: await files(), stepper: STEPPED });
    expect(of('training:finished')).toEqual([expect.objectContaining({ runId, testAccuracy: 0.97 })]);
    expect(of('training:error')).toEqual([]);
    expect(service.status().phase).toBe('idle');
  });
});

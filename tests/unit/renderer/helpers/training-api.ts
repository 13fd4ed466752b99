import type { EventPayload } from '$shared/ipc/contract';
import { catalogSummary, type DatasetSummary } from '$shared/datasets/dataset-summary';
import type { TrainingStatus } from '$shared/training';
import type { ModelSpec } from '$shared/model-spec';
import type { MeasuredSpeed } from '$shared/training-speed';
import type { BatchLog, EpochLog } from '$shared/training';
import type { TrainingApi } from '$renderer/panels/train/training-run';

type Listener<T> = (payload: T) => void;

const DATASETS: DatasetSummary[] = [catalogSummary('mnist', true), catalogSummary('fashion-mnist', false)];

/**
 * window.api's training part, with main played by the test: verbs record their calls and answer like
 * the training service; `emit` drives the subscriptions.
 */
export class FakeTrainingApi {
  calls: { verb: string; args: unknown[] }[] = [];
  status: TrainingStatus = { phase: 'idle', backend: null, run: null };
  nextRunId = 'run-1';
  /** Library models continueModel knows, by id: the run it starts begins from these. */
  savedModels: Record<string, Omit<NonNullable<TrainingStatus['run']>, 'id'>> = {};
  /** What getMeasuredSpeed answers: main's stored speed for any model asked about. */
  measuredSpeed: MeasuredSpeed | null = null;
  listeners = {
    status: new Set<Listener<TrainingStatus>>(),
    progress: new Set<Listener<EventPayload<'training:progress'>>>(),
    epoch: new Set<Listener<EventPayload<'training:epoch'>>>(),
    finished: new Set<Listener<EventPayload<'training:finished'>>>(),
    error: new Set<Listener<EventPayload<'training:error'>>>(),
    datasets: new Set<Listener<EventPayload<'dataset:list-changed'>>>(),
  };

  readonly api: TrainingApi = {
    getTrainingStatus: async () => this.#record('getTrainingStatus', [], structuredClone(this.status)),
    listDatasets: async () => this.#record('listDatasets', [], DATASETS),
    startTraining: async (request) => {
      this.#record('startTraining', [request], undefined);
      const runId = this.nextRunId;
      this.setStatus({ phase: 'training', backend: 'cpu', run: { id: runId, spec: request.spec, datasetId: request.datasetId, epochsDone: 0, history: [] } });
      return { runId };
    },
    continueTraining: async (request) => {
      this.#record('continueTraining', [request], undefined);
      this.setStatus({ ...this.status, phase: 'training' });
      return { runId: this.status.run!.id };
    },
    continueModel: async (request) => {
      this.#record('continueModel', [request], undefined);
      const saved = this.savedModels[request.id];
      if (!saved) throw new Error(`"${request.id}" is not a model of the library`);
      const runId = this.nextRunId;
      this.setStatus({ phase: 'training', backend: 'cpu', run: { id: runId, ...structuredClone(saved) } });
      return { runId };
    },
    stopTraining: async () => {
      this.#record('stopTraining', [], undefined);
      this.setStatus({ ...this.status, phase: 'stopping' });
    },
    resetTraining: async () => {
      this.#record('resetTraining', [], undefined);
      this.setStatus({ ...this.status, run: null });
    },
    saveModel: async ({ name }) => this.#record('saveModel', [{ name }], { name, dir: `/models/${name}` }),
    loadModel: async ({ id }) => this.#record('loadModel', [{ id }], undefined),
    downloadDataset: async ({ datasetId }) =>
      this.#record('downloadDataset', [{ datasetId }], { datasetId, state: 'done', files: [], received: 1, total: 1, bytesPerSecond: 0, etaSeconds: 0, failures: [], message: null }),
    onDownloadProgress: () => () => {},
    onTrainingStatus: (listener) => this.#subscribe(this.listeners.status, listener),
    onTrainingProgress: (listener) => this.#subscribe(this.listeners.progress, listener),
    onTrainingEpoch: (listener) => this.#subscribe(this.listeners.epoch, listener),
    onTrainingFinished: (listener) => this.#subscribe(this.listeners.finished, listener),
    onTrainingError: (listener) => this.#subscribe(this.listeners.error, listener),
    onDatasetsChanged: (listener) => this.#subscribe(this.listeners.datasets, listener),
    getMeasuredSpeed: async (request) => this.#record('getMeasuredSpeed', [request], this.measuredSpeed),
  };

  get listenerCount(): number {
    return Object.values(this.listeners).reduce((sum, set) => sum + set.size, 0);
  }

  setStatus(status: TrainingStatus): void {
    this.status = status;
    for (const listener of this.listeners.status) listener(structuredClone(status));
  }

  /** A progress report for batch `batch` of `batches` in `epoch`, of a call covering [first, last). */
  progress(runId: string, epoch: number, batch: number, batches: number, loss: number, [first, last]: [number, number]): void {
    const log: BatchLog = { epoch, batch, batches, loss, accuracy: 0.9, samplesPerSecond: 50_000 };
    for (const listener of this.listeners.progress) listener({ runId, batch: log, firstEpoch: first, lastEpoch: last, etaSeconds: 3 });
  }

  epoch(runId: string, epoch: number, complete = true, extra: Partial<EpochLog> = {}): void {
    const log: EpochLog = { epoch, loss: 1 / (epoch + 2), accuracy: 0.9, seconds: 0.5, samplesPerSecond: 100_000, samples: 2000, complete, ...extra };
    if (this.status.run?.id === runId) {
      this.status.run.history.push(log);
      if (complete) this.status.run.epochsDone = epoch + 1;
    }
    for (const listener of this.listeners.epoch) listener({ runId, log });
  }

  finish(runId: string, stopped: boolean): void {
    this.setStatus({ ...this.status, phase: 'idle' });
    const epochsDone = this.status.run?.epochsDone ?? 0;
    for (const listener of this.listeners.finished) {
      listener({ runId, stopped, testAccuracy: 0.9751, testLoss: 0.0812, epochsDone, modelName: 'MLP 50 · sgd' });
    }
  }

  error(runId: string | null): void {
    for (const listener of this.listeners.error) {
      listener({ runId, kind: 'diverged', message: 'The loss became NaN', advice: 'Lower the learning rate.' });
    }
  }

  specOf(call: number): ModelSpec {
    return (this.calls.filter((c) => c.verb === 'startTraining')[call].args[0] as { spec: ModelSpec }).spec;
  }

  #record<T>(verb: string, args: unknown[], result: T): T {
    this.calls.push({ verb, args });
    return result;
  }

  #subscribe<T>(set: Set<Listener<T>>, listener: Listener<T>): () => void {
    set.add(listener);
    return () => set.delete(listener);
  }
}

import { parentPort, workerData } from 'node:worker_threads';
import type { DatasetId } from '../../shared/datasets/catalog';
import type { DatasetDescriptor } from '../../shared/datasets/descriptor';
import type { LoadedDataset } from '../../shared/datasets/image-set';
import { DatasetError } from '../data/dataset-error';
import { loadDescribedDataset } from '../data/load-dataset';
import { selectBackend } from '../ml/backend';
import { loadModel } from '../ml/persist';
import { NonFiniteLossError } from '../ml/train';
import { EvaluationJobs } from '../evaluation/jobs';
import { TrainingEngine, type EngineCallbacks, type EngineOutcome } from './engine';
import { ProgressThrottle, SnapshotThrottle, type FromWorker, type ToWorker, type WorkerConfig } from './protocol';
import type { TrainingErrorKind } from '../../shared/training';

/**
 * The training worker: the one thread that loads TensorFlow.js' backend (tfjs-node must be loaded by a
 * single thread), owns the model being trained, and reports progress to main.
 */
const port = parentPort;
if (!port) throw new Error('the training worker must run in a worker thread');
const config = workerData as WorkerConfig;
/** Big results move to main rather than being copied: the weights, an evaluation's probabilities. */
function transferable(message: FromWorker): ArrayBuffer[] {
  if (message.type === 'finished') return [message.files.weights];
  if (message.type === 'weights') return message.layers.flatMap((l) => [l.kernel.buffer as ArrayBuffer, l.bias.buffer as ArrayBuffer]);
  if (message.type === 'job-done' && message.answer.type === 'evaluate') return [message.answer.probabilities.buffer as ArrayBuffer];
  if (message.type === 'job-done' && message.answer.type === 'finetune') return [message.answer.files.weights];
  return [];
}
const post = (message: FromWorker): void => {
  port.postMessage(message, transferable(message));
};

/** Each dataset as main described it in its latest message naming it. */
const descriptors = new Map<DatasetId, DatasetDescriptor>();
/** Parsed datasets, by id and folder: loaded once, kept for the next run. */
const datasets = new Map<string, Promise<LoadedDataset>>();
function dataset(id: DatasetId): Promise<LoadedDataset> {
  const descriptor = descriptors.get(id);
  if (!descriptor) return Promise.reject(new DatasetError(id, 'main has not said where this dataset is'));
  const key = `${id}:${descriptor.dir}`;
  let loaded = datasets.get(key);
  if (!loaded) {
    loaded = loadDescribedDataset(descriptor);
    // A failed load is not kept: the user may put the files right and train again.
    loaded.catch(() => datasets.delete(key));
    datasets.set(key, loaded);
  }
  return loaded;
}

function classify(error: unknown): TrainingErrorKind {
  if (error instanceof NonFiniteLossError) return 'diverged';
  if (error instanceof DatasetError) return 'dataset';
  if (/out of memory|allocation failed|Array buffer allocation/i.test(String((error as Error)?.message ?? error))) {
    return 'out-of-memory';
  }
  return 'failed';
}

const backend = await selectBackend(config.backend);
const engine = new TrainingEngine(dataset, backend.active);
// Evaluations share this thread and its backend with training; main keeps them apart in time.
const jobs = new EvaluationJobs((descriptor) => {
  descriptors.set(descriptor.id, descriptor);
  return dataset(descriptor.id);
}, post);
post({ type: 'ready', backend });

async function run(
  runId: string,
  /** The epochs this call runs, asked at each report: a resumed model's count is known once it is loaded. */
  range: () => [number, number],
  work: (callbacks: EngineCallbacks) => Promise<EngineOutcome>,
): Promise<void> {
  const throttle = new ProgressThrottle((batch) => {
    const [firstEpoch, lastEpoch] = range();
    post({ type: 'progress', runId, batch, firstEpoch, lastEpoch });
  });
  try {
    const snapshots = config.weightSnapshots === false ? null : new SnapshotThrottle();
    const outcome = await work({
      onBatch: (log) => {
        throttle.add(log);
        // Between batches the step's values are settled, so reading them is a copy rather than a wait.
        const weights = snapshots?.due() ? engine.snapshotWeights() : null;
        if (weights) post({ type: 'weights', runId, epoch: log.epoch, batch: log.batch, batches: log.batches, ...weights });
      },
      onEpoch: (log) => {
        throttle.flush();
        post({ type: 'epoch', runId, log });
      },
    });
    const { stopped, epochsDone, testAccuracy, testLoss, files, earlyStop } = outcome;
    post({ type: 'finished', runId, stopped, epochsDone, testAccuracy, testLoss, files, earlyStop });
  } catch (error) {
    // The batches since the last report come first: a loss that explodes within one report's interval
    // would otherwise end the run with none of the rising losses the window warns from.
    throttle.flush();
    post({ type: 'failed', runId, kind: classify(error), message: (error as Error)?.message ?? String(error) });
  }
}

port.on('message', (message: ToWorker) => {
  switch (message.type) {
    case 'start':
      descriptors.set(message.dataset.id, message.dataset);
      void run(message.runId, () => [0, message.spec.epochs], (callbacks) =>
        engine.start(message.spec, message.dataset.id, message.name, callbacks),
      );
      break;
    case 'continue': {
      const first = engine.epochsDone;
      void run(message.runId, () => [first, first + message.epochs], (callbacks) => engine.continue(message.epochs, callbacks));
      break;
    }
    case 'resume': {
      descriptors.set(message.dataset.id, message.dataset);
      const { modelDir, name, epochs } = message;
      // While the run lasts, epochsDone is the count the saved model came with.
      void run(message.runId, () => [engine.epochsDone, engine.epochsDone + epochs], (callbacks) =>
        engine.resume(() => loadModel(modelDir), message.dataset.id, name, epochs, callbacks),
      );
      break;
    }
    case 'stop':
      engine.stop();
      break;
    case 'evaluate':
    case 'robustness':
    case 'finetune':
      void jobs.run(message);
      break;
    case 'cancel-job':
      jobs.cancel(message.requestId);
      break;
    case 'reset':
      try {
        engine.reset();
      } catch (error) {
        post({ type: 'failed', runId: null, kind: 'failed', message: (error as Error).message });
      }
      break;
  }
});

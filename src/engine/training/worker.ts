import { parentPort, workerData } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import type { DatasetId } from '../../shared/datasets/catalog';
import type { DatasetDescriptor } from '../../shared/datasets/descriptor';
import type { LoadedDataset } from '../../shared/datasets/image-set';
import { DatasetError } from '../data/dataset-error';
import { loadDescribedDataset } from '../data/load-dataset';
import { selectBackend } from '../ml/backend';
import { FileChoiceCache } from '../ml/choice-cache';
import { runChooser } from '../ml/tfjs-candidates';
import { kernelCandidates } from '../kernel/kernel-choice';
import { loadModel } from '../ml/persist';
import { NonFiniteLossError } from '../ml/train';
import { EvaluationJobs } from '../evaluation/jobs';
import { ProjectorJobs } from '../projector/projector-jobs';
import { epochMaps } from '../projector/epoch-maps';
import type { ProjectionMap } from '../../shared/projector/projector';
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
  if (message.type === 'job-done' && message.answer.type === 'project') {
    const { map, activations } = message.answer;
    return [map.coords.buffer as ArrayBuffer, ...(activations ? [activations.buffer as ArrayBuffer] : [])];
  }
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
/** The backend the user pinned for the run being started (MLP_LAB_BACKEND, through config, wins). */
let runPin: string | undefined;
const chooseBackend = runChooser(backend, {
  pinned: () => config.backend || process.env.MLP_LAB_BACKEND || runPin,
  cache: config.choiceCacheDir ? new FileChoiceCache(config.choiceCacheDir) : null,
  extra: kernelCandidates(config.backend || process.env.MLP_LAB_BACKEND),
});
const engine = new TrainingEngine(dataset, backend.active, { chooseBackend });
// Evaluations share this thread and its backend with training; main keeps them apart in time.
const jobs = new EvaluationJobs((descriptor) => {
  descriptors.set(descriptor.id, descriptor);
  return dataset(descriptor.id);
}, post);
// The projector's maps and searches: apart from the evaluations, so that neither cancels the other.
const projector = new ProjectorJobs((descriptor) => {
  descriptors.set(descriptor.id, descriptor);
  return dataset(descriptor.id);
}, post);
/** The latest epoch's maps, so the next epoch's axes point the same way; a new run starts afresh. */
let lastMaps: ProjectionMap[] = [];
post({ type: 'ready', backend });

/** The projector's maps at the end of an epoch; a map that fails is left out, never the run. */
function postEpochMaps(runId: string, epoch: number): void {
  const trained = config.epochMaps === false ? null : engine.trainedModel();
  if (!trained) return;
  try {
    lastMaps = epochMaps(trained, lastMaps);
    post({ type: 'epoch-maps', runId, epoch, maps: lastMaps });
  } catch {
    lastMaps = [];
  }
}

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
        postEpochMaps(runId, log.epoch);
      },
      onChoice: (choice) => post({ type: 'choice', runId, choice }),
    });
    const { stopped, epochsDone, testAccuracy, testLoss, files, earlyStop, stepper } = outcome;
    post({ type: 'finished', runId, stopped, epochsDone, testAccuracy, testLoss, files, earlyStop, stepper });
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
      lastMaps = [];
      descriptors.set(message.dataset.id, message.dataset);
      runPin = message.backend;
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
      lastMaps = [];
      descriptors.set(message.dataset.id, message.dataset);
      runPin = message.backend;
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
    case 'project':
    case 'nearest':
      void projector.run(message);
      break;
    case 'cancel-job':
      jobs.cancel(message.requestId);
      projector.cancel(message.requestId);
      break;
    case 'diagnostics': {
      // The backend's count, tensors of this thread's one engine: what a leak test watches.
      const { numTensors, numDataBuffers, numBytes } = tf.memory();
      post({ type: 'diagnostics', requestId: message.requestId, memory: { numTensors, numDataBuffers, numBytes } });
      break;
    }
    case 'reset':
      try {
        engine.reset();
      } catch (error) {
        post({ type: 'failed', runId: null, kind: 'failed', message: (error as Error).message });
      }
      break;
  }
});

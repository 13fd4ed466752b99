import type { EventSink } from '../../shared/ipc/contract';
import type { WorkerConfig, WorkerHandle } from '../../engine/training/protocol';
import type { Services } from '../handlers';
import { probeTrainingBackend } from '../../engine/ml/backend-probe';
import { DatasetDownloadService } from './dataset-download-service';
import { DatasetImportService } from './dataset-import-service';
import { DatasetService } from './dataset-service';
import { mirrorsFromEnv, nodeFetch, type Fetcher } from './download/fetcher';
import type { Dialogs } from './dialogs';
import { EvaluationService } from './evaluation-service';
import { HandwritingService } from './handwriting/handwriting-service';
import { ModelLibrary, type Trash } from './model-library';
import { ModelService } from './model-service';
import { TrainingService } from './training-service';

export interface ServiceOptions {
  /** The app's bundled resources: datasets/mnist, models/default. */
  resourcesDir: string;
  /** Per-user writable folder: downloaded datasets, the model library. */
  userDataDir: string;
  version: string;
  events: EventSink;
  /** Module resolution, to see whether tfjs-node is installed without loading it. */
  resolveModule: (id: string) => string;
  /** Starts a training worker with this configuration. */
  spawnWorker: (config: WorkerConfig) => WorkerHandle;
  /** How services ask the user for a path or a yes (native in the app, scripted in tests). */
  dialogs: Dialogs;
  /** How dataset downloads reach the network: Electron's net.fetch in the app, Node's fetch otherwise. */
  fetch?: Fetcher;
  /** Moves a deleted model to the OS trash; without one, deleting a model fails saying so. */
  trash?: Trash;
}

/** Every main-process service, wired to plain paths: Electron's entry and the e2e harness both call this. */
export function createServices(options: ServiceOptions): Services {
  const probe = probeTrainingBackend(options.resolveModule);
  const { events, resourcesDir, userDataDir } = options;
  const models = new ModelService({ resourcesDir, userDataDir, events });
  const datasets = new DatasetService({ resourcesDir, userDataDir });
  const downloads = new DatasetDownloadService({
    fetch: options.fetch ?? nodeFetch,
    userDataDir,
    events,
    mirrors: () => mirrorsFromEnv(process.env.MLP_LAB_DATASET_MIRRORS),
    onDownloaded: (id) => {
      datasets.forget(id);
      events('dataset:list-changed', datasets.list());
    },
  });
  const training = new TrainingService({
    events,
    models,
    isAvailable: (id) => datasets.isAvailable(id),
    datasetDir: (id) => datasets.dir(id),
    spawnWorker: () => options.spawnWorker({}),
  });
  const library = new ModelLibrary({ models, dialogs: options.dialogs, trash: options.trash ?? noTrash });
  const evaluation = new EvaluationService({
    events,
    models,
    library,
    isAvailable: (id) => datasets.isAvailable(id),
    datasetDir: (id) => datasets.dir(id),
    worker: training,
  });
  return {
    appInfo: () => ({
      version: options.version,
      trainingBackend: probe.backend,
      backendHint: probe.hint,
      inferenceBackend: 'TensorFlow.js cpu (in the window)',
    }),
    models,
    library,
    datasets,
    downloads,
    imports: new DatasetImportService({ userDataDir, dialogs: options.dialogs }),
    training,
    evaluation,
    handwriting: new HandwritingService({
      userDataDir,
      events,
      dialogs: options.dialogs,
      models,
      library,
      isAvailable: (id) => datasets.isAvailable(id),
      datasetDir: (id) => datasets.dir(id),
      worker: training,
    }),
  };
}

const noTrash: Trash = (target) => Promise.reject(new Error(`${target}: there is no trash to move it to here`));

import type { EventSink } from '../../shared/ipc/contract';
import type { WorkerConfig, WorkerHandle } from '../../engine/training/protocol';
import type { Clipboard, Services } from '../handlers';
import { probeTrainingBackend } from '../../engine/ml/backend-probe';
import { DatasetDownloadService } from './dataset-download-service';
import { DatasetImportService } from './dataset-import-service';
import { DatasetService } from './dataset-service';
import { mirrorsFromEnv, nodeFetch, type Fetcher } from './download/fetcher';
import type { Dialogs } from './dialogs';
import { EvaluationService } from './evaluation-service';
import { ProjectorService } from './projector-service';
import { HandwritingService } from './handwriting/handwriting-service';
import { ModelLibrary, type Trash } from './model-library';
import { ModelService } from './model-service';
import { RunHistory } from './run-history';
import { sweepKilledWrites } from './startup-sweep';
import { TrainingService } from './training-service';
import { MeasuredSpeeds } from './training/measured-speed';
import { SweepService } from './sweeps/sweep-service';
import { LessonService } from './lessons/lesson-service';

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
  /** Shows a path in the system file manager (Electron's shell.showItemInFolder); absent, it says so. */
  reveal?: (target: string) => void;
  /** An installed package (not a clone): its hint about tfjs-node cannot suggest npm commands. */
  packaged?: boolean;
  /** Where Copy puts text; without one, copying fails saying so. */
  clipboard?: Clipboard;
}

/**
 * Every main-process service, wired to plain paths: Electron's entry and the e2e harness both call this.
 * `swept`: the startup sweep of killed writes' temporary files (the paths removed), never rejecting.
 */
export function createServices(options: ServiceOptions): Services & { swept: Promise<string[]> } {
  const probe = probeTrainingBackend(options.resolveModule);
  const { events, resourcesDir, userDataDir } = options;
  // Nothing of this process writes yet, so any old temporary file there is a killed write's.
  const swept = sweepKilledWrites(userDataDir).catch(() => []);
  const models = new ModelService({ resourcesDir, userDataDir, events });
  // Every panel with a dataset list hears of a download, an import and a deletion.
  const datasetsChanged = (): void => {
    void datasets.list().then((list) => events('dataset:list-changed', list));
  };
  const imports = new DatasetImportService({ userDataDir, dialogs: options.dialogs, onChanged: datasetsChanged, events });
  const datasets = new DatasetService({ resourcesDir, userDataDir, sources: [imports] });
  const downloads = new DatasetDownloadService({
    fetch: options.fetch ?? nodeFetch,
    userDataDir,
    events,
    mirrors: () => mirrorsFromEnv(process.env.MLP_LAB_DATASET_MIRRORS),
    onDownloaded: (id) => {
      datasets.forget(id);
      datasetsChanged();
    },
  });
  const runs = new RunHistory({ userDataDir, version: options.version, events, dialogs: options.dialogs });
  const training = new TrainingService({
    // The run history records every run from the very events the window sees; a sweep hears them
    // last, so a run's record is closed before the sweep starts the next.
    events: (event, payload) => {
      events(event, payload);
      runs.observe(event, payload);
      sweeps.observe(event, payload);
    },
    models,
    describeDataset: (id) => datasets.describe(id),
    spawnWorker: () => options.spawnWorker({ choiceCacheDir: userDataDir }),
  });
  const sweeps = new SweepService({ userDataDir, events, training, tagNextRun: (tag) => runs.tagNextRun(tag) });
  const library = new ModelLibrary({ models, dialogs: options.dialogs, trash: options.trash ?? noTrash, reveal: options.reveal });
  const evaluation = new EvaluationService({
    events,
    models,
    library,
    describeDataset: (id) => datasets.describe(id),
    worker: training.worker,
  });
  return {
    swept,
    appInfo: () => ({
      version: options.version,
      trainingBackend: probe.backend,
      backendHint: probe.hint && options.packaged ? PACKAGED_HINT : probe.hint,
      inferenceBackend: 'TensorFlow.js cpu (in the window)',
    }),
    models,
    library,
    datasets,
    downloads,
    imports,
    training,
    speeds: new MeasuredSpeeds({
      choiceCacheDir: userDataDir,
      runs,
      describeDataset: (id) => datasets.describe(id),
      pinned: () => training.status().pinnedBackend ?? null,
    }),
    evaluation,
    projector: new ProjectorService({ events, models, describeDataset: (id) => datasets.describe(id), worker: training.worker }),
    runs,
    sweeps,
    clipboard: options.clipboard ?? noClipboard,
    lessons: new LessonService({ resourcesDir, userDataDir, dialogs: options.dialogs, events }),
    handwriting: new HandwritingService({
      userDataDir,
      events,
      dialogs: options.dialogs,
      models,
      library,
      describeDataset: (id) => datasets.describe(id),
      evaluation,
      worker: training.worker,
    }),
  };
}

const noClipboard: Clipboard = {
  writeText: () => {
    throw new Error('there is no clipboard to copy to here');
  },
};

const PACKAGED_HINT =
  'This installed MLP Lab trains on WebAssembly and its training kernel; tfjs-node is not part of the package (README, Install, says why). A clone of the repository with npm run native:install can use it.';

const noTrash: Trash = (target) => Promise.reject(new Error(`${target}: there is no trash to move it to here`));

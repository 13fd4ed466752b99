import path from 'node:path';
import type { Handlers } from '../shared/ipc/contract';
import { classifyDrop } from './services/drop-classifier';
import type { AppInfo } from '../shared/app-info';
import type { DatasetDownloadService } from './services/dataset-download-service';
import type { DatasetImportService } from './services/dataset-import-service';
import type { DatasetService } from './services/dataset-service';
import type { EvaluationService } from './services/evaluation-service';
import type { HandwritingService } from './services/handwriting/handwriting-service';
import type { ModelLibrary } from './services/model-library';
import type { ProjectorService } from './services/projector-service';
import type { ModelService } from './services/model-service';
import type { RunHistory } from './services/run-history';
import type { TrainingService } from './services/training-service';
import type { MeasuredSpeeds } from './services/training/measured-speed';
import type { SweepService } from './services/sweeps/sweep-service';
import type { LessonService } from './services/lessons/lesson-service';

export interface Services {
  appInfo: () => AppInfo;
  models: ModelService;
  library: ModelLibrary;
  datasets: DatasetService;
  downloads: DatasetDownloadService;
  imports: DatasetImportService;
  training: TrainingService;
  /** This machine's measured training speeds, for the estimate before a run. */
  speeds: MeasuredSpeeds;
  evaluation: EvaluationService;
  runs: RunHistory;
  sweeps: SweepService;
  clipboard: Clipboard;
  handwriting: HandwritingService;
  projector: ProjectorService;
  lessons: LessonService;
}

/** The system clipboard: Electron's in the app, an in-memory one in the e2e harness. */
export interface Clipboard {
  writeText(text: string): void;
}

/** The handler table for every request channel: Electron's IPC and the e2e bridge both serve this. */
export function createHandlers(services: Services): Handlers {
  return {
    'app:get-info': async () => services.appInfo(),
    'app:diagnostics': async () => ({ trainingWorker: await services.training.worker.memory() }),
    'model:get-active': () => services.models.active(),
    'dataset:list': async () => services.datasets.list(),
    'dataset:get-samples': (request) => services.datasets.samples(request),
    'dataset:download': ({ datasetId }) => services.downloads.download(datasetId),
    'dataset:cancel-download': async ({ datasetId }) => services.downloads.cancel(datasetId),
    'dataset:get-labels': (request) => services.datasets.labels(request),
    'dataset:import-preview': ({ format, paths }) => services.imports.preview(format, paths),
    'files:classify-drop': ({ paths }) => classifyDrop(paths),
    'dataset:import-save': (request) => services.imports.save(request),
    'dataset:cancel-import': async () => services.imports.cancelPreview(),
    'dataset:list-imported': () => services.imports.list(),
    'dataset:delete-imported': ({ id }) => services.imports.remove(id),
    'training:get-status': async () => services.training.status(),
    'training:start': ({ spec, datasetId }) => services.training.start(spec, datasetId),
    'training:continue': ({ epochs }) => services.training.continue(epochs),
    'training:continue-model': async ({ id, epochs }) => {
      const { dir, files } = await services.library.locate(id);
      return services.training.continueSaved({ modelDir: dir, metadata: files.metadata }, epochs);
    },
    'training:stop': async () => services.training.stop(),
    'training:pin-backend': async (name) => services.training.pinBackend(name),
    'training:reset': async () => services.training.reset(),
    'training:measured-speed': ({ spec, datasetId }) => services.speeds.speedFor(spec, datasetId),
    'model:save': async ({ name }) => {
      const trainedBy = services.models.activeId;
      const saved = await services.models.save(name);
      // A model straight from training: its run in the history links to the library folder.
      await services.runs.linkSavedModel(trainedBy, { id: path.basename(saved.dir), name: saved.name });
      return saved;
    },
    'model:list': () => services.library.list(),
    'model:get': async ({ id }) => ({ id, ...(await services.library.read(id)) }),
    'model:load': ({ id }) => services.library.load(id),
    'model:rename': ({ id, name }) => services.library.rename(id, name),
    'model:duplicate': ({ id }) => services.library.duplicate(id),
    'model:delete': ({ id }) => services.library.remove(id),
    'model:export': ({ id, format }) => services.library.exportModel(id, format),
    'model:import': ({ kind, paths }) => (paths ? services.library.importDropped(paths) : services.library.importModel(kind)),
    'model:import-confirm': (request) => services.library.confirmImport(request),
    'model:show-in-folder': ({ id }) => services.library.showInFolder(id),
    'evaluation:evaluate': () => services.evaluation.evaluate(),
    'evaluation:robustness': (request) => services.evaluation.robustness(request),
    'evaluation:compare': (request) => services.evaluation.compare(request),
    'evaluation:cancel': async () => services.evaluation.cancel(),
    'projector:map': (request) => services.projector.project(request),
    'projector:cancel': async () => services.projector.cancel(),
    'projector:nearest': (request) => services.projector.nearest(request),
    'runs:list': () => services.runs.list(),
    'runs:delete': ({ id }) => services.runs.remove(id),
    'runs:set-note': ({ id, note }) => services.runs.setNote(id, note),
    'sweep:start': (request) => services.sweeps.start(request),
    'sweep:cancel': async () => services.sweeps.cancel(),
    'sweep:get-progress': async () => services.sweeps.progress(),
    'sweep:list': () => services.sweeps.list(),
    'sweep:set-note': ({ id, note }) => services.sweeps.setNote(id, note),
    'app:copy-text': async ({ text }) => services.clipboard.writeText(text),
    'handwriting:list': () => services.handwriting.list(),
    'handwriting:save': (request) => services.handwriting.save(request),
    'handwriting:relabel': ({ id, label }) => services.handwriting.relabel(id, label),
    'handwriting:delete': ({ ids }) => services.handwriting.remove(ids),
    'handwriting:export': () => services.handwriting.exportSet(),
    'handwriting:import': () => services.handwriting.importSet(),
    'handwriting:rebuild': () => services.handwriting.rebuild(),
    'handwriting:evaluate': () => services.handwriting.evaluate(),
    'handwriting:finetune': (options) => services.handwriting.finetune(options),
    'handwriting:keep': ({ token, activate }) => services.handwriting.keep(token, activate),
    'handwriting:discard': async ({ token }) => services.handwriting.discard(token),
    'lessons:list': () => services.lessons.list(),
    'lessons:get': ({ id }) => services.lessons.get(id),
    'lessons:import': ({ paths }) => services.lessons.importPicked(paths),
    'lessons:set-progress': ({ id, progress }) => services.lessons.setProgress(id, progress),
    'lessons:reset': ({ id }) => services.lessons.reset(id),
    'lessons:export': ({ id }) => services.lessons.exportLesson(id),
    'lessons:delete': ({ id }) => services.lessons.remove(id),
  };
}

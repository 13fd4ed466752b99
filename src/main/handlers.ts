import type { Handlers } from '../shared/ipc/contract';
import type { AppInfo } from '../shared/app-info';
import type { DatasetDownloadService } from './services/dataset-download-service';
import type { DatasetImportService } from './services/dataset-import-service';
import type { DatasetService } from './services/dataset-service';
import type { EvaluationService } from './services/evaluation-service';
import type { HandwritingService } from './services/handwriting/handwriting-service';
import type { ModelLibrary } from './services/model-library';
import type { ModelService } from './services/model-service';
import type { TrainingService } from './services/training-service';

export interface Services {
  appInfo: () => AppInfo;
  models: ModelService;
  library: ModelLibrary;
  datasets: DatasetService;
  downloads: DatasetDownloadService;
  imports: DatasetImportService;
  training: TrainingService;
  evaluation: EvaluationService;
  handwriting: HandwritingService;
}

/** The handler table for every request channel: Electron's IPC and the e2e bridge both serve this. */
export function createHandlers(services: Services): Handlers {
  return {
    'app:get-info': async () => services.appInfo(),
    'model:get-active': () => services.models.active(),
    'dataset:list': async () => services.datasets.list(),
    'dataset:get-samples': (request) => services.datasets.samples(request),
    'dataset:download': ({ datasetId }) => services.downloads.download(datasetId),
    'dataset:cancel-download': async ({ datasetId }) => services.downloads.cancel(datasetId),
    'dataset:get-labels': (request) => services.datasets.labels(request),
    'dataset:import-preview': ({ format }) => services.imports.preview(format),
    'dataset:import-save': (request) => services.imports.save(request),
    'dataset:list-imported': () => services.imports.list(),
    'dataset:delete-imported': ({ id }) => services.imports.remove(id),
    'training:get-status': async () => services.training.status(),
    'training:start': ({ spec, datasetId }) => services.training.start(spec, datasetId),
    'training:continue': ({ epochs }) => services.training.continue(epochs),
    'training:stop': async () => services.training.stop(),
    'training:reset': async () => services.training.reset(),
    'model:save': ({ name }) => services.models.save(name),
    'model:list': () => services.library.list(),
    'model:load': ({ id }) => services.library.load(id),
    'model:rename': ({ id, name }) => services.library.rename(id, name),
    'model:duplicate': ({ id }) => services.library.duplicate(id),
    'model:delete': ({ id }) => services.library.remove(id),
    'model:export': ({ id, format }) => services.library.exportModel(id, format),
    'model:import': ({ kind }) => services.library.importModel(kind),
    'evaluation:evaluate': () => services.evaluation.evaluate(),
    'evaluation:robustness': (request) => services.evaluation.robustness(request),
    'evaluation:cancel': async () => services.evaluation.cancel(),
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
  };
}

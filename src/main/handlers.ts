import type { Handlers } from '../shared/ipc/contract';
import type { AppInfo } from '../shared/app-info';
import type { DatasetService } from './services/dataset-service';
import type { EvaluationService } from './services/evaluation-service';
import type { ModelService } from './services/model-service';
import type { TrainingService } from './services/training-service';

export interface Services {
  appInfo: () => AppInfo;
  models: ModelService;
  datasets: DatasetService;
  training: TrainingService;
  evaluation: EvaluationService;
}

/** The handler table for every request channel: Electron's IPC and the e2e bridge both serve this. */
export function createHandlers(services: Services): Handlers {
  return {
    'app:get-info': async () => services.appInfo(),
    'model:get-active': () => services.models.active(),
    'dataset:list': async () => services.datasets.list(),
    'dataset:get-samples': (request) => services.datasets.samples(request),
    'training:get-status': async () => services.training.status(),
    'training:start': ({ spec, datasetId }) => services.training.start(spec, datasetId),
    'training:continue': ({ epochs }) => services.training.continue(epochs),
    'training:stop': async () => services.training.stop(),
    'training:reset': async () => services.training.reset(),
    'model:save': ({ name }) => services.models.save(name),
    'evaluation:evaluate': () => services.evaluation.evaluate(),
    'evaluation:robustness': (request) => services.evaluation.robustness(request),
    'evaluation:cancel': async () => services.evaluation.cancel(),
  };
}

import type { EventSink } from '../../shared/ipc/contract';
import type { Services } from '../handlers';
import { probeTrainingBackend } from '../ml/backend';
import { DatasetService } from './dataset-service';
import { ModelService } from './model-service';

export interface ServiceOptions {
  /** The app's bundled resources: datasets/mnist, models/default. */
  resourcesDir: string;
  /** Per-user writable folder: downloaded datasets, the model library. */
  userDataDir: string;
  version: string;
  events: EventSink;
  /** Module resolution, to see whether tfjs-node is installed without loading it. */
  resolveModule: (id: string) => string;
}

/** Every main-process service, wired to plain paths: Electron's entry and the e2e harness both call this. */
export function createServices(options: ServiceOptions): Services {
  const probe = probeTrainingBackend(options.resolveModule);
  return {
    appInfo: () => ({
      version: options.version,
      trainingBackend: probe.backend,
      backendHint: probe.hint,
      inferenceBackend: 'TensorFlow.js cpu (in the window)',
    }),
    models: new ModelService({ resourcesDir: options.resourcesDir, events: options.events }),
    datasets: new DatasetService({ resourcesDir: options.resourcesDir, userDataDir: options.userDataDir }),
  };
}

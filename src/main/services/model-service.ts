import path from 'node:path';
import type { EventSink, ModelPayload } from '../../shared/ipc/contract';
import { readModelFiles, type ModelFiles } from '../ml/persist';

export const DEFAULT_MODEL_ID = 'default';

/**
 * Holds the active model: at start the default one from the app's resources, later whatever the user
 * trains or loads. Knows nothing of Electron; events go out through the sink it is given.
 */
export class ModelService {
  private activeFiles: Promise<ModelFiles> | null = null;
  private activeId = DEFAULT_MODEL_ID;

  constructor(
    private readonly options: { resourcesDir: string; events: EventSink },
  ) {}

  get defaultModelDir(): string {
    return path.join(this.options.resourcesDir, 'models', DEFAULT_MODEL_ID);
  }

  /** The active model's files; the default model is read on first use. */
  async active(): Promise<ModelPayload> {
    this.activeFiles ??= readModelFiles(this.defaultModelDir).catch((error: unknown) => {
      this.activeFiles = null;
      throw error;
    });
    const files = await this.activeFiles;
    return { id: this.activeId, metadata: files.metadata, modelJson: files.modelJson, weights: files.weights };
  }

  /** Makes `files` the active model and tells the renderer. */
  setActive(id: string, files: ModelFiles): void {
    this.activeId = id;
    this.activeFiles = Promise.resolve(files);
    this.options.events('model:changed', { id, name: files.metadata.name });
  }
}

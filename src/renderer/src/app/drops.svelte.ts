import type { ImportFormat } from '$shared/datasets/imported';
import { MAX_DROPPED_PATHS } from '$shared/drop';
import type { Api } from '$shared/ipc/contract';
import type { AppState } from './app-state.svelte';

export type DropApi = Pick<Api, 'pathsForFiles' | 'classifyDrop'>;

/**
 * Files dropped anywhere on the window go to the import that takes them: main tells a dataset from a
 * model, the app moves to that panel, and the panel's own import reads the files, so a drop and the
 * open dialog end in the same preview or the same checks.
 */
export class Drops {
  /** Files are being dragged over the window: the drop overlay shows. */
  over = $state(false);
  #dataset: ((paths: string[], format: ImportFormat) => Promise<void>) | null = null;
  #model: ((paths: string[]) => Promise<void>) | null = null;
  #lesson: ((paths: string[]) => Promise<void>) | null = null;

  constructor(private readonly app: AppState) {}

  /** The Data panel's import takes dropped datasets. */
  onDataset(handler: (paths: string[], format: ImportFormat) => Promise<void>): void {
    this.#dataset = handler;
  }

  /** The Models panel's import takes dropped models. */
  onModel(handler: (paths: string[]) => Promise<void>): void {
    this.#model = handler;
  }

  /** The lessons drawer's import takes a dropped lesson file. */
  onLesson(handler: (paths: string[]) => Promise<void>): void {
    this.#lesson = handler;
  }

  async drop(api: DropApi, files: readonly File[]): Promise<void> {
    this.over = false;
    const paths = api.pathsForFiles(files).filter((p) => p !== '');
    if (paths.length === 0) {
      this.app.report('Only files and folders from this computer can be dropped here');
      return;
    }
    if (paths.length > MAX_DROPPED_PATHS) {
      this.app.report(`Drop at most ${MAX_DROPPED_PATHS} files at a time (${paths.length} were dropped)`);
      return;
    }
    try {
      const found = await api.classifyDrop({ paths });
      if (found.target === null) {
        this.app.report('Nothing to import', new Error(found.reason));
      } else if (found.target === 'dataset' && this.#dataset) {
        this.app.panel = 'data';
        await this.#dataset(paths, found.format);
      } else if (found.target === 'model' && this.#model) {
        this.app.panel = 'models';
        await this.#model(paths);
      } else if (found.target === 'lesson' && this.#lesson) {
        await this.#lesson(paths);
      }
    } catch (error) {
      this.app.report('Could not import what was dropped', error);
    }
  }
}

import type { Api } from '$shared/ipc/contract';
import type { LibraryModel, SavedModel } from '$shared/models';
import type { ModelMetadata } from '$shared/model-metadata';
import { plainFileError } from './plain-error';
import { errorText } from './error-text';

/** The part of window.api the status bar's model switcher uses, so tests can hand it a fake. */
export type SwitcherApi = Pick<Api, 'listModels' | 'loadModel' | 'saveModel' | 'onModelChanged'>;

export interface RecentModel {
  id: string;
  name: string;
  /** Known once the model has been active in this window (its metadata), to tell same-named runs apart. */
  testAccuracy: number | null;
  datasetId: string | null;
  /** When the model was made (metadata.created), as the list shows it. */
  created: string | null;
}

/** As many as main keeps loadable (RECENT_RUNS in model-service.ts). */
export const RECENT_MODELS = 5;

/**
 * The status bar's model menu: the bundled default, the models trained this session (newest first),
 * and the saved ones; loading one makes it the active model, and the active one can always be saved.
 */
export class ModelSwitcher {
  /** Models trained this session, seen through model:changed; library models are listed apart. */
  recent = $state.raw<readonly RecentModel[]>([]);
  library = $state.raw<readonly LibraryModel[]>([]);
  busy = $state(false);
  error = $state<string | null>(null);
  saved = $state.raw<SavedModel | null>(null);
  #api: SwitcherApi | null = null;

  connect(api: SwitcherApi): () => void {
    this.#api = api;
    void this.refresh();
    return api.onModelChanged(({ id, name }) => this.#seen(id, name));
  }

  async refresh(): Promise<void> {
    const api = this.#api;
    if (!api) return;
    try {
      this.library = (await api.listModels()).models;
    } catch (error) {
      this.error = `Could not list the saved models: ${errorText(error)}`;
    }
  }

  load(id: string): Promise<void> {
    return this.#run(async (api) => {
      await api.loadModel({ id });
    });
  }

  /** Saves the active model under `name` (trimmed; a blank one is refused here, not saved as "-2"). */
  save(name: string): Promise<void> {
    const trimmed = name.trim();
    if (trimmed === '') {
      this.error = 'Give the model a name to save it under.';
      return Promise.resolve();
    }
    return this.#run(async (api) => {
      this.saved = await api.saveModel({ name: trimmed });
      await this.refresh();
    });
  }

  /**
   * Fills in what the menu says of a recent model once its metadata is known (it is active: every
   * trained model is, when its run ends).
   */
  describe(id: string | null, metadata: Pick<ModelMetadata, 'name' | 'metrics' | 'datasetId' | 'created'> | null): void {
    if (id === null || !metadata) return;
    const index = this.recent.findIndex((m) => m.id === id);
    if (index < 0) return;
    const old = this.recent[index];
    const next: RecentModel = { id, name: metadata.name, testAccuracy: metadata.metrics.testAccuracy ?? null, datasetId: metadata.datasetId, created: metadata.created };
    if (old.name === next.name && old.testAccuracy === next.testAccuracy && old.datasetId === next.datasetId && old.created === next.created) return;
    this.recent = this.recent.with(index, next);
  }

  #seen(id: string, name: string): void {
    // The default and saved models have their own list; a rename of one must not make it "recent".
    if (id === 'default' || this.library.some((m) => m.id === id)) return;
    const index = this.recent.findIndex((m) => m.id === id);
    // A list that reordered on every switch made "the second one" a different model each click: a model
    // keeps its place, newest trained first (a Continue of a run keeps its id and its place).
    if (index >= 0) {
      if (this.recent[index].name !== name) this.recent = this.recent.with(index, { ...this.recent[index], name });
      return;
    }
    const entry: RecentModel = { id, name, testAccuracy: null, datasetId: null, created: null };
    this.recent = [entry, ...this.recent].slice(0, RECENT_MODELS);
  }

  async #run(action: (api: SwitcherApi) => Promise<void>): Promise<void> {
    const api = this.#api;
    if (!api || this.busy) return;
    this.busy = true;
    this.error = null;
    this.saved = null;
    try {
      await action(api);
    } catch (error) {
      this.error = plainFileError(errorText(error));
    } finally {
      this.busy = false;
    }
  }
}

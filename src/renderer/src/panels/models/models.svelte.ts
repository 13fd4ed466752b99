import type { Api } from '$shared/ipc/contract';
import type { ImportedLibraryModel, ModelImportPreview, ModelListing } from '$shared/models';
import type { Normalization } from '$shared/model-spec';
import { CompareState, type CompareApi } from './compare.svelte';
import { classNamesProblem, parseClassNames } from './import-metadata';
import type { AppState } from '../../app/app-state.svelte';
import type { Drops } from '../../app/drops.svelte';
import { sortModels, type SortKey } from './sort-models';
import { errorText } from '../../app/error-text';
import type { PanelActions } from '../../app/panel-actions';
import { Latest } from '../../lib/latest';

export type LibraryApi = Pick<
  Api,
  'listModels' | 'loadModel' | 'renameModel' | 'duplicateModel' | 'deleteModel' | 'exportModel' | 'importModel' | 'confirmModelImport' | 'showModelInFolder' | 'onModelChanged'
> &
  CompareApi;

/** The Models tab: the library listing, its order, and the action in progress with its outcome. */
export class ModelsState {
  listing = $state.raw<ModelListing | null>(null);
  sortKey = $state<SortKey>('created');
  descending = $state(true);
  busy = $state(false);
  /** What the last action did ("Exported to …"), or why it failed. */
  notice = $state<string | null>(null);
  error = $state<string | null>(null);
  importError = $state<string | null>(null);
  /** An imported model without metadata, waiting for its class names and normalisation. */
  pendingImport = $state.raw<ModelImportPreview | null>(null);
  importClassNames = $state('');
  importNormalization = $state<Normalization>('divide255');
  #api: LibraryApi | null = null;
  readonly #listing = new Latest();

  /** Where Continue hands a model over to the Train tab (app-wide state: panels never import each other). */
  readonly #handoff: Pick<AppState, 'requestContinue'> | null;

  /** `app` takes a model to continue over to Train; `drops` hands this tab the models dropped on the window. */
  constructor(
    services: {
      app?: Pick<AppState, 'requestContinue'>;
      drops?: Pick<Drops, 'onModel'>;
      actions?: Pick<PanelActions, 'on'>;
      classifier?: { readonly modelId: string | null };
    } = {},
  ) {
    this.#handoff = services.app ?? null;
    services.drops?.onModel((paths) => this.importModel('file', paths));
    // The application menu's File items, and model bundles the system opens with the app.
    services.actions?.on('import-model', () => this.importModel('file'));
    services.actions?.on('import-model-file', (path) => this.importModel('file', [path]));
    services.actions?.on('export-model', () => this.exportActive(services.classifier?.modelId ?? null));
  }

  /** File → Export Model…: the active model, when it is one of the library's. */
  async exportActive(activeId: string | null): Promise<void> {
    if (this.listing === null) await this.refresh();
    const saved = this.listing?.models.find((model) => model.id === activeId);
    if (saved) return this.exportModel(saved.id, 'zip');
    this.notice = null;
    this.error = 'The active model is not saved in the library: save it from the Train tab, or pick a model below and press Export.';
  }

  /** The Compare view: two models of the library side by side. */
  readonly compare = new CompareState();

  readonly importNames = $derived(parseClassNames(this.importClassNames));
  readonly importProblem = $derived(this.pendingImport ? classNamesProblem(this.importNames, this.pendingImport.outputs) : null);

  readonly models = $derived(this.listing ? sortModels(this.listing.models, this.sortKey, this.descending) : []);

  connect(api: LibraryApi): () => void {
    this.#api = api;
    void this.refresh();
    const disconnect = this.compare.connect(api);
    // A load elsewhere (Train, another window) changes which row is active; a rename changes names.
    const off = api.onModelChanged(() => void this.refresh());
    return () => {
      off();
      disconnect();
    };
  }

  sortBy(key: SortKey): void {
    if (this.sortKey === key) this.descending = !this.descending;
    else [this.sortKey, this.descending] = [key, key !== 'name'];
  }

  async refresh(): Promise<void> {
    if (!this.#api) return;
    // An older listing arriving after a newer one must not bring back a deleted model.
    const request = this.#listing.next();
    try {
      const listing = await this.#api.listModels();
      if (request.current) this.listing = listing;
    } catch (error) {
      if (request.current) this.error = errorText(error);
    }
  }

  /**
   * Runs one action at a time; the list is read again, then its outcome lands in notice or error, so a
   * notice never describes a list that is not on screen yet.
   */
  async #run(action: (api: LibraryApi) => Promise<string | null>): Promise<void> {
    const api = this.#api;
    if (!api || this.busy) return;
    this.busy = true;
    this.error = null;
    this.notice = null;
    let notice: string | null = null;
    let failure: string | null = null;
    try {
      notice = await action(api);
    } catch (error) {
      failure = errorText(error);
    } finally {
      this.busy = false;
      await this.refresh();
    }
    this.notice = notice;
    if (failure !== null) this.error = failure;
  }

  load = (id: string): Promise<void> => this.#run(async (api) => (await api.loadModel({ id }), null));
  /** Makes the model active, then opens the Train tab on it; Train shows what continuing it will do. */
  continueModel = (id: string, name: string): Promise<void> =>
    this.#run(async (api) => {
      await api.loadModel({ id });
      this.#handoff?.requestContinue({ id, name });
      return null;
    });
  rename = (id: string, name: string): Promise<void> => this.#run(async (api) => `Renamed to “${(await api.renameModel({ id, name })).name}”`);
  duplicate = (id: string): Promise<void> => this.#run(async (api) => `Duplicated as “${(await api.duplicateModel({ id })).name}”`);
  remove = (id: string): Promise<void> => this.#run(async (api) => ((await api.deleteModel({ id })) ? 'Moved to the trash' : null));
  exportModel = (id: string, format: 'folder' | 'zip'): Promise<void> =>
    this.#run(async (api) => {
      const done = await api.exportModel({ id, format });
      return done ? `Exported to ${done.path}` : null;
    });

  /** Opens the system file manager at a saved model's folder. */
  showInFolder = (id: string): Promise<void> => this.#run(async (api) => (await api.showModelInFolder({ id }), null));

  /** Imports the files dropped on the window, or else those picked in the open dialog. */
  importModel = async (kind: 'file' | 'folder', paths?: string[]): Promise<void> => {
    const api = this.#api;
    if (!api || this.busy) return;
    this.importError = null;
    this.pendingImport = null;
    await this.#run(async () => {
      try {
        const done = await api.importModel({ kind, paths });
        if (!done) return null;
        if (done.status === 'imported') return importedNotice(done.imported);
        // Nothing is added yet: the preview asks what the model's outputs and inputs mean.
        this.pendingImport = done.preview;
        this.importClassNames = done.preview.defaults.classNames.join(', ');
        this.importNormalization = done.preview.defaults.normalization;
        return null;
      } catch (error) {
        this.importError = errorText(error);
        return null;
      }
    });
  };

  /** Adds the previewed model with the class names and normalisation given; a refusal keeps the preview. */
  confirmImport = async (): Promise<void> => {
    const pending = this.pendingImport;
    if (!pending || this.importProblem !== null) return;
    const request = { token: pending.token, classNames: [...this.importNames], normalization: this.importNormalization };
    this.importError = null;
    await this.#run(async (api) => {
      try {
        const done = await api.confirmModelImport(request);
        this.pendingImport = null;
        return importedNotice(done);
      } catch (error) {
        this.importError = errorText(error);
        return null;
      }
    });
  };

  cancelImport = (): void => {
    this.pendingImport = null;
  };
}

function importedNotice(done: ImportedLibraryModel): string {
  const assumed = done.assumed.length > 0 ? ` (assumed: ${done.assumed.join(', ')})` : '';
  return `Imported “${done.model.name}”${assumed}`;
}

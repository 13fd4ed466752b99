import { lstat, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { ImportedLibraryModel, LibraryModel, ModelImportOutcome, ModelListing } from '../../shared/models';
import type { Normalization } from '../../shared/model-spec';
import { markedName } from '../../shared/model-metadata';
import { readModelFiles, writeModelFiles, type ModelFiles } from '../../engine/ml/model-files';
import type { Dialogs } from './dialogs';
import { LIBRARY_ID, LibraryDebris, leftoversOf, removeAll } from './library-debris';
import { exportFolder, exportZip, sourceFromPath, sourceFromZip } from './model-archive';
import { importModel, withMetadata } from './model-import';
import { DEFAULT_MODEL_ID, slug, type ModelService } from './model-service';
import { savingInto } from './disk-full';
import { fileTypeOf, FILE_TYPES } from '$shared/file-types';

/** An exported model bundle (.mlpmodel): a zip under the extension the desktop associates with MLP Lab. */
const isModelBundle = (file: string): boolean => fileTypeOf(file) === 'model';

/** Moves a file or folder to the OS trash (Electron's shell.trashItem in the app, a fake in tests). */
export type Trash = (target: string) => Promise<void>;

/** Previewed imports kept waiting for their class names, and for how long. */
const MAX_PENDING = 4;
const PENDING_MS = 30 * 60_000;

/**
 * The model library: the folders under <userData>/models, plus the bundled default (listed, loaded,
 * duplicated and exported, never renamed or deleted). Each model's folder name is its id.
 */
export class ModelLibrary {
  /** Imports without metadata waiting for confirmation, by token, oldest first. */
  private readonly pending = new Map<string, { file: string; files: ModelFiles; since: number }>();

  constructor(
    private readonly options: { models: ModelService; dialogs: Dialogs; trash: Trash; reveal?: (target: string) => void; now?: () => number },
  ) {}

  private get dir(): string {
    return this.options.models.libraryDir;
  }

  /** Every readable model; unreadable folders are reported, and debris of killed saves is cleared. */
  async list(): Promise<ModelListing> {
    const models: LibraryModel[] = [summarize(DEFAULT_MODEL_ID, await this.options.models.defaultModel(), true)];
    const problems: ModelListing['problems'] = [];
    const names = await readdir(this.dir).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [];
      problems.push({ folder: this.dir, message: error.code === 'ENOTDIR' ? 'is a file, not a folder' : `cannot be read (${error.code})` });
      return [];
    });
    const debris = await LibraryDebris.scan(this.dir, names, this.now(), (id, task) => this.locked(id, task));
    const sorted = [...(await debris.restore(names))].sort();
    const readable = new Set<string>();
    for (const name of sorted.filter((n) => LIBRARY_ID.test(n))) {
      const folder = path.join(this.dir, name);
      try {
        models.push(summarize(name, await readModelFiles(folder), false));
        readable.add(name);
      } catch (error) {
        // A folder a save is still filling reads as broken for a moment: not a problem to report.
        if (debris.isBusy(name) || (await debris.clear(name, readable, problems))) continue;
        problems.push({ folder, message: (error as Error).message });
      }
    }
    // After the models: a save's .tmp- or .old- goes only once its model is known to be readable in place.
    for (const name of sorted.filter((n) => !LIBRARY_ID.test(n))) await debris.clear(name, readable, problems);
    return { models, problems };
  }

  private folder(id: string): string {
    if (id === DEFAULT_MODEL_ID || !LIBRARY_ID.test(id)) throw new Error(`"${id.slice(0, 80)}" is not a model of the library`);
    return path.join(this.dir, id);
  }

  /** A model's files by library id, the bundled default included. */
  read(id: string): Promise<ModelFiles> {
    if (id === DEFAULT_MODEL_ID) return this.options.models.defaultModel();
    // A model trained this session, not saved yet: the status bar's switcher brings it back by run id.
    const recent = this.options.models.recentRun(id);
    return recent ? Promise.resolve(recent) : readModelFiles(this.folder(id));
  }

  /** A model's folder (the bundled default's is in the app's resources) and its files, read and checked. */
  async locate(id: string): Promise<{ dir: string; files: ModelFiles }> {
    const dir = id === DEFAULT_MODEL_ID ? this.options.models.defaultModelDir : this.folder(id);
    return { dir, files: await this.read(id) };
  }

  /** Makes a model the active one: Draw, Gallery and Weights follow through model:changed. */
  async load(id: string): Promise<void> {
    this.options.models.setActive(id, await this.read(id));
  }

  /** Runs a change of one library model after any other change of it still under way. */
  private locked<T>(id: string, task: () => Promise<T>): Promise<T> {
    return this.options.models.locks.run(id, task);
  }

  async rename(id: string, name: string): Promise<LibraryModel> {
    const folder = this.folder(id);
    return this.locked(id, async () => {
      const files = await readModelFiles(folder);
      const renamed = { ...files, metadata: { ...files.metadata, name } };
      await savingInto(this.dir, () => writeModelFiles(folder, renamed));
      if (this.options.models.activeId === id) this.options.models.setActive(id, renamed);
      return summarize(id, renamed, false);
    });
  }

  async duplicate(id: string): Promise<LibraryModel> {
    // Read under the lock: mid-rename, the folder is missing for an instant between two renames.
    const files = id === DEFAULT_MODEL_ID ? await this.read(id) : await this.locked(id, () => this.read(id));
    return this.add({ ...files, metadata: { ...files.metadata, name: markedName(files.metadata.name, ' (copy)') } });
  }

  /** "Show in folder": the file manager opens at the saved model's folder (the default has none to show). */
  async showInFolder(id: string): Promise<void> {
    const folder = this.folder(id);
    const info = await lstat(folder).catch(() => null);
    if (!info?.isDirectory()) throw new Error(`The model "${id}" is not in the library any more`);
    if (!this.options.reveal) throw new Error(`${folder}: there is no file manager to show it in here`);
    this.options.reveal(folder);
  }

  /** Asks, then moves the model's folder to the trash. False when the user said no. */
  async remove(id: string): Promise<boolean> {
    const folder = this.folder(id);
    const { metadata } = await readModelFiles(folder).catch(() => ({ metadata: { name: id } }));
    const yes = await this.options.dialogs.confirm({
      title: 'Delete model',
      message: `Delete “${metadata.name}”?`,
      detail: `Its folder ${folder} goes to the trash.`,
      confirmLabel: 'Delete',
    });
    if (!yes) return false;
    // The question is asked outside the lock (a user may take minutes); the delete itself is inside it,
    // so a rename or save of this id runs wholly before it or wholly after (and then finds no model).
    return this.locked(id, async () => {
      const leftovers = await leftoversOf(this.dir, id);
      await this.options.trash(folder);
      // Only once the model is in the trash: a failed delete keeps every copy.
      await removeAll(leftovers);
      return true;
    });
  }

  /** Exports a model as a folder or one zip where the save dialog says; null when cancelled. */
  async exportModel(id: string, format: 'folder' | 'zip'): Promise<{ path: string } | null> {
    const files = await this.read(id);
    const target = await this.options.dialogs.savePath({
      title: format === 'zip' ? 'Export model as zip' : 'Export model to a folder',
      defaultName: format === 'zip' ? `${slug(files.metadata.name) || 'model'}.zip` : slug(files.metadata.name) || 'model',
      filters: format === 'zip' ? [{ name: 'Zip archive', extensions: ['zip'] }] : undefined,
    });
    if (target === null) return null;
    await savingInto(path.dirname(target), () => (format === 'zip' ? exportZip(target, files) : exportFolder(target, files)));
    return { path: target };
  }

  /** Imports a model.json (with its shards), a zip or a folder chosen in the open dialog; null when cancelled. */
  async importModel(kind: 'file' | 'folder'): Promise<ModelImportOutcome | null> {
    const [chosen] = await this.options.dialogs.openPaths({
      title: kind === 'folder' ? 'Import a model folder' : 'Import model.json or a zip',
      kind,
      filters: kind === 'file' ? [{ name: 'TensorFlow.js model', extensions: ['json', 'zip', FILE_TYPES.model.ext] }] : undefined,
    });
    if (chosen === undefined) return null;
    return this.importPath(chosen);
  }

  /**
   * Imports what was dropped on the window: a folder or a zip, or a model.json with its shards beside
   * it (the shards are found from the manifest, wherever they were in the drop's list).
   */
  async importDropped(paths: readonly string[]): Promise<ModelImportOutcome> {
    const main = paths.find((p) => /\.(json|zip)$/i.test(p) || isModelBundle(p)) ?? paths[0];
    return this.importPath(main);
  }

  /**
   * Imports from a path (dialog or drag and drop): checked in full before anything enters the library.
   * A model without metadata.json is held until the user gives its class names and normalisation.
   */
  async importPath(chosen: string): Promise<ModelImportOutcome> {
    const info = await stat(chosen).catch(() => null);
    if (!info) throw new Error(`${chosen} is missing`);
    const source = (/\.zip$/i.test(chosen) || isModelBundle(chosen)) && info.isFile() ? await sourceFromZip(chosen) : await sourceFromPath(chosen, info.isDirectory());
    const { files, assumed, metadataMissing } = await importModel(source);
    if (!metadataMissing) return { status: 'imported', imported: { model: await this.add(files), assumed } };
    const token = randomUUID();
    this.pending.set(token, { file: source.file, files, since: this.now() });
    // Bounded: previews nobody confirmed must not pile up (each holds a model's weights).
    for (const [old, entry] of this.pending) {
      if (this.pending.size <= MAX_PENDING && this.now() - entry.since < PENDING_MS) break;
      this.pending.delete(old);
    }
    const summary = summarize('preview', files, false);
    const { classNames, normalization, datasetId, name } = files.metadata;
    return {
      status: 'needs-metadata',
      preview: { token, file: source.file, name, architecture: summary.architecture, outputs: classNames.length, datasetId, defaults: { classNames, normalization } },
    };
  }

  /** Adds a previewed model without metadata under the class names and normalisation the user chose. */
  async confirmImport(request: { token: string; classNames: string[]; normalization: Normalization }): Promise<ImportedLibraryModel> {
    const entry = this.pending.get(request.token);
    if (!entry || this.now() - entry.since >= PENDING_MS) {
      this.pending.delete(request.token);
      throw new Error('This import is no longer pending: import the model again');
    }
    const files = withMetadata(entry.file, entry.files, request);
    this.pending.delete(request.token);
    const assumed = files.metadata.datasetId === 'mnist' ? ['the MNIST dataset'] : ['no dataset'];
    return { model: await this.add(files), assumed };
  }

  /** `name`, or `name (n)` with the smallest n from 2 that no listed model has. */
  private async freeName(name: string): Promise<string> {
    const taken = new Set((await this.list()).models.map((m) => m.name));
    if (!taken.has(name)) return name;
    for (let n = 2; ; n++) {
      const candidate = markedName(name, ` (${n})`);
      if (!taken.has(candidate)) return candidate;
    }
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  /**
   * Copies files into a new library folder, atomically (writeModelFiles), under its id's lock; the
   * claimed folder goes on failure. A name the library already has gets a number ("Mine (2)"), as a file
   * manager does: a re-imported model named as the one it came from could not be told apart in Compare's
   * pickers.
   */
  async add(files: ModelFiles): Promise<LibraryModel> {
    files = { ...files, metadata: { ...files.metadata, name: await this.freeName(files.metadata.name) } };
    const folder = await this.options.models.claimFolder(slug(files.metadata.name) || 'model', (dir) => writeModelFiles(dir, files));
    return summarize(path.basename(folder), files, false);
  }
}

/** What the list shows of a model, from its files. */
export function summarize(id: string, files: ModelFiles, builtIn: boolean): LibraryModel {
  const { metadata, modelJson } = files;
  const kernels = modelJson.weightsManifest.flatMap((g) => g.weights).filter((w) => w.shape.length === 2);
  const sizes = kernels.length > 0 ? [kernels[0].shape[0], ...kernels.map((k) => k.shape[1])] : [];
  const parameters = modelJson.weightsManifest.flatMap((g) => g.weights).reduce((n, w) => n + w.shape.reduce((a, b) => a * b, 1), 0);
  const curve = metadata.history.map((log) => log.valAccuracy ?? log.accuracy).filter(Number.isFinite);
  const step = Math.max(1, Math.ceil(curve.length / 200));
  return {
    id,
    name: metadata.name,
    builtIn,
    architecture: sizes.join('-'),
    parameters,
    datasetId: metadata.datasetId,
    testAccuracy: metadata.metrics.testAccuracy ?? null,
    epochs: metadata.epochsTrained,
    created: metadata.created,
    backend: metadata.backend,
    curve: curve.filter((_, i) => i % step === 0),
  };
}

import { mkdir, readdir, rmdir } from 'node:fs/promises';
import path from 'node:path';
import type { EventSink } from '../../shared/ipc/contract';
import type { ModelPayload, SavedModel } from '../../shared/models';
import { readModelFiles, writeModelFiles, type ModelFiles } from '../../engine/ml/model-files';
import { KeyedLock } from './keyed-lock';
import { idsWithLeftovers } from './library-debris';
import { savingInto } from './disk-full';

export const DEFAULT_MODEL_ID = 'default';
/** Trained models kept for switching back to, per session. */
export const RECENT_RUNS = 5;

/**
 * Holds the active model: at start the default one from the app's resources, later whatever the user
 * trains or loads. Knows nothing of Electron; events go out through the sink it is given.
 */
export class ModelService {
  private activeFiles: Promise<ModelFiles> | null = null;
  private defaultFiles: Promise<ModelFiles> | null = null;
  private currentId = DEFAULT_MODEL_ID;
  /** This session's trained models, newest last, so the status bar can switch back to one unsaved. */
  private readonly recentRuns = new Map<string, ModelFiles>();
  /**
   * Every change to a library folder (save, rename, delete, duplicate's read, import, putting back a
   * killed save) runs under its id's lock, so two changes of one model never interleave.
   */
  readonly locks = new KeyedLock();

  constructor(
    private readonly options: { resourcesDir: string; userDataDir: string; events: EventSink },
  ) {}

  get defaultModelDir(): string {
    return path.join(this.options.resourcesDir, 'models', DEFAULT_MODEL_ID);
  }

  /** The active model's files; the default model is read on first use. */
  async active(): Promise<ModelPayload> {
    this.activeFiles ??= this.defaultModel().catch((error: unknown) => {
      this.activeFiles = null;
      throw error;
    });
    const files = await this.activeFiles;
    return { id: this.currentId, metadata: files.metadata, modelJson: files.modelJson, weights: files.weights };
  }

  /** The bundled default model, whatever is active (read once, then kept). */
  async defaultModel(): Promise<ModelPayload> {
    this.defaultFiles ??= readModelFiles(this.defaultModelDir).catch((error: unknown) => {
      this.defaultFiles = null;
      throw error;
    });
    const files = await this.defaultFiles;
    return { id: DEFAULT_MODEL_ID, metadata: files.metadata, modelJson: files.modelJson, weights: files.weights };
  }

  /** The model library: one folder per saved model under the user-data folder. */
  get libraryDir(): string {
    return path.join(this.options.userDataDir, 'models');
  }

  /**
   * Saves the active model into the library under `name` (renamed in its metadata). An existing folder
   * of the same name is never overwritten: a numbered one is used instead.
   */
  async save(name: string): Promise<SavedModel> {
    const files = await (this.activeFiles ?? this.active().then(() => this.activeFiles!));
    const dir = await this.claimFolder(slug(name) || 'model', (folder) => writeModelFiles(folder, { ...files, metadata: { ...files.metadata, name } }));
    return { name, dir };
  }

  /** The id of the active model: 'default', a training run's id, or a library folder's name. */
  get activeId(): string {
    return this.currentId;
  }

  /**
   * Creates a new library folder and fills it, under the new id's lock: mkdir fails on an existing one,
   * so two saves never share, and a rename moving `<id>` aside for an instant cannot lose its model to
   * a save that claims the name in that instant. The claimed folder goes again if `fill` fails.
   */
  async claimFolder(base: string, fill: (dir: string) => Promise<void>): Promise<string> {
    try {
      await mkdir(this.libraryDir, { recursive: true });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST' || code === 'ENOTDIR') {
        throw new Error(`${this.libraryDir} is a file, not a folder: move it away so that models can be saved there`);
      }
      throw error;
    }
    // A name whose model is missing but has a killed save's .tmp-/.old- waits for the library to put
    // it back: a new model claiming it then would have that copy deleted as debris.
    const waiting = idsWithLeftovers(await readdir(this.libraryDir));
    for (let n = 1; ; n++) {
      const id = n === 1 ? base : `${base}-${n}`;
      if (waiting.has(id)) continue;
      const dir = path.join(this.libraryDir, id);
      const claimed = await this.locks.run(id, async () => {
        try {
          await mkdir(dir);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
          return false;
        }
        try {
          await savingInto(this.libraryDir, () => fill(dir));
        } catch (error) {
          await rmdir(dir).catch(() => undefined);
          throw error;
        }
        return true;
      });
      if (claimed) return dir;
    }
  }

  /**
   * Makes a freshly trained model the active one and keeps it among this session's recent models (the
   * newest RECENT_RUNS: each holds its weights in memory, up to tens of MB for the largest models).
   */
  setTrained(runId: string, files: ModelFiles): void {
    this.recentRuns.delete(runId);
    this.recentRuns.set(runId, files);
    for (const id of this.recentRuns.keys()) {
      if (this.recentRuns.size <= RECENT_RUNS) break;
      this.recentRuns.delete(id);
    }
    this.setActive(runId, files);
  }

  /** A model trained in this session, by its run id, while it is still kept. */
  recentRun(id: string): ModelFiles | undefined {
    return this.recentRuns.get(id);
  }

  /** Makes `files` the active model and tells the renderer. */
  setActive(id: string, files: ModelFiles): void {
    this.currentId = id;
    this.activeFiles = Promise.resolve(files);
    this.options.events('model:changed', { id, name: files.metadata.name });
  }
}

/** Names Windows will not give a file or folder, whatever the extension; 'default' is the bundled model's id. */
const RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9]|default)$/;

/** A folder name from a model name: portable characters only, never a reserved name. */
export function slug(name: string): string {
  const base = name
    .normalize('NFKD')
    .replace(/[^\w\s.-]/g, '')
    .trim()
    .replace(/[\s.]+/g, '-')
    .toLowerCase()
    .slice(0, 60);
  return RESERVED.test(base) ? `${base}-model` : base;
}

import { randomUUID } from 'node:crypto';
import { mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { DATASET_ID_PATTERN, type DatasetId } from '../../shared/datasets/catalog';
import type { DatasetDescriptor } from '../../shared/datasets/descriptor';
import type { DatasetSummary } from '../../shared/datasets/dataset-summary';
import type { ImageSet } from '../../shared/datasets/image-set';
import {
  importedManifestSchema,
  type ImportedDataset,
  type ImportedListing,
  type ImportFormat,
  type ImportPreview,
} from '../../shared/datasets/imported';
import { IDX_NAMES, splitByFraction, writeIdxDataset } from '../../engine/data/write-idx';
import type { DatasetSource } from './dataset-service';
import type { Dialogs } from './dialogs';
import { MANIFEST, readImportedFolder, type FolderRead } from './imported-folder';
import { savingInto } from './disk-full';
import { readImport, type ImportRead } from './import-readers';
import type { EventSink } from '../../shared/ipc/contract';

/**
 * Imports a user's dataset: the open dialog picks the files, a preview comes back before anything is
 * written, and saving stores it as canonical IDX with a dataset.json manifest in
 * `<userData>/datasets/imported/<id>/`, so the engine reads it like any other.
 */

const SAMPLE = 20;
/** Folders read per listing, so a flooded folder cannot stall the Data tab. */
const MAX_FOLDERS = 500;

interface Pending extends ImportRead {
  token: string;
}

/** Progress events while a folder's images decode: about ten a second, and the last. */
const PROGRESS_MS = 100;

export class DatasetImportService implements DatasetSource {
  private pending: Pending | null = null;
  /** The read under way, so that dataset:cancel-import can stop it. */
  private reading: AbortController | null = null;

  constructor(
    private readonly options: { userDataDir: string; dialogs: Dialogs; onChanged?: () => void; events?: EventSink; now?: () => number },
  ) {}

  /** Stops the preview's read under way, if any: its preview then answers null, as a cancelled dialog does. */
  cancelPreview(): void {
    this.reading?.abort();
  }

  /** Reads with progress events and a cancel; null when cancelled. */
  private async readCancellable(format: ImportFormat, paths: string[]): Promise<ImportRead | null> {
    this.reading?.abort();
    const controller = new AbortController();
    this.reading = controller;
    const now = this.options.now ?? Date.now;
    let last = -Infinity;
    const onProgress = (done: number, total: number): void => {
      if (done < total && now() - last < PROGRESS_MS) return;
      last = now();
      this.options.events?.('dataset:import-progress', { done, total });
    };
    try {
      return await readImport(format, paths, { onProgress, signal: controller.signal });
    } catch (error) {
      if (controller.signal.aborted) return null;
      throw error;
    } finally {
      if (this.reading === controller) this.reading = null;
    }
  }

  private get root(): string {
    return path.join(this.options.userDataDir, 'datasets', 'imported');
  }

  /**
   * Reads the files given (dropped on the window) or asked for in the open dialog, and describes what
   * saving would import; null when the dialog or the read is cancelled.
   */
  async preview(format: ImportFormat, dropped?: readonly string[]): Promise<ImportPreview | null> {
    const paths = dropped ? [...dropped] : await this.options.dialogs.openPaths(
      format === 'folder'
        ? { title: 'Import a folder with one subfolder of images per class', kind: 'folder' }
        : format === 'png-batch'
          ? { title: 'Import a PNG batch (one image per row) and its labels (JSON or text)', kind: 'file', multiple: true, filters: [{ name: 'PNG and labels', extensions: ['png', 'json', 'txt'] }] }
          : {
            title: format === 'csv' ? 'Import a CSV dataset' : 'Import IDX files: images and labels, or a train and a test pair',
            kind: 'file',
            multiple: format === 'idx',
            filters: format === 'csv' ? [{ name: 'CSV', extensions: ['csv'] }] : [{ name: 'IDX', extensions: ['gz', 'idx1-ubyte', 'idx3-ubyte', 'ubyte'] }],
          },
    );
    if (paths.length === 0) return null;
    const read = await this.readCancellable(format, paths);
    if (read === null) return null;
    const token = randomUUID();
    this.pending = { token, ...read };
    const all = read.test ? [read.train, read.test] : [read.train];
    const classCounts = new Array<number>(read.numClasses).fill(0);
    for (const set of all) for (const label of set.labels) classCounts[label]++;
    const n = Math.min(SAMPLE, read.train.count);
    const size = read.train.rows * read.train.cols;
    return {
      token,
      format,
      sources: paths.map((p) => path.basename(p)),
      rows: read.train.rows,
      cols: read.train.cols,
      numClasses: read.numClasses,
      classNames: read.classNames ?? Array.from({ length: read.numClasses }, (_, i) => String(i)),
      skipped: (read.skipped ?? []).slice(0, 20).map((s) => `${path.basename(s.file)}: ${s.reason}`),
      skippedCount: read.skippedCount ?? 0,
      counts: { train: read.train.count, test: read.test?.count ?? null },
      classCounts,
      sample: { images: read.train.images.slice(0, n * size), labels: read.train.labels.slice(0, n) },
    };
  }

  /** Saves the previewed data; a single set is split, its last `testFraction` becoming the test split. */
  async save(request: { token: string; name: string; classNames: string[]; testFraction: number }): Promise<ImportedDataset> {
    const pending = this.pending;
    if (!pending || pending.token !== request.token) throw new Error('This preview is no longer current: import the files again');
    if (request.classNames.length !== pending.numClasses) {
      throw new Error(`${request.classNames.length} class names were given, but the data has ${pending.numClasses} classes`);
    }
    const splits = pending.test ? { train: pending.train, test: pending.test } : splitByFraction(pending.train, request.testFraction);
    const id = `${slug(request.name)}-${Date.now().toString(36)}`;
    const manifest: ImportedDataset = {
      id,
      name: request.name,
      classNames: request.classNames,
      rows: splits.train.rows,
      cols: splits.train.cols,
      counts: { train: splits.train.count, test: splits.test.count },
      importedAt: new Date().toISOString(),
    };
    // list() reads back only what this schema allows: a dataset saved outside it would never be
    // listed, so it could be neither used nor deleted.
    const checked = importedManifestSchema.safeParse(manifest);
    if (!checked.success) {
      const issue = checked.error.issues[0];
      throw new Error(`This import cannot be saved: ${issue.path.join('.') || 'its manifest'}: ${issue.message}`);
    }
    await mkdir(this.root, { recursive: true });
    await savingInto(this.root, () => writeIdxDataset(path.join(this.root, id), splits, { [MANIFEST]: JSON.stringify(manifest, null, 2) }));
    this.pending = null;
    this.options.onChanged?.();
    return manifest;
  }

  /**
   * Every imported dataset whose manifest reads, and every folder named like one whose manifest does
   * not, with why. Other names (a save's `.<id>.<pid>.tmp`, a stray .DS_Store) are not ours and are
   * passed over.
   */
  async list(): Promise<ImportedListing> {
    let names: string[];
    try {
      names = await readdir(this.root);
    } catch {
      return { datasets: [], problems: [] };
    }
    const listing: ImportedListing = { datasets: [], problems: [] };
    for (const name of names.filter((n) => DATASET_ID_PATTERN.test(n)).sort().slice(0, MAX_FOLDERS)) {
      const read = await readImportedFolder(this.root, name);
      if (!read) continue;
      if ('dataset' in read) listing.datasets.push(read.dataset);
      else listing.problems.push({ folder: name, message: read.problem });
    }
    listing.datasets.sort((a, b) => a.importedAt.localeCompare(b.importedAt));
    return listing;
  }

  async summaries(): Promise<DatasetSummary[]> {
    return (await this.list()).datasets.map((d) => ({
      id: d.id,
      displayName: d.name,
      classNames: d.classNames,
      source: 'imported',
      bundled: false,
      available: true,
      imageSize: { rows: d.rows, cols: d.cols },
      counts: d.counts,
    }));
  }

  /** An imported dataset's files, held to its manifest's sizes and counts; null when `id` is not one. */
  async describe(id: DatasetId): Promise<DatasetDescriptor | null> {
    const manifest = await this.manifest(id);
    if (!manifest) return null;
    const file = (name: string) => ({ name });
    return {
      id,
      displayName: manifest.name,
      classNames: manifest.classNames,
      imageSize: { rows: manifest.rows, cols: manifest.cols },
      counts: manifest.counts,
      dir: path.join(this.root, id),
      files: {
        trainImages: file(IDX_NAMES.trainImages),
        trainLabels: file(IDX_NAMES.trainLabels),
        testImages: file(IDX_NAMES.testImages),
        testLabels: file(IDX_NAMES.testLabels),
      },
    };
  }

  /** The manifest in `<root>/<id>/`, when it is one this app wrote for that folder; null otherwise. */
  private async manifest(id: string): Promise<ImportedDataset | null> {
    if (!DATASET_ID_PATTERN.test(id)) return null;
    const read = await readImportedFolder(this.root, id);
    return read && 'dataset' in read ? read.dataset : null;
  }

  /**
   * Deletes an imported dataset, or a folder the listing reports as a problem (its name is the id),
   * once the user confirms. A folder whose manifest reads is always asked about as the dataset it is.
   */
  async remove(id: string): Promise<boolean> {
    const read = DATASET_ID_PATTERN.test(id) ? await readImportedFolder(this.root, id) : null;
    if (!read) throw new Error(`There is no imported dataset "${id.slice(0, 80)}"`);
    if (!(await this.confirmRemove(id, read))) return false;
    // The folder may have been mended while the dialog was open: a dataset that reads now goes only
    // after the user was asked about it as that dataset, never as a broken folder.
    if ('problem' in read && (await this.manifest(id))) {
      throw new Error(`The folder ${id} now holds a readable dataset: delete it from the list of imported datasets`);
    }
    await rm(path.join(this.root, id), { recursive: true, force: true });
    this.options.onChanged?.();
    return true;
  }

  private confirmRemove(id: string, read: FolderRead): Promise<boolean> {
    if ('dataset' in read) {
      const known = read.dataset;
      return this.options.dialogs.confirm({
        title: 'Delete imported dataset',
        message: `Delete ${known.name}?`,
        detail: `Its ${known.counts.train + known.counts.test} images are removed from this machine; the files it was imported from stay.`,
        confirmLabel: 'Delete',
      });
    }
    const what = read.file ? 'file' : 'folder';
    return this.options.dialogs.confirm({
      title: `Delete ${what}`,
      message: `Delete the ${what} ${id}?`,
      detail: read.file
        ? `It stands where an imported dataset's folder belongs, and is not one (${read.problem}). It is removed from this machine.`
        : `It is not a dataset the app can read (${read.problem}). The folder and everything in it are removed from this machine.`,
      confirmLabel: `Delete ${what}`,
    });
  }
}

function slug(name: string): string {
  return (
    name
      .normalize('NFKD')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'dataset'
  );
}

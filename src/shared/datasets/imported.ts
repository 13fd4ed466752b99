import { z } from 'zod';
import { DATASET_ID_PATTERN } from './catalog';

/** Datasets the user imported, stored as IDX under `<userData>/datasets/imported/<id>/`. */

export type ImportFormat = 'csv' | 'idx' | 'folder' | 'png-batch';

/** What an import would bring in, shown before anything is written. */
export interface ImportPreview {
  /** Names the parsed data held in main until it is saved or another preview replaces it. */
  token: string;
  format: ImportFormat;
  /** File names (not paths) the data came from. */
  sources: string[];
  rows: number;
  cols: number;
  numClasses: number;
  /** Defaults: the labels as numbers; the user may edit them before saving. */
  classNames: string[];
  counts: { train: number; test: number | null };
  /** Images per class over every image read. */
  classCounts: number[];
  /** Files passed over, with why (hidden, not an image, blank), at most 20. */
  skipped: string[];
  skippedCount: number;
  /** The first images (count × rows × cols grey levels) with their labels. */
  sample: { images: Uint8Array; labels: Uint8Array };
}

const count = z.number().int().min(1).max(10_000_000);
const side = z.number().int().min(1).max(256);

/** An imported dataset's dataset.json, as read back: anything else in the folder is not trusted. */
export const importedManifestSchema = z.object({
  id: z.string().regex(DATASET_ID_PATTERN),
  name: z.string().min(1).max(80),
  classNames: z.array(z.string().min(1).max(40)).min(1).max(256),
  rows: side,
  cols: side,
  counts: z.object({ train: count, test: count }),
  importedAt: z.string().max(40),
});

export type ImportedDataset = z.infer<typeof importedManifestSchema>;

/**
 * A folder under `datasets/imported/` named like a dataset whose dataset.json does not read: listed so
 * the user learns of it and can delete it, since its IDX files still take disk space.
 */
export interface ImportedProblem {
  /** The folder's name, which is the dataset id it would have: `dataset:delete-imported` takes it. */
  folder: string;
  /** What is wrong, e.g. "dataset.json: file not found: …", at most a few hundred characters. */
  message: string;
}

/** What `dataset:list-imported` answers: the datasets that read, and the folders that do not. */
export interface ImportedListing {
  datasets: ImportedDataset[];
  problems: ImportedProblem[];
}

/** How far an import preview's read has got: images decoded of those found. */
export interface ImportProgress {
  done: number;
  total: number;
}

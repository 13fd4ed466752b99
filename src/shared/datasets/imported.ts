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

export interface ImportedDataset {
  id: string;
  name: string;
  classNames: string[];
  rows: number;
  cols: number;
  counts: { train: number; test: number };
  importedAt: string;
}

import path from 'node:path';
import type { ImageSet } from '../../shared/datasets/image-set';
import type { ImportFormat } from '../../shared/datasets/imported';
import { allInOrder } from '../../shared/all-in-order';
import { readCsvDataset } from '../../engine/data/import-csv';
import { readImageFolder } from '../../engine/data/import-images';
import { readIdxPair } from '../../engine/data/import-idx';
import { readPngBatch } from '../../engine/data/import-png-batch';

/** What an import's files hold, read and checked, before the preview and the save. */
export interface ImportRead {
  train: ImageSet;
  test: ImageSet | null;
  numClasses: number;
  /** Folder names, for a folder of class folders. */
  classNames?: string[];
  skipped?: { file: string; reason: string }[];
  skippedCount?: number;
}

/** How a long read reports and stops: a folder of images decodes one image at a time. */
export interface ReadControl {
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

export function readImport(format: ImportFormat, paths: string[], control: ReadControl = {}): Promise<ImportRead> {
  if (format === 'csv') return readCsv(paths);
  if (format === 'idx') return readIdx(paths);
  if (format === 'folder') return readFolder(paths, control);
  return readBatch(paths);
}

async function readBatch(paths: string[]): Promise<ImportRead> {
  const png = paths.filter((p) => /\.png$/i.test(p));
  const labels = paths.filter((p) => !/\.png$/i.test(p));
  if (png.length !== 1 || labels.length !== 1) throw new Error('Pick the PNG batch and its labels file (JSON or text)');
  const { set, numClasses } = await readPngBatch(png[0], labels[0]);
  return { train: set, test: null, numClasses };
}

async function readFolder(paths: string[], control: ReadControl): Promise<ImportRead> {
  if (paths.length !== 1) throw new Error(`Pick one folder, not ${paths.length}`);
  const { set, classNames, skipped, skippedCount } = await readImageFolder(paths[0], control);
  return { train: set, test: null, numClasses: classNames.length, classNames, skipped, skippedCount };
}

async function readCsv(paths: string[]): Promise<ImportRead> {
  if (paths.length !== 1) throw new Error(`Pick one CSV file, not ${paths.length}`);
  const { set, numClasses } = await readCsvDataset(paths[0]);
  return { train: set, test: null, numClasses };
}

/** Two files (images and labels) or four (a train and a test pair), told apart by their names. */
async function readIdx(paths: string[]): Promise<ImportRead> {
  const byRole = (images: boolean, test: boolean | null) =>
    paths.filter((p) => {
      const name = path.basename(p).toLowerCase();
      const isImages = /images|idx3/.test(name);
      const isTest = /t10k|test/.test(name);
      return isImages === images && (test === null || isTest === test);
    });
  if (paths.length === 2) {
    const [images, labels] = [byRole(true, null), byRole(false, null)];
    if (images.length !== 1 || labels.length !== 1) throw new Error('Pick an images file (idx3) and a labels file (idx1)');
    const { set, numClasses } = await readIdxPair(images[0], labels[0]);
    return { train: set, test: null, numClasses };
  }
  if (paths.length === 4) {
    const roles = [byRole(true, false), byRole(false, false), byRole(true, true), byRole(false, true)];
    if (roles.some((r) => r.length !== 1)) throw new Error('Pick train and test (t10k) files, each an images (idx3) and a labels (idx1) file');
    const [train, test] = await allInOrder([readIdxPair(roles[0][0], roles[1][0]), readIdxPair(roles[2][0], roles[3][0])]);
    if (train.set.rows !== test.set.rows || train.set.cols !== test.set.cols) {
      throw new Error(`${path.basename(roles[2][0])}: test images are ${test.set.rows}×${test.set.cols}, train images ${train.set.rows}×${train.set.cols}`);
    }
    return { train: train.set, test: test.set, numClasses: Math.max(train.numClasses, test.numClasses) };
  }
  throw new Error(`Pick 2 IDX files (images and labels) or 4 (train and test), not ${paths.length}`);
}

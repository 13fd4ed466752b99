import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { DATASETS, type DatasetFile, type DatasetId } from '../../shared/datasets/catalog';
import type { ImageSet, LoadedDataset } from '../../shared/datasets/image-set';
import { DatasetError } from './dataset-error';
import { readIdx, type IdxArray, type IdxKind } from './idx';

/**
 * Loads MNIST-style datasets from IDX files on disk. The four files are read and gunzipped
 * concurrently: zlib's async inflate runs on the libuv threadpool, so both cores of a small machine
 * work at once, and the returned ImageSets are views on the decompressed buffers (no copies).
 */

export interface LoadImageSetOptions {
  numClasses: number;
  /** Required image height and width; omitted means any size is accepted. */
  rows?: number;
  cols?: number;
  /** Hex SHA-256 of each decompressed IDX file, checked when given. */
  expectedSha256?: { images?: string; labels?: string };
  maxDecompressedBytes?: number;
}

export interface LoadDatasetOptions {
  /** Compare each decompressed file with the catalog's SHA-256 (default true). */
  verifyChecksums?: boolean;
}

/** Where the app ships a dataset under its resources directory. */
export function bundledDatasetDir(resourcesRoot: string, id: DatasetId): string {
  return path.join(resourcesRoot, 'datasets', id);
}

/** Loads the train and test splits of a catalog dataset from `dir`, as .gz or raw IDX files. */
export async function loadDataset(
  dir: string,
  id: DatasetId,
  opts: LoadDatasetOptions = {},
): Promise<LoadedDataset> {
  const info = DATASETS[id];
  const verify = opts.verifyChecksums ?? true;
  const split = async (images: DatasetFile, labels: DatasetFile): Promise<ImageSet> => {
    const [imagesPath, labelsPath] = await Promise.all([
      resolveCatalogFile(dir, images),
      resolveCatalogFile(dir, labels),
    ]);
    return loadImageSet(imagesPath, labelsPath, {
      numClasses: info.classNames.length,
      ...info.imageSize,
      expectedSha256: verify
        ? { images: images.decompressedSha256, labels: labels.decompressedSha256 }
        : undefined,
    });
  };
  // Both splits at once: four reads and four gunzips share the threadpool.
  const [train, test] = await Promise.all([
    split(info.files.trainImages, info.files.trainLabels),
    split(info.files.testImages, info.files.testLabels),
  ]);
  return { id, classNames: info.classNames, train, test };
}

/** Loads one split from an images file and a labels file, each gzip or raw IDX. */
export async function loadImageSet(
  imagesPath: string,
  labelsPath: string,
  opts: LoadImageSetOptions,
): Promise<ImageSet> {
  const [images, labels] = await Promise.all([
    readIdxFile(imagesPath, 'images', opts.expectedSha256?.images, opts.maxDecompressedBytes),
    readIdxFile(labelsPath, 'labels', opts.expectedSha256?.labels, opts.maxDecompressedBytes),
  ]);
  const [count, rows, cols] = images.dims;
  const wantRows = opts.rows ?? rows;
  const wantCols = opts.cols ?? cols;
  if (rows !== wantRows || cols !== wantCols) {
    throw new DatasetError(
      imagesPath,
      `images are ${rows}×${cols} pixels but ${wantRows}×${wantCols} are expected`,
    );
  }
  const labelCount = labels.dims[0];
  if (labelCount !== count) {
    throw new DatasetError(
      imagesPath,
      `holds ${count} images but ${path.basename(labelsPath)} holds ${labelCount} labels ` +
        '(each image needs exactly one label)',
    );
  }
  checkLabels(labels.data, opts.numClasses, labelsPath);
  return { images: images.data, labels: labels.data, count, rows, cols };
}

/** Times one full load (read, gunzip, checks); for benches, which must not reach into internals. */
export async function timeLoadDataset(
  dir: string,
  id: DatasetId,
  opts: LoadDatasetOptions = {},
): Promise<{ ms: number; images: number; dataset: LoadedDataset }> {
  const start = performance.now();
  const dataset = await loadDataset(dir, id, opts);
  const ms = performance.now() - start;
  return { ms, images: dataset.train.count + dataset.test.count, dataset };
}

function checkLabels(labels: Uint8Array, numClasses: number, file: string): void {
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] >= numClasses) {
      throw new DatasetError(
        file,
        `label ${labels[i]} at index ${i} is out of range: ` +
          `the dataset has ${numClasses} classes (0..${numClasses - 1})`,
      );
    }
  }
}

async function readIdxFile(
  file: string,
  kind: IdxKind,
  expectedSha256: string | undefined,
  maxDecompressedBytes: number | undefined,
): Promise<IdxArray> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (err) {
    throw fileSystemError(file, err, `an IDX ${kind} file (gzip or raw)`);
  }
  return readIdx(bytes, { file, kind, expectedSha256, maxDecompressedBytes });
}

/** Catalog names end in .gz; a copy someone already gunzipped is accepted under the bare name. */
async function resolveCatalogFile(dir: string, file: DatasetFile): Promise<string> {
  const gzPath = path.join(dir, file.name);
  const rawName = file.name.replace(/\.gz$/, '');
  const rawPath = path.join(dir, rawName);
  if (await isFile(gzPath)) return gzPath;
  if (rawPath !== gzPath && (await isFile(rawPath))) return rawPath;
  throw new DatasetError(
    gzPath,
    `file not found: expected ${file.name} (gzip) or ${rawName} (raw IDX) in ${dir}`,
  );
}

async function isFile(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isFile();
  } catch {
    return false;
  }
}

function fileSystemError(file: string, err: unknown, expected: string): DatasetError {
  const code = (err as { code?: unknown }).code;
  const problem =
    code === 'ENOENT'
      ? `file not found: expected ${expected} here`
      : code === 'EISDIR'
        ? `is a directory, expected ${expected}`
        : `cannot be read (${err instanceof Error ? err.message : String(err)})`;
  return new DatasetError(file, problem, { cause: err });
}

import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { CatalogId, DatasetId } from '../../shared/datasets/catalog';
import { catalogDescriptor, type DatasetDescriptor } from '../../shared/datasets/descriptor';
import type { ImageSet, LoadedDataset } from '../../shared/datasets/image-set';
import { allInOrder } from '../../shared/all-in-order';
import { DatasetError } from './dataset-error';
import { checkIdxHead, checkSha256, DEFAULT_MAX_DECOMPRESSED_BYTES, readIdx, type IdxArray, type IdxKind } from './idx';
import { readRegularFile } from './read-regular-file';

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
  /** The image count the split must hold (a catalog split), checked from the header. */
  count?: number;
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
export function loadDataset(dir: string, id: CatalogId, opts: LoadDatasetOptions = {}): Promise<LoadedDataset> {
  return loadDescribedDataset(catalogDescriptor(id, dir), opts);
}

/**
 * Loads the train and test splits that `dataset` describes: every file's header is held to the
 * descriptor's image size and counts, and its bytes to its checksum when it has one.
 */
export async function loadDescribedDataset(dataset: DatasetDescriptor, opts: LoadDatasetOptions = {}): Promise<LoadedDataset> {
  const verify = opts.verifyChecksums ?? true;
  const { files, dir } = dataset;
  type File = DatasetDescriptor['files']['trainImages'];
  const split = async (images: File, labels: File, count: number): Promise<ImageSet> => {
    const [imagesPath, labelsPath] = await allInOrder([resolveIdxFile(dir, images.name), resolveIdxFile(dir, labels.name)]);
    return loadImageSet(imagesPath, labelsPath, {
      numClasses: dataset.classNames.length,
      ...dataset.imageSize,
      count: verify ? count : undefined,
      expectedSha256: verify ? { images: images.decompressedSha256, labels: labels.decompressedSha256 } : undefined,
    });
  };
  // Both splits at once: four reads and four gunzips share the threadpool. A failure is reported in
  // file order, train first, whichever read fails first.
  const [train, test] = await allInOrder([
    split(files.trainImages, files.trainLabels, dataset.counts.train),
    split(files.testImages, files.testLabels, dataset.counts.test),
  ]);
  return { id: dataset.id, classNames: dataset.classNames, train, test };
}

/** Loads one split from an images file and a labels file, each gzip or raw IDX. */
export async function loadImageSet(
  imagesPath: string,
  labelsPath: string,
  opts: LoadImageSetOptions,
): Promise<ImageSet> {
  const [images, labels] = await allInOrder([
    readIdxFile(imagesPath, 'images', opts.count, opts.maxDecompressedBytes),
    readIdxFile(labelsPath, 'labels', opts.count, opts.maxDecompressedBytes),
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
  // Hashes last: a label out of range or a short file deserves its own message, not "mismatch".
  if (opts.expectedSha256?.images) checkSha256(images.bytes, opts.expectedSha256.images, imagesPath);
  if (opts.expectedSha256?.labels) checkSha256(labels.bytes, opts.expectedSha256.labels, labelsPath);
  return { images: images.data, labels: labels.data, count, rows, cols };
}

/** Times one full load (read, gunzip, checks); for benches, which must not reach into internals. */
export async function timeLoadDataset(
  dir: string,
  id: CatalogId,
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
  count: number | undefined,
  maxDecompressedBytes = DEFAULT_MAX_DECOMPRESSED_BYTES,
): Promise<IdxArray> {
  const bytes = await readRegularFile(file, {
    expected: `an IDX ${kind} file (gzip or raw)`,
    // A gzip archive is never larger than what it holds (MNIST's is 20 % of it), so one cap fits both.
    maxBytes: maxDecompressedBytes,
    checkHead: (head, size) => checkIdxHead(head, size, { file, kind, count }),
  });
  return readIdx(bytes, { file, kind, count, maxDecompressedBytes });
}

/** IDX names end in .gz; a copy someone already gunzipped is accepted under the bare name. */
async function resolveIdxFile(dir: string, name: string): Promise<string> {
  const gzPath = path.join(dir, name);
  const rawName = name.replace(/\.gz$/, '');
  const rawPath = path.join(dir, rawName);
  const [gz, raw] = await Promise.all([kindAt(gzPath), kindAt(rawPath)]);
  if (gz === 'file') return gzPath;
  if (rawPath !== gzPath && raw === 'file') return rawPath;
  // Something that is there but not a file gets read, so the reader says what it is.
  if (gz === 'other') return gzPath;
  if (raw === 'other') return rawPath;
  throw new DatasetError(
    gzPath,
    `file not found: expected ${name} (gzip) or ${rawName} (raw IDX) in ${dir}`,
  );
}

async function kindAt(p: string): Promise<'file' | 'other' | 'missing'> {
  try {
    return (await stat(p)).isFile() ? 'file' : 'other';
  } catch (err) {
    return (err as { code?: unknown }).code === 'ENOENT' ? 'missing' : 'other';
  }
}

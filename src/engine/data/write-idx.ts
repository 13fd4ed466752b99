import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { ImageSet } from '../../shared/datasets/image-set';

/**
 * Writes an imported dataset as the four canonical gzipped IDX files, so the engine reads it like any
 * other. They are written into a sibling temporary folder that is renamed into place at the end: a
 * crash leaves either no dataset or a whole one, never a half-written one.
 */

const gzipAsync = promisify(gzip);

export const IDX_NAMES = {
  trainImages: 'train-images-idx3-ubyte.gz',
  trainLabels: 'train-labels-idx1-ubyte.gz',
  testImages: 't10k-images-idx3-ubyte.gz',
  testLabels: 't10k-labels-idx1-ubyte.gz',
} as const;

export function idxBytes(dims: number[], payload: Uint8Array): Uint8Array {
  const header = 4 + 4 * dims.length;
  const out = new Uint8Array(header + payload.length);
  out[2] = 0x08;
  out[3] = dims.length;
  const view = new DataView(out.buffer);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  out.set(payload, header);
  return out;
}

/** Writes `splits` into `dir` (which must not exist yet) along with `extra` files such as a manifest. */
export async function writeIdxDataset(
  dir: string,
  splits: { train: ImageSet; test: ImageSet },
  extra: Record<string, string> = {},
): Promise<void> {
  const temp = path.join(path.dirname(dir), `.${path.basename(dir)}.${process.pid}.tmp`);
  await rm(temp, { recursive: true, force: true });
  await mkdir(temp, { recursive: true });
  try {
    const files: [string, Uint8Array][] = [
      [IDX_NAMES.trainImages, idxBytes([splits.train.count, splits.train.rows, splits.train.cols], splits.train.images)],
      [IDX_NAMES.trainLabels, idxBytes([splits.train.count], splits.train.labels)],
      [IDX_NAMES.testImages, idxBytes([splits.test.count, splits.test.rows, splits.test.cols], splits.test.images)],
      [IDX_NAMES.testLabels, idxBytes([splits.test.count], splits.test.labels)],
    ];
    await Promise.all(files.map(async ([name, bytes]) => writeFile(path.join(temp, name), await gzipAsync(bytes, { level: 6 }))));
    await Promise.all(Object.entries(extra).map(([name, text]) => writeFile(path.join(temp, name), text)));
    await rename(temp, dir);
  } catch (err) {
    await rm(temp, { recursive: true, force: true });
    throw err;
  }
}

/**
 * Splits one set into train and test: the last `testFraction` of the images (at least one, and at
 * least one left to train on) become the test split, in file order, so the split is reproducible.
 */
export function splitByFraction(set: ImageSet, testFraction: number): { train: ImageSet; test: ImageSet } {
  if (!(testFraction > 0 && testFraction < 1)) throw new RangeError(`test fraction ${testFraction} must be between 0 and 1`);
  if (set.count < 2) throw new RangeError(`${set.count} image${set.count === 1 ? '' : 's'} cannot be split into train and test`);
  const testCount = Math.min(set.count - 1, Math.max(1, Math.round(set.count * testFraction)));
  const trainCount = set.count - testCount;
  const size = set.rows * set.cols;
  const part = (from: number, count: number): ImageSet => ({
    images: set.images.subarray(from * size, (from + count) * size),
    labels: set.labels.subarray(from, from + count),
    count,
    rows: set.rows,
    cols: set.cols,
  });
  return { train: part(0, trainCount), test: part(trainCount, testCount) };
}

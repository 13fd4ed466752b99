import { copyFile, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { DATASETS } from '$shared/datasets/catalog';
import type { LoadedDataset } from '$shared/datasets/image-set';
import { DatasetError } from '$engine/data/dataset-error';
import {
  bundledDatasetDir,
  loadDataset,
  loadImageSet,
} from '$engine/data/load-dataset';
import { tempDirs } from '$tests/helpers/temp-dirs';

const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const MNIST_DIR = bundledDatasetDir(path.join(REPO_ROOT, 'resources'), 'mnist');
const FILES = DATASETS.mnist.files;

function idx(dims: number[], payload: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + payload.length);
  out[2] = 0x08;
  out[3] = dims.length;
  const view = new DataView(out.buffer);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  out.set(payload, 4 + 4 * dims.length);
  return out;
}

const ramp = (n: number, step: number): Uint8Array =>
  Uint8Array.from({ length: n }, (_, i) => (i * step) % 256);

/** A tiny MNIST-shaped dataset: 3 train and 2 test images of 28×28. */
const synth = {
  trainImages: ramp(3 * 784, 7),
  trainLabels: Uint8Array.from([5, 0, 9]),
  testImages: ramp(2 * 784, 13),
  testLabels: Uint8Array.from([1, 7]),
};

async function writeSynthetic(dir: string, gz = true): Promise<void> {
  const write = (name: string, bytes: Uint8Array) =>
    gz
      ? writeFile(path.join(dir, name), gzipSync(bytes))
      : writeFile(path.join(dir, name.replace(/\.gz$/, '')), bytes);
  await Promise.all([
    write(FILES.trainImages.name, idx([3, 28, 28], synth.trainImages)),
    write(FILES.trainLabels.name, idx([3], synth.trainLabels)),
    write(FILES.testImages.name, idx([2, 28, 28], synth.testImages)),
    write(FILES.testLabels.name, idx([2], synth.testLabels)),
  ]);
}

/** Asserts a DatasetError whose `file` matches `file` and whose message starts with it. */
async function expectDatasetError(
  promise: Promise<unknown>,
  file: RegExp,
  problem: RegExp,
): Promise<DatasetError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DatasetError);
  const e = err as DatasetError;
  expect(e.file).toMatch(file);
  expect(e.message.startsWith(`${e.file}: `)).toBe(true);
  expect(e.message).toMatch(problem);
  return e;
}

const tempDir = tempDirs('mlp-lab-dataset-');

describe('loadDataset on synthetic data', () => {
  it.each([
    ['gzip', true],
    ['raw IDX', false],
  ])('round-trips a valid %s dataset exactly', async (_, gz) => {
    const dir = await tempDir();
    await writeSynthetic(dir, gz);
    const ds = await loadDataset(dir, 'mnist', { verifyChecksums: false });
    expect(ds.id).toBe('mnist');
    expect(ds.classNames).toEqual(DATASETS.mnist.classNames);
    expect(ds.train).toMatchObject({ count: 3, rows: 28, cols: 28 });
    expect(ds.test).toMatchObject({ count: 2, rows: 28, cols: 28 });
    expect(Array.from(ds.train.images)).toEqual(Array.from(synth.trainImages));
    expect(Array.from(ds.train.labels)).toEqual([5, 0, 9]);
    expect(Array.from(ds.test.images)).toEqual(Array.from(synth.testImages));
    expect(Array.from(ds.test.labels)).toEqual([1, 7]);
  });

  it('checks the catalog counts by default, from the header', async () => {
    const dir = await tempDir();
    await writeSynthetic(dir);
    const load = loadDataset(dir, 'mnist');
    await expectDatasetError(load, /-idx[13]-ubyte\.gz$/, /the IDX header declares [32] (images|labels), but this split has (60000|10000)/);
  });

  it('verifies checksums by default and names the file that does not match', async () => {
    const dir = await tempDir();
    const zeros = (dims: number[]) => gzipSync(idx(dims, new Uint8Array(dims.reduce((a, b) => a * b, 1))));
    await Promise.all([
      writeFile(path.join(dir, FILES.trainImages.name), zeros([60_000, 28, 28])),
      writeFile(path.join(dir, FILES.trainLabels.name), zeros([60_000])),
      writeFile(path.join(dir, FILES.testImages.name), zeros([10_000, 28, 28])),
      writeFile(path.join(dir, FILES.testLabels.name), zeros([10_000])),
    ]);
    const load = loadDataset(dir, 'mnist');
    await expectDatasetError(load, /-idx[13]-ubyte\.gz$/, /SHA-256 checksum mismatch/);
  });

  it('reports a missing file with its path and the names it expects', async () => {
    const dir = await tempDir();
    await writeSynthetic(dir);
    await rm(path.join(dir, FILES.testLabels.name));
    const e = await expectDatasetError(
      loadDataset(dir, 'mnist', { verifyChecksums: false }),
      /t10k-labels-idx1-ubyte\.gz$/,
      /not found: expected t10k-labels-idx1-ubyte\.gz \(gzip\) or t10k-labels-idx1-ubyte \(raw IDX\)/,
    );
    expect(e.file).toBe(path.join(dir, FILES.testLabels.name));
    expect(e.message).toContain(dir);
  });

  it('rejects images that are not 28×28 for MNIST', async () => {
    const dir = await tempDir();
    await writeSynthetic(dir);
    const wrongSize = gzipSync(idx([3, 14, 56], synth.trainImages));
    await writeFile(path.join(dir, FILES.trainImages.name), wrongSize);
    await expectDatasetError(
      loadDataset(dir, 'mnist', { verifyChecksums: false }),
      /train-images-idx3-ubyte\.gz$/,
      /images are 14×56 pixels but 28×28 are expected/,
    );
  });
});

describe('loadImageSet rejects inconsistent files', () => {
  async function pair(images: Uint8Array, labels: Uint8Array) {
    const dir = await tempDir();
    const imagesPath = path.join(dir, 'imgs-idx3-ubyte.gz');
    const labelsPath = path.join(dir, 'lbls-idx1-ubyte');
    await writeFile(imagesPath, gzipSync(images));
    await writeFile(labelsPath, labels);
    return { imagesPath, labelsPath };
  }

  it('loads a non-catalog size when rows/cols are not constrained', async () => {
    const { imagesPath, labelsPath } = await pair(idx([2, 2, 3], ramp(12, 1)), idx([2], [2, 0]));
    const set = await loadImageSet(imagesPath, labelsPath, { numClasses: 3 });
    expect(set).toMatchObject({ count: 2, rows: 2, cols: 3 });
    expect(Array.from(set.images)).toEqual(Array.from(ramp(12, 1)));
  });

  it('image count differs from label count (names both files)', async () => {
    const { imagesPath, labelsPath } = await pair(idx([3, 2, 2], ramp(12, 1)), idx([2], [0, 1]));
    await expectDatasetError(
      loadImageSet(imagesPath, labelsPath, { numClasses: 10 }),
      /imgs-idx3-ubyte\.gz$/,
      /imgs-idx3-ubyte\.gz: holds 3 images but lbls-idx1-ubyte holds 2 labels/,
    );
  });

  it('label out of range (names the file, the index and the value)', async () => {
    const labels = idx([4], [0, 9, 10, 3]);
    const { imagesPath, labelsPath } = await pair(idx([4, 2, 2], ramp(16, 1)), labels);
    await expectDatasetError(
      loadImageSet(imagesPath, labelsPath, { numClasses: 10 }),
      /lbls-idx1-ubyte$/,
      /label 10 at index 2 is out of range: the dataset has 10 classes \(0\.\.9\)/,
    );
  });

  it('checksum mismatch on the labels', async () => {
    const { imagesPath, labelsPath } = await pair(idx([1, 2, 2], ramp(4, 1)), idx([1], [0]));
    const expectedSha256 = { labels: '0'.repeat(64) };
    await expectDatasetError(
      loadImageSet(imagesPath, labelsPath, { numClasses: 10, expectedSha256 }),
      /lbls-idx1-ubyte$/,
      /SHA-256 checksum mismatch.*expected 0{64}/,
    );
  });

  it('decompression bomb over the cap', async () => {
    const images = idx([2048, 32, 32], new Uint8Array(2 << 20));
    const { imagesPath, labelsPath } = await pair(images, idx([1], [0]));
    await expectDatasetError(
      loadImageSet(imagesPath, labelsPath, { numClasses: 10, maxDecompressedBytes: 1 << 20 }),
      /imgs-idx3-ubyte\.gz$/,
      /decompresses to more than 1 MiB/,
    );
  });

  it('missing file', async () => {
    const dir = await tempDir();
    const missing = path.join(dir, 'nope-idx3-ubyte.gz');
    await expectDatasetError(
      loadImageSet(missing, path.join(dir, 'nope-idx1-ubyte.gz'), { numClasses: 10 }),
      /nope-idx[13]-ubyte\.gz$/,
      /file not found: expected an IDX (images|labels) file \(gzip or raw\)/,
    );
  });

  it('empty file', async () => {
    const { imagesPath, labelsPath } = await pair(idx([1, 2, 2], ramp(4, 1)), new Uint8Array(0));
    await expectDatasetError(
      loadImageSet(imagesPath, labelsPath, { numClasses: 10 }),
      /lbls-idx1-ubyte$/,
      /the file is empty/,
    );
  });
});

describe('bundled MNIST', () => {
  let mnist: LoadedDataset;
  beforeAll(async () => {
    mnist = await loadDataset(MNIST_DIR, 'mnist');
  });

  it('has 60000 train and 10000 test images of 28×28', () => {
    expect(mnist.train).toMatchObject({ count: 60_000, rows: 28, cols: 28 });
    expect(mnist.test).toMatchObject({ count: 10_000, rows: 28, cols: 28 });
    expect(mnist.train.images.length).toBe(60_000 * 784);
    expect(mnist.train.labels.length).toBe(60_000);
    expect(mnist.test.images.length).toBe(10_000 * 784);
    expect(mnist.test.labels.length).toBe(10_000);
  });

  it('has the known train label histogram, first labels and mean pixel', () => {
    const counts = new Array<number>(10).fill(0);
    for (const label of mnist.train.labels) counts[label]++;
    expect(counts).toEqual([5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]);
    expect(Array.from(mnist.train.labels.subarray(0, 5))).toEqual([5, 0, 4, 1, 9]);
    let sum = 0;
    for (const pixel of mnist.train.images) sum += pixel;
    expect((sum / mnist.train.images.length).toFixed(3)).toBe('33.318');
  });

  it('loads the same from a raw (gunzipped) copy', async () => {
    const dir = await tempDir();
    await Promise.all(
      Object.values(FILES).map(async (f) => {
        const raw = gunzipSync(await readFile(path.join(MNIST_DIR, f.name)));
        await writeFile(path.join(dir, f.name.replace(/\.gz$/, '')), raw);
      }),
    );
    const copy = await loadDataset(dir, 'mnist');
    for (const split of ['train', 'test'] as const) {
      expect(copy[split].count).toBe(mnist[split].count);
      expect(Buffer.compare(copy[split].images, mnist[split].images)).toBe(0);
      expect(Buffer.compare(copy[split].labels, mnist[split].labels)).toBe(0);
    }
  });

  it('prefers the .gz file when both forms are present', async () => {
    const dir = await tempDir();
    await writeSynthetic(dir, false);
    const name = FILES.testLabels.name;
    await copyFile(path.join(MNIST_DIR, name), path.join(dir, name));
    const e = await expectDatasetError(
      loadDataset(dir, 'mnist', { verifyChecksums: false }),
      /t10k-images-idx3-ubyte$/,
      /holds 2 images but t10k-labels-idx1-ubyte\.gz holds 10000 labels/,
    );
    expect(e.file).toBe(path.join(dir, 't10k-images-idx3-ubyte'));
  });
});

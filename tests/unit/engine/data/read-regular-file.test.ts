import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, open, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DATASETS } from '$shared/datasets/catalog';
import { loadDataset, loadImageSet } from '$engine/data/load-dataset';
import { readRegularFile } from '$engine/data/read-regular-file';
import { datasetFailure, tempDirs } from '$tests/helpers/temp-dirs';

/**
 * The reader cases probing found (issue #10, item 2): each used to hang, read without bound, accept
 * nonsense or report the wrong problem.
 */

function idxHeader(dims: number[]): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length);
  out[2] = 0x08;
  out[3] = dims.length;
  dims.forEach((d, i) => new DataView(out.buffer).setUint32(4 + 4 * i, d, false));
  return out;
}
function idx(dims: number[], payload: Uint8Array): Uint8Array {
  const header = idxHeader(dims);
  const out = new Uint8Array(header.length + payload.length);
  out.set(header);
  out.set(payload, header.length);
  return out;
}

const tempDir = tempDirs('mlp-lab-reader-');

/** A sparse file: `header` then zeros up to `size` bytes, costing no disk or memory to make. */
async function sparse(file: string, header: Uint8Array, size: number): Promise<void> {
  const handle = await open(file, 'w');
  await handle.write(header, 0, header.length, 0);
  await handle.truncate(size);
  await handle.close();
}

const labels = (n: number, value = 1) => idx([n], new Uint8Array(n).fill(value));
const images = (n: number) => idx([n, 2, 2], new Uint8Array(n * 4).fill(9));
const OPTS = { numClasses: 10 };

describe('hardened dataset readers', () => {
  it('refuses a FIFO at once instead of waiting for a writer', async () => {
    const dir = await tempDir();
    const fifo = path.join(dir, 'labels-idx1-ubyte');
    execFileSync('mkfifo', [fifo]);
    const imagesPath = path.join(dir, 'images-idx3-ubyte');
    await writeFile(imagesPath, images(2));
    const e = await datasetFailure(loadImageSet(imagesPath, fifo, OPTS));
    expect(e.file).toBe(fifo);
    expect(e.problem).toBe('is a named pipe (FIFO), not a regular file; expected an IDX labels file (gzip or raw)');
  });

  it.each(['/dev/zero', '/dev/urandom'])('refuses a symlink to %s, naming where it leads', async (device) => {
    if (!existsSync(device)) return; // not every system has it; the FIFO case covers non-files there
    const dir = await tempDir();
    const link = path.join(dir, 'train-images-idx3-ubyte');
    await symlink(device, link);
    const e = await datasetFailure(readRegularFile(link, { expected: 'an IDX file', maxBytes: 1 << 20 }));
    expect(e.message).toBe(
      `${link}: is a character device (it resolves to ${device}), not a regular file; expected an IDX file`,
    );
  });

  it('refuses a big raw file before reading it', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'big-idx3-ubyte');
    const size = Math.floor(1.9 * 1024 ** 3);
    await sparse(file, new TextEncoder().encode('not a dataset at all'), size);
    const before = process.memoryUsage().arrayBuffers;
    const e = await datasetFailure(loadImageSet(file, file, OPTS));
    expect(e.file).toBe(file);
    expect(e.problem).toMatch(/^not gzip and not IDX: the file starts with 6e 6f 74 20/);
    // Had it been read, 1.9 GiB of buffers would be alive here.
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(256 * 1024 * 1024);
  });

  it('refuses a big raw file with a consistent header by its size, before reading it', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'huge-idx1-ubyte');
    const count = 100 * 1024 * 1024;
    await sparse(file, idxHeader([count]), 8 + count);
    const e = await datasetFailure(readRegularFile(file, { expected: 'an IDX labels file', maxBytes: 64 * 1024 * 1024 }));
    expect(e.problem).toBe('is 100.0 MiB, more than the 64 MiB a dataset file may take; expected an IDX labels file');
    const imagesPath = path.join(dir, 'images-idx3-ubyte');
    await writeFile(imagesPath, images(1));
    const viaLoader = await datasetFailure(loadImageSet(imagesPath, file, OPTS));
    expect(viaLoader.file).toBe(file);
    expect(viaLoader.problem).toMatch(/more than the 64 MiB a dataset file may take/);
  });

  it('refuses a raw 1 GiB file whose valid header declares 1,369,568 images where MNIST has 60,000', async () => {
    const dir = await tempDir();
    const files = DATASETS.mnist.files;
    const count = 1_369_568;
    const trainImages = path.join(dir, files.trainImages.name.replace(/\.gz$/, ''));
    await sparse(trainImages, idxHeader([count, 28, 28]), 16 + count * 784);
    await writeFile(path.join(dir, files.trainLabels.name), gzipSync(labels(60_000)));
    await writeFile(path.join(dir, files.testImages.name), gzipSync(idx([10_000, 28, 28], new Uint8Array(10_000 * 784))));
    await writeFile(path.join(dir, files.testLabels.name), gzipSync(labels(10_000)));
    const e = await datasetFailure(loadDataset(dir, 'mnist'));
    expect(e.file).toBe(trainImages);
    expect(e.problem).toBe('the IDX header declares 1369568 images, but this split has 60000');
  });

  it('refuses a raw file whose header disagrees with its size, from the header alone', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'short-idx1-ubyte');
    await sparse(file, idxHeader([1000]), 8 + 999);
    const imagesPath = path.join(dir, 'images-idx3-ubyte');
    await writeFile(imagesPath, images(1000));
    const e = await datasetFailure(loadImageSet(imagesPath, file, OPTS));
    expect(e.message).toBe(`${file}: declared 1000 labels but the data holds 999`);
  });

  it('reports a label out of range as such, even when a checksum is expected', async () => {
    const dir = await tempDir();
    const imagesPath = path.join(dir, 'images-idx3-ubyte');
    const labelsPath = path.join(dir, 'labels-idx1-ubyte.gz');
    await writeFile(imagesPath, images(3));
    await writeFile(labelsPath, gzipSync(idx([3], Uint8Array.from([1, 12, 2]))));
    const expectedSha256 = { images: '0'.repeat(64), labels: '0'.repeat(64) };
    const e = await datasetFailure(loadImageSet(imagesPath, labelsPath, { numClasses: 10, expectedSha256 }));
    expect(e.message).toBe(
      `${labelsPath}: label 12 at index 1 is out of range: the dataset has 10 classes (0..9)`,
    );
  });

  it('reports a directory as a directory, in a catalog folder and given directly', async () => {
    const dir = await tempDir();
    const files = DATASETS.mnist.files;
    await mkdir(path.join(dir, files.trainImages.name));
    await writeFile(path.join(dir, files.trainLabels.name), labels(1));
    await writeFile(path.join(dir, files.testImages.name), images(1));
    await writeFile(path.join(dir, files.testLabels.name), labels(1));
    const e = await datasetFailure(loadDataset(dir, 'mnist', { verifyChecksums: false }));
    expect(e.file).toBe(path.join(dir, files.trainImages.name));
    expect(e.problem).toBe('is a directory, not a regular file; expected an IDX images file (gzip or raw)');
    const direct = await datasetFailure(loadImageSet(dir, dir, OPTS));
    expect(direct.problem).toMatch(/^is a directory, not a regular file/);
  });

  it('still reads a regular file through a symlink', async () => {
    const dir = await tempDir();
    const target = path.join(dir, 'real-idx1-ubyte');
    await writeFile(target, labels(3, 4));
    const link = path.join(dir, 'link-idx1-ubyte');
    await symlink(target, link);
    const bytes = await readRegularFile(link, { expected: 'x', maxBytes: 1024 });
    expect(Array.from(bytes.subarray(8))).toEqual([4, 4, 4]);
  });

  it('reads a file larger than the head exactly', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'images-idx3-ubyte');
    const payload = Uint8Array.from({ length: 5000 * 4 }, (_, i) => i % 251);
    await writeFile(file, idx([5000, 2, 2], payload));
    const labelsPath = path.join(dir, 'labels-idx1-ubyte');
    await writeFile(labelsPath, labels(5000));
    const set = await loadImageSet(file, labelsPath, OPTS);
    expect(Buffer.compare(set.images, payload)).toBe(0);
  });
});

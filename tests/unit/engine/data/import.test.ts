import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CsvParser, readCsvDataset } from '$engine/data/import-csv';
import { readIdxPair } from '$engine/data/import-idx';
import { loadImageSet } from '$engine/data/load-dataset';
import { IDX_NAMES, idxBytes, splitByFraction, writeIdxDataset } from '$engine/data/write-idx';
import { datasetFailure, tempDirs } from '$tests/helpers/temp-dirs';

const tempDir = tempDirs('mlp-lab-import-');

/** n images of 2×2 (so a label and 4 pixels a line); image i has label i % 3 and pixels (i + k) % 256 for k = 0..3. */
function csv(n: number, header: boolean, eol = '\n'): string {
  const lines = header ? ['label,pixel0,pixel1,pixel2,pixel3'] : [];
  for (let i = 0; i < n; i++) lines.push([i % 3, ...[0, 1, 2, 3].map((k) => (i + k) % 256)].join(','));
  return lines.join(eol) + eol;
}

async function csvFile(text: string): Promise<string> {
  const file = path.join(await tempDir(), 'train.csv');
  await writeFile(file, text);
  return file;
}

describe('CSV import', () => {
  it.each([
    ["Kaggle's header", true, '\n'],
    ['no header', false, '\n'],
    ['Windows line ends', true, '\r\n'],
  ])('reads images and labels with %s', async (_, header, eol) => {
    const result = await readCsvDataset(await csvFile(csv(5, header, eol)));
    expect(result.hasHeader).toBe(header);
    expect(result.numClasses).toBe(3);
    expect(result.set).toMatchObject({ count: 5, rows: 2, cols: 2 });
    expect(Array.from(result.set.labels)).toEqual([0, 1, 2, 0, 1]);
    expect(Array.from(result.set.images.subarray(4 * 4, 5 * 4))).toEqual([4, 5, 6, 7]);
  });

  it('parses the same whatever the chunk boundaries', () => {
    const bytes = new TextEncoder().encode(csv(40, true));
    for (const step of [1, 3, 7, 64]) {
      const parser = new CsvParser('x.csv', 100);
      for (let i = 0; i < bytes.length; i += step) parser.push(bytes.subarray(i, i + step));
      const { set } = parser.finish();
      expect(set.count).toBe(40);
      expect(set.images[39 * 4 + 3]).toBe(42);
    }
  });

  it('reads a file that starts with a UTF-8 byte order mark, as Excel writes them, with or without a header, in any chunks', async () => {
    for (const header of [true, false]) {
      const result = await readCsvDataset(await csvFile(`\uFEFF${csv(5, header, '\r\n')}`));
      expect(result.hasHeader).toBe(header);
      expect(result.set.count).toBe(5);
      expect(Array.from(result.set.labels)).toEqual([0, 1, 2, 0, 1]);
      const bytes = new TextEncoder().encode(`\uFEFF${csv(5, header)}`);
      const parser = new CsvParser('x.csv', 100);
      for (let i = 0; i < bytes.length; i++) parser.push(bytes.subarray(i, i + 1));
      expect(Array.from(parser.finish().set.images.subarray(16, 20))).toEqual([4, 5, 6, 7]);
    }
    // Only the mark is skipped: a file that merely begins like one is read, and refused, as it is.
    const begunLikeOne = new CsvParser('x.csv', 100);
    expect(() => begunLikeOne.push(Uint8Array.of(0xef, 0xbb, 0x31, 0x2c, 0x32, 0x0a))).toThrow(/header starts with "\u00EF\u00BB1"/);
  });

  it('grows past its first buffer for many images', async () => {
    const result = await readCsvDataset(await csvFile(csv(3000, false)));
    expect(result.set.count).toBe(3000);
    expect(result.set.labels[2999]).toBe(2999 % 3);
    expect(Array.from(result.set.images.subarray(2999 * 4))).toEqual([2999 % 256, 3000 % 256, 3001 % 256, 3002 % 256]);
  });

  it.each([
    ['a line with a missing value', 'label,a,b,c,d\n1,0,0,0,0\n2,0,0,0\n', 'line 3: has 4 values, but 5 are expected (a label and 4 pixels)'],
    ['a pixel out of range', '1,0,0,0,0\n2,0,300,0,0\n', 'line 2, column 3: pixel 1 is 300, outside 0..255'],
    ['a label out of range', '1000,0,0,0,0\n', 'line 1, column 1: the label is over 999, outside 0..255'],
    ['a value that is not a number', '1,0,0,0,0\n2,0,x,0,0\n', 'line 2, column 3: "x" is not part of a whole number 0..255'],
    ['a negative value', '1,0,-4,0,0\n', 'line 1, column 3: "-" is not part of a whole number 0..255'],
    ['an empty value', '1,0,,0,0\n', 'line 1, column 3: the value is empty'],
    ['a header not starting with label', 'pixel0,pixel1\n1,2\n', 'line 1: the header starts with "pixel0", but its first column must be "label"'],
    ['pixels that are not a square', '1,0,0,0\n', 'line 1: has 4 columns: a label and 3 pixels, which is not a square image (28×28 needs 784)'],
    ['only a header', 'label,pixel0\n', 'holds no images: no line has a label and pixel values'],
  ])('refuses %s, naming the file, line and column', async (_, text, problem) => {
    const file = await csvFile(text);
    const e = await datasetFailure(readCsvDataset(file));
    expect(e.message).toBe(`${file}: ${problem}`);
  });

  it('refuses an empty file, a directory and a file over the size cap', async () => {
    const file = await csvFile('');
    expect((await datasetFailure(readCsvDataset(file))).problem).toBe('the file is empty (0 bytes)');
    expect((await datasetFailure(readCsvDataset(path.dirname(file)))).problem).toMatch(/^is a directory/);
    const big = await csvFile(csv(100, true));
    expect((await datasetFailure(readCsvDataset(big, { maxBytes: 100 }))).problem).toMatch(/more than the 100 bytes a dataset file may take/);
  });

  it('refuses an image side over 256 from its first line, and a later line far longer than the first', async () => {
    const zeros = (n: number) => new Array<string>(n).fill('0').join(',');
    const wide = await csvFile(`1,${zeros(257 * 257)}\n`);
    expect((await datasetFailure(readCsvDataset(wide))).message).toBe(`${wide}: line 1: has 66050 columns: a label and 257×257 pixels; at most 256×256 can be imported`);
    const header = await csvFile(`label,${zeros(257 * 257)}\n1,0\n`);
    expect((await datasetFailure(readCsvDataset(header))).problem).toBe('line 1: has 66050 columns: a label and 257×257 pixels; at most 256×256 can be imported');
    const longer = await csvFile(`1,0,0,0,0\n2,${zeros(10_000)}\n`);
    expect((await datasetFailure(readCsvDataset(longer))).problem).toBe('line 2: has 10001 values, but 5 are expected (a label and 4 pixels)');
    const largest = await readCsvDataset(await csvFile(`1,${zeros(256 * 256)}\n`));
    expect(largest.set).toMatchObject({ count: 1, rows: 256, cols: 256 });
  });

  it('stops at the image limit', async () => {
    const e = await datasetFailure(readCsvDataset(await csvFile(csv(11, false)), { maxImages: 10 }));
    expect(e.problem).toBe('line 11: is one image more than the 10 allowed');
  });
});

describe('IDX import, splitting and writing', () => {
  it('reads a user pair of any size and class count', async () => {
    const dir = await tempDir();
    const images = path.join(dir, 'my-images.idx3');
    const labels = path.join(dir, 'my-labels.idx1.gz');
    await writeFile(images, idxBytes([3, 5, 4], new Uint8Array(60).fill(8)));
    await writeFile(labels, gzipSync(idxBytes([3], Uint8Array.from([0, 11, 4]))));
    const { set, numClasses } = await readIdxPair(images, labels);
    expect(set).toMatchObject({ count: 3, rows: 5, cols: 4 });
    expect(numClasses).toBe(12);
  });

  it('splits the last fraction off as the test split, keeping at least one image in each', () => {
    const set = { images: Uint8Array.from({ length: 40 }, (_, i) => i), labels: Uint8Array.from({ length: 10 }, (_, i) => i), count: 10, rows: 2, cols: 2 };
    const { train, test } = splitByFraction(set, 0.2);
    expect([train.count, test.count]).toEqual([8, 2]);
    expect(Array.from(test.labels)).toEqual([8, 9]);
    expect(Array.from(test.images.subarray(0, 4))).toEqual([32, 33, 34, 35]);
    expect(splitByFraction(set, 0.001).test.count).toBe(1);
    expect(splitByFraction(set, 0.999).train.count).toBe(1);
    expect(() => splitByFraction(set, 1)).toThrow(/between 0 and 1/);
    expect(() => splitByFraction({ ...set, count: 1 }, 0.5)).toThrow(/1 image cannot be split/);
  });

  it('writes the canonical IDX files the engine reads back exactly, and leaves no temporary folder', async () => {
    const parent = await tempDir();
    const dir = path.join(parent, 'my-digits');
    const result = await readCsvDataset(await csvFile(csv(10, true)));
    const splits = splitByFraction(result.set, 0.3);
    await writeIdxDataset(dir, splits, { 'dataset.json': '{"name":"mine"}' });
    expect(await readdir(parent)).toEqual(['my-digits']);
    expect((await readdir(dir)).sort()).toEqual([...Object.values(IDX_NAMES), 'dataset.json'].sort());
    const train = await loadImageSet(path.join(dir, IDX_NAMES.trainImages), path.join(dir, IDX_NAMES.trainLabels), { numClasses: 3 });
    const test = await loadImageSet(path.join(dir, IDX_NAMES.testImages), path.join(dir, IDX_NAMES.testLabels), { numClasses: 3 });
    expect([train.count, test.count]).toEqual([7, 3]);
    expect(Buffer.compare(train.images, splits.train.images)).toBe(0);
    expect(Array.from(test.labels)).toEqual([1, 2, 0]);
  });
});

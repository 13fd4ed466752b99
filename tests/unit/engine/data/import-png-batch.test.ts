import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import { readPngBatch, SHEET_LIMITS } from '$engine/data/import-png-batch';
import { checkPngHeader } from '$engine/data/png-header';
import { pngDeclaring } from '$tests/helpers/declared-size';

let dir: string;
afterAll(() => rm(dir, { recursive: true, force: true }));

/** `rows` images of 2×2 as a 4-pixel-wide PNG; image i's pixels are 10·i + k. */
async function batch(width: number, rows: number): Promise<string> {
  dir ??= await mkdtemp(path.join(tmpdir(), 'mlp-lab-batch-'));
  const png = new PNG({ width, height: rows });
  for (let p = 0; p < width * rows; p++) png.data.set([(Math.floor(p / width) * 10 + (p % width)) % 256, 0, 0, 255], p * 4);
  const file = path.join(dir, `batch-${width}-${rows}.png`);
  await writeFile(file, PNG.sync.write(png));
  return file;
}
async function labels(name: string, text: string): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, text);
  return file;
}

describe("002's PNG batch", () => {
  it('reads one image per row with labels from a JSON list or a text file', async () => {
    const png = await batch(4, 3);
    const fromJson = await readPngBatch(png, await labels('labels.json', '[2, 0, 1]'));
    expect(fromJson.set).toMatchObject({ count: 3, rows: 2, cols: 2 });
    expect(Array.from(fromJson.set.images.subarray(8))).toEqual([20, 21, 22, 23]);
    expect(Array.from(fromJson.set.labels)).toEqual([2, 0, 1]);
    expect(fromJson.numClasses).toBe(3);
    const fromText = await readPngBatch(png, await labels('labels.txt', '2\n0, 1\n'));
    expect(Array.from(fromText.set.labels)).toEqual([2, 0, 1]);
  });

  it('refuses a width that is not a square, a label count that differs, and a bad label, naming the file and place', async () => {
    const png = await batch(4, 3);
    await expect(readPngBatch(await batch(5, 2), await labels('two.json', '[1, 2]'))).rejects.toThrow(/batch-5-2\.png: is 5 pixels wide, which is not a square image per row/);
    const two = await labels('short.json', '[1, 2]');
    await expect(readPngBatch(png, two)).rejects.toThrow(`${two}: holds 2 labels, but ${png} has 3 rows (one image each)`);
    await expect(readPngBatch(png, await labels('bad.txt', '1\n2\nseven\n'))).rejects.toThrow(/bad\.txt: line 3: "seven" is not a label/);
    await expect(readPngBatch(png, await labels('bad.json', '[1, 2.5, 3]'))).rejects.toThrow(/bad\.json: item 1: 2\.5 is not a label/);
  });

  it('refuses a sheet wider than a 256×256 image per row before decoding it, naming the file and the size', async () => {
    const png = path.join(dir, 'wide.png');
    await writeFile(png, pngDeclaring(256 * 256 * 2, 2));
    await expect(readPngBatch(png, await labels('wide.json', '[1, 2]'))).rejects.toThrow(
      `${png}: declares 131072×2 pixels; at most 65536×1000000 and 67,108,864 pixels in all can be imported`,
    );
  });

  it('takes a sheet of up to 85,598 images of 28×28 (64 Mi pixels), as its comment and the README say, and refuses one more', async () => {
    // Through the header check alone: decoding the full sheet would take 256 MiB.
    expect(checkPngHeader('fits.png', pngDeclaring(784, 85_598), SHEET_LIMITS)).toEqual({ width: 784, height: 85_598 });
    const over = path.join(dir, 'over.png');
    await writeFile(over, pngDeclaring(784, 85_599));
    await expect(readPngBatch(over, await labels('over.json', '[]'))).rejects.toThrow(`${over}: declares 784×85599 pixels;`);
  });
});

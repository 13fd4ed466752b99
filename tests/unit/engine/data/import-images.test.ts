import { mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { readImageFolder } from '$engine/data/import-images';
import { jpegDeclaring, pngDeclaring } from '$tests/helpers/declared-size';
import { datasetFailure, tempDirs } from '$tests/helpers/temp-dirs';

const tempDir = tempDirs('mlp-lab-images-');

/** width×height RGBA, background colour everywhere but a bar of `ink` in the left third. */
function rgba(width: number, height: number, background: number[], ink: number[] | null): Buffer {
  const data = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const inBar = ink !== null && x >= width / 6 && x < width / 3 && y >= height / 4 && y < (3 * height) / 4;
      data.set([...(inBar ? ink : background), 255], (y * width + x) * 4);
    }
  }
  return data;
}
const png = (w: number, h: number, bg: number[], ink: number[] | null) => {
  const image = new PNG({ width: w, height: h });
  rgba(w, h, bg, ink).copy(image.data);
  return PNG.sync.write(image);
};

describe('readImageFolder', () => {
  it('reads class folders in natural order, skips hidden files, non-images and blanks, and centres each image as MNIST', async () => {
    const dir = await tempDir();
    for (const name of ['10', '2', '1', '.hidden']) await mkdir(path.join(dir, name));
    await writeFile(path.join(dir, '.DS_Store'), 'junk');
    // Dark ink on white (inverted), a colour pen on black, and a JPEG, in any size.
    await writeFile(path.join(dir, '1', 'a.png'), png(60, 40, [255, 255, 255], [0, 0, 0]));
    await writeFile(path.join(dir, '2', 'b.png'), png(28, 28, [0, 0, 0], [200, 30, 30]));
    await writeFile(path.join(dir, '10', 'c.jpg'), jpeg.encode({ width: 50, height: 50, data: rgba(50, 50, [250, 250, 250], [10, 10, 10]) }, 95).data);
    await writeFile(path.join(dir, '10', 'blank.png'), png(20, 20, [255, 255, 255], null));
    await writeFile(path.join(dir, '10', '.DS_Store'), 'junk');
    await writeFile(path.join(dir, '10', 'notes.txt'), 'not an image');
    await writeFile(path.join(dir, '.hidden', 'x.png'), png(20, 20, [0, 0, 0], [255, 255, 255]));

    const { set, classNames, skipped } = await readImageFolder(dir);
    expect(classNames).toEqual(['1', '2', '10']);
    expect(set).toMatchObject({ count: 3, rows: 28, cols: 28 });
    expect(Array.from(set.labels)).toEqual([0, 1, 2]);
    expect(skipped.map((s) => [path.basename(s.file), s.reason]).sort()).toEqual([
      ['.DS_Store', 'hidden'],
      ['blank.png', 'blank: no ink to centre'],
      ['notes.txt', 'not a PNG or JPEG file'],
    ]);
    for (let i = 0; i < 3; i++) {
      const image = set.images.subarray(i * 784, (i + 1) * 784);
      // Ink is bright and the background dark whatever the source's colours, and the bar sits in the middle.
      expect(Math.max(...image)).toBeGreaterThanOrEqual(190);
      expect(image[0]).toBe(0);
      expect(image[14 * 28 + 14]).toBeGreaterThan(100);
    }
  });

  it('names linked images and class folders as links, and keeps at most 20 skipped names a folder but counts them all', async () => {
    const dir = await tempDir();
    for (const name of ['a', 'b']) await mkdir(path.join(dir, name));
    await writeFile(path.join(dir, 'a', '1.png'), png(10, 10, [0, 0, 0], [255, 255, 255]));
    await writeFile(path.join(dir, 'b', '1.png'), png(10, 10, [0, 0, 0], [255, 255, 255]));
    await symlink(path.join(dir, 'a', '1.png'), path.join(dir, 'b', 'linked.png'));
    await symlink(path.join(dir, 'a'), path.join(dir, 'c'));
    for (let i = 0; i < 30; i++) await writeFile(path.join(dir, 'a', `notes-${i}.txt`), 'x');

    const { set, classNames, skipped, skippedCount } = await readImageFolder(dir);
    expect(classNames).toEqual(['a', 'b']);
    expect(set.count).toBe(2);
    expect(skipped.filter((s) => s.reason === 'a symbolic link, not followed').map((s) => s.file).sort()).toEqual([path.join(dir, 'b', 'linked.png'), path.join(dir, 'c')]);
    expect(skipped.filter((s) => s.reason === 'not a PNG or JPEG file')).toHaveLength(20);
    expect(skippedCount).toBe(32);
  });

  it('refuses a folder without two classes and too many images; skips a corrupt image, naming it and why', async () => {
    const one = await tempDir();
    await mkdir(path.join(one, 'only'));
    expect((await datasetFailure(readImageFolder(one))).problem).toBe('holds 1 class folder; an image dataset needs one folder per class, at least two');

    const dir = await tempDir();
    await mkdir(path.join(dir, 'a'));
    await mkdir(path.join(dir, 'b'));
    await writeFile(path.join(dir, 'a', '1.png'), png(10, 10, [0, 0, 0], [255, 255, 255]));
    await writeFile(path.join(dir, 'a', '2.png'), png(10, 10, [0, 0, 0], [255, 255, 255]));
    expect((await datasetFailure(readImageFolder(dir, { maxImages: 1 }))).message).toBe(`${dir}: holds 2 PNG or JPEG images, more than the 1 allowed; none was decoded`);
    await writeFile(path.join(dir, 'b', 'broken.png'), 'not really a png');
    await writeFile(path.join(dir, 'b', 'good.png'), png(10, 10, [0, 0, 0], [255, 255, 255]));
    const { set, skipped } = await readImageFolder(dir);
    expect(set.count).toBe(3);
    expect(skipped).toEqual([{ file: path.join(dir, 'b', 'broken.png'), reason: expect.stringMatching(/^cannot be decoded as PNG/) }]);
    await rm(path.join(dir, 'b', 'good.png'));
    await rm(path.join(dir, 'a'), { recursive: true });
    await mkdir(path.join(dir, 'a'));
    await writeFile(path.join(dir, 'a', 'broken.jpg'), 'not really a jpeg');
    expect((await datasetFailure(readImageFolder(dir))).problem).toBe('holds no PNG or JPEG image with any ink (skipped: 2 that could not be read or decoded)');
    expect((await datasetFailure(readImageFolder(path.join(dir, 'b', 'broken.png')))).problem).toBe('is not a folder');
  });

  it('counts the images first and refuses too many before decoding any; reports progress; stops when cancelled', async () => {
    const dir = await tempDir();
    for (const name of ['a', 'b']) await mkdir(path.join(dir, name));
    // Files that would take a decoder to find wrong: a refusal that names no decoding error decoded none.
    for (let i = 0; i < 5; i++) await writeFile(path.join(dir, i < 3 ? 'a' : 'b', `${i}.png`), 'not really a png');
    const progress: [number, number][] = [];
    const refused = await datasetFailure(readImageFolder(dir, { maxImages: 4, onProgress: (done, total) => progress.push([done, total]) }));
    expect(refused.problem).toBe('holds 5 PNG or JPEG images, more than the 4 allowed; none was decoded');
    expect(progress).toEqual([]);

    for (let i = 0; i < 5; i++) await writeFile(path.join(dir, i < 3 ? 'a' : 'b', `${i}.png`), png(10, 10, [0, 0, 0], [255, 255, 255]));
    const { set } = await readImageFolder(dir, { onProgress: (done, total) => progress.push([done, total]) });
    expect(set.count).toBe(5);
    expect(progress).toEqual([0, 1, 2, 3, 4, 5].map((done) => [done, 5]));

    const controller = new AbortController();
    const seen: number[] = [];
    const cancelled = readImageFolder(dir, {
      signal: controller.signal,
      onProgress: (done) => {
        seen.push(done);
        if (done === 2) controller.abort(new Error('cancelled by the user'));
      },
    });
    await expect(cancelled).rejects.toThrow('cancelled by the user');
    expect(seen).toEqual([0, 1, 2]);
  });

  it('skips an image declaring more than 2048×2048 pixels before decoding it, naming its size, and refuses a folder of nothing else', async () => {
    const dir = await tempDir();
    for (const name of ['a', 'b']) await mkdir(path.join(dir, name));
    await writeFile(path.join(dir, 'a', '1.png'), png(10, 10, [0, 0, 0], [255, 255, 255]));
    await writeFile(path.join(dir, 'b', '1.png'), png(10, 10, [0, 0, 0], [255, 255, 255]));
    await writeFile(path.join(dir, 'b', 'huge.png'), pngDeclaring(2049, 2049));
    const small = jpeg.encode({ width: 8, height: 8, data: rgba(8, 8, [0, 0, 0], [255, 255, 255]) }, 90).data;
    // A 12 MP phone photo, as a JPEG.
    await writeFile(path.join(dir, 'b', 'photo.jpg'), jpegDeclaring(small, 4032, 3024));
    const { set, skipped } = await readImageFolder(dir);
    expect(set.count).toBe(2);
    const limit = 'at most 2048×2048 and 4,194,304 pixels in all can be imported';
    expect(skipped).toEqual([
      { file: path.join(dir, 'b', 'huge.png'), reason: `declares 2049×2049 pixels; ${limit}` },
      { file: path.join(dir, 'b', 'photo.jpg'), reason: `declares 4032×3024 pixels; ${limit}` },
    ]);

    for (const folder of ['a', 'b']) await rm(path.join(dir, folder, '1.png'));
    const e = await datasetFailure(readImageFolder(dir));
    expect(e.message).toBe(`${dir}: holds no PNG or JPEG image with any ink (skipped: 2 over 2048×2048)`);
  });
});

import { existsSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { loadImageSet } from '$engine/data/load-dataset';
import { IDX_NAMES, idxBytes } from '$engine/data/write-idx';
import { DatasetImportService } from '$main/services/dataset-import-service';
import { scriptedDialogs, type ScriptedAnswers } from '$main/services/dialogs';
import { tempDirs } from '$tests/helpers/temp-dirs';

const tempDir = tempDirs('mlp-lab-import-svc-');

async function service(answers: ScriptedAnswers) {
  const userDataDir = await tempDir();
  return { imports: new DatasetImportService({ userDataDir, dialogs: scriptedDialogs(answers) }), userDataDir };
}

/** 14 images of 2×2 with labels i % 3 as Kaggle-style CSV. */
async function csvFile(): Promise<string> {
  const lines = ['label,pixel0,pixel1,pixel2,pixel3'];
  for (let i = 0; i < 14; i++) lines.push(`${i % 3},${i},${i},${i},${i}`);
  const file = path.join(await tempDir(), 'train.csv');
  await writeFile(file, lines.join('\n'));
  return file;
}

async function idxFiles(prefix: string, count: number, label = (i: number) => i % 4): Promise<[string, string]> {
  const dir = await tempDir();
  const images = path.join(dir, `${prefix}-images-idx3-ubyte.gz`);
  const labels = path.join(dir, `${prefix}-labels-idx1-ubyte`);
  await writeFile(images, gzipSync(idxBytes([count, 3, 3], new Uint8Array(count * 9).fill(5))));
  await writeFile(labels, idxBytes([count], Uint8Array.from({ length: count }, (_, i) => label(i))));
  return [images, labels];
}

describe('DatasetImportService', () => {
  it('previews a CSV, saves it split by the fraction as IDX with a manifest, lists and deletes it', async () => {
    const file = await csvFile();
    const { imports, userDataDir } = await service({ open: [[file]], confirm: [false, true] });
    const preview = (await imports.preview('csv'))!;
    expect(preview).toMatchObject({ format: 'csv', sources: ['train.csv'], rows: 2, cols: 2, numClasses: 3, counts: { train: 14, test: null } });
    expect(preview.classNames).toEqual(['0', '1', '2']);
    expect(preview.classCounts).toEqual([5, 5, 4]);
    expect(Array.from(preview.sample.labels.subarray(0, 4))).toEqual([0, 1, 2, 0]);
    expect(preview.sample.images.length).toBe(14 * 4);

    const saved = await imports.save({ token: preview.token, name: 'My shapes!', classNames: ['circle', 'square', 'star'], testFraction: 0.25 });
    expect(saved.id).toMatch(/^my-shapes-[a-z0-9]+$/);
    expect(saved.counts).toEqual({ train: 10, test: 4 });
    const dir = path.join(userDataDir, 'datasets', 'imported', saved.id);
    expect((await readdir(dir)).sort()).toEqual([...Object.values(IDX_NAMES), 'dataset.json'].sort());
    const test = await loadImageSet(path.join(dir, IDX_NAMES.testImages), path.join(dir, IDX_NAMES.testLabels), { numClasses: 3 });
    expect(Array.from(test.labels)).toEqual([1, 2, 0, 1]);
    expect(await imports.list()).toEqual({ datasets: [saved], problems: [] });

    expect(await imports.remove(saved.id)).toBe(false);
    expect(existsSync(dir)).toBe(true);
    expect(await imports.remove(saved.id)).toBe(true);
    expect(existsSync(dir)).toBe(false);
    expect(await imports.list()).toEqual({ datasets: [], problems: [] });
  });

  it('imports a folder of class folders with the folder names as class names, listing what it skipped', async () => {
    const dir = await tempDir();
    const dot = new PNG({ width: 12, height: 12 });
    dot.data.fill(255);
    for (let p = 0; p < 144; p++) if (p % 12 > 3 && p % 12 < 8 && p > 36 && p < 100) dot.data.fill(0, p * 4, p * 4 + 3);
    for (const name of ['dog', 'cat']) {
      await mkdir(path.join(dir, name));
      for (const i of [1, 2, 3]) await writeFile(path.join(dir, name, `${i}.png`), PNG.sync.write(dot));
    }
    await writeFile(path.join(dir, 'cat', '.DS_Store'), 'x');
    const { imports } = await service({ open: [[dir]] });
    const preview = (await imports.preview('folder'))!;
    expect(preview).toMatchObject({ format: 'folder', rows: 28, cols: 28, numClasses: 2, classNames: ['cat', 'dog'], counts: { train: 6, test: null } });
    expect(preview.classCounts).toEqual([3, 3]);
    expect(preview.skipped).toEqual(['.DS_Store: hidden']);
    expect(preview.skippedCount).toBe(1);
    for (let i = 0; i < 25; i++) await writeFile(path.join(dir, 'dog', `${i}.txt`), 'x');
    const many = (await service({ open: [[dir]] })).imports;
    const crowded = (await many.preview('folder'))!;
    expect(crowded.skipped).toHaveLength(20);
    expect(crowded.skippedCount).toBe(26);
    const saved = await imports.save({ token: preview.token, name: 'Pets', classNames: preview.classNames, testFraction: 0.34 });
    expect(saved.counts).toEqual({ train: 4, test: 2 });
  });

  it('reports a folder read\'s progress as events, and a cancel makes its preview answer null', async () => {
    const dir = await tempDir();
    const dot = new PNG({ width: 12, height: 12 });
    dot.data.fill(255, 4 * 60, 4 * 64);
    for (const name of ['a', 'b']) {
      await mkdir(path.join(dir, name));
      for (const i of [1, 2, 3, 4]) await writeFile(path.join(dir, name, `${i}.png`), PNG.sync.write(dot));
    }
    const sent: unknown[] = [];
    let clock = 0;
    // A clock that moves a second per look: every image's progress goes out.
    const imports = new DatasetImportService({ userDataDir: await tempDir(), dialogs: scriptedDialogs({}), events: (event, payload) => void sent.push([event, payload]), now: () => (clock += 1000) });
    expect((await imports.preview('folder', [dir]))!.counts.train).toBe(8);
    expect(sent).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8].map((done) => ['dataset:import-progress', { done, total: 8 }]));

    sent.length = 0;
    const cancelling = new DatasetImportService({
      userDataDir: await tempDir(),
      dialogs: scriptedDialogs({}),
      now: () => (clock += 1000),
      events: (_event, payload) => {
        sent.push(payload);
        if ((payload as { done: number }).done === 3) cancelling.cancelPreview();
      },
    });
    expect(await cancelling.preview('folder', [dir])).toBeNull();
    expect(sent.at(-1)).toEqual({ done: 3, total: 8 });
  });

  it("imports 002's PNG batch with its labels file", async () => {
    const dir = await tempDir();
    const png = new PNG({ width: 784, height: 5 });
    png.data.fill(255);
    await writeFile(path.join(dir, 'batch.png'), PNG.sync.write(png));
    await writeFile(path.join(dir, 'labels.json'), '[0, 1, 1, 2, 0]');
    const { imports } = await service({ open: [[path.join(dir, 'labels.json'), path.join(dir, 'batch.png')], [path.join(dir, 'batch.png')]] });
    const preview = (await imports.preview('png-batch'))!;
    expect(preview).toMatchObject({ rows: 28, cols: 28, numClasses: 3, counts: { train: 5, test: null }, classCounts: [2, 2, 1] });
    expect(preview.sample.images[0]).toBe(255);
    await expect(imports.preview('png-batch')).rejects.toThrow('Pick the PNG batch and its labels file (JSON or text)');
  });

  it('refuses to save what its manifest could not be listed with, naming the field, and writes nothing', async () => {
    const { imports, userDataDir } = await service({ open: [[await csvFile()]] });
    const preview = (await imports.preview('csv'))!;
    const request = { token: preview.token, name: 'Shapes', classNames: ['a', 'b', 'c'], testFraction: 0.25 };
    await expect(imports.save({ ...request, name: 'x'.repeat(81) })).rejects.toThrow(/^This import cannot be saved: name: /);
    await expect(imports.save({ ...request, classNames: ['a', '', 'c'] })).rejects.toThrow(/^This import cannot be saved: classNames\.1: /);
    expect(existsSync(path.join(userDataDir, 'datasets', 'imported'))).toBe(false);
    // The preview is still current, so the user can correct the names and save.
    expect((await imports.save(request)).name).toBe('Shapes');
    expect((await imports.list()).datasets).toHaveLength(1);
  });

  it('returns null when the dialog is cancelled', async () => {
    const { imports } = await service({ open: [[]] });
    expect(await imports.preview('csv')).toBeNull();
  });

  it('imports an IDX pair, and a train and test pair told apart by their names', async () => {
    const pair = await idxFiles('mine', 6);
    const train = await idxFiles('train', 8);
    const test = await idxFiles('t10k', 3, () => 5);
    const { imports } = await service({ open: [pair, [test[1], train[0], test[0], train[1]]] });
    const one = (await imports.preview('idx'))!;
    expect(one).toMatchObject({ rows: 3, cols: 3, numClasses: 4, counts: { train: 6, test: null } });
    const two = (await imports.preview('idx'))!;
    expect(two).toMatchObject({ numClasses: 6, counts: { train: 8, test: 3 } });
    expect(two.classCounts).toEqual([2, 2, 2, 2, 0, 3]);
    // The first preview is no longer current.
    await expect(imports.save({ token: one.token, name: 'x', classNames: ['a', 'b', 'c', 'd'], testFraction: 0.2 })).rejects.toThrow(/no longer current/);
    await expect(imports.save({ token: two.token, name: 'x', classNames: ['a'], testFraction: 0.2 })).rejects.toThrow(
      '1 class names were given, but the data has 6 classes',
    );
    const saved = await imports.save({ token: two.token, name: 'x', classNames: ['a', 'b', 'c', 'd', 'e', 'f'], testFraction: 0.2 });
    expect(saved.counts).toEqual({ train: 8, test: 3 });
  });

  it('says which files to pick, and passes on a reader error naming the file and line', async () => {
    const pair = await idxFiles('mine', 2);
    const bad = path.join(await tempDir(), 'bad.csv');
    await writeFile(bad, '1,2,3,4,5\n1,2,3,4\n');
    const { imports } = await service({ open: [[pair[0]], [pair[0], pair[0]], [bad]] });
    await expect(imports.preview('idx')).rejects.toThrow('Pick 2 IDX files (images and labels) or 4 (train and test), not 1');
    await expect(imports.preview('idx')).rejects.toThrow('Pick an images file (idx3) and a labels file (idx1)');
    await expect(imports.preview('csv')).rejects.toThrow(`${bad}: line 2: has 4 values, but 5 are expected (a label and 4 pixels)`);
  });
});

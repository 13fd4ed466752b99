import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATASETS } from '$shared/datasets/catalog';
import { DatasetService } from '$main/services/dataset-service';
import { DatasetImportService } from '$main/services/dataset-import-service';
import { writeIdxDataset } from '$engine/data/write-idx';
import { scriptedDialogs } from '$main/services/dialogs';
import { RESOURCES_DIR, syntheticSet } from '$tests/helpers/datasets';
import { tempDirs } from '$tests/helpers/temp-dirs';

const service = new DatasetService({ resourcesDir: RESOURCES_DIR, userDataDir: '/nonexistent-user-data' });

describe('DatasetService', () => {
  it('lists the catalog with what is on this machine', async () => {
    expect((await service.list()).map((d) => [d.id, d.bundled, d.available])).toEqual([
      ['mnist', true, true],
      ['fashion-mnist', false, false],
      ['kmnist', false, false],
    ]);
  });

  it('returns the requested sample images and labels', async () => {
    const samples = await service.samples({ datasetId: 'mnist', split: 'train', indices: [0, 1, 2, 3, 4] });
    expect(Array.from(samples.labels)).toEqual([5, 0, 4, 1, 9]);
    expect(samples.images.length).toBe(5 * 28 * 28);
    expect(samples).toMatchObject({ rows: 28, cols: 28, indices: [0, 1, 2, 3, 4] });
  });

  it('counts a downloaded dataset as present only once every file is in place', async () => {
    const userDataDir = await mkdtemp(path.join(tmpdir(), 'mlp-lab-ds-'));
    try {
      const dir = path.join(userDataDir, 'datasets', 'fashion-mnist');
      await mkdir(dir, { recursive: true });
      const files = Object.values(DATASETS['fashion-mnist'].files);
      const local = new DatasetService({ resourcesDir: RESOURCES_DIR, userDataDir });
      for (const file of files.slice(0, 3)) await writeFile(path.join(dir, file.name), 'x');
      await writeFile(path.join(dir, `${files[3].name}.part`), 'x');
      expect(local.isAvailable('fashion-mnist')).toBe(false);
      await writeFile(path.join(dir, files[3].name.replace(/\.gz$/, '')), 'x');
      expect(local.isAvailable('fashion-mnist')).toBe(true);
    } finally {
      await rm(userDataDir, { recursive: true, force: true });
    }
  });

  it("returns a split's labels as a copy, with the image size", async () => {
    const labels = await service.labels({ datasetId: 'mnist', split: 'train' });
    expect(labels).toMatchObject({ datasetId: 'mnist', split: 'train', rows: 28, cols: 28 });
    expect(labels.labels.length).toBe(60_000);
    expect(Array.from(labels.labels.subarray(0, 5))).toEqual([5, 0, 4, 1, 9]);
    expect(labels.labels.buffer.byteLength).toBe(60_000);
  });

  it('explains an index out of range and a dataset that is not there', async () => {
    await expect(service.samples({ datasetId: 'mnist', split: 'test', indices: [10_000] })).rejects.toThrow(
      /mnist test has 10000 images; index 10000 is out of range/,
    );
    await expect(service.samples({ datasetId: 'fashion-mnist', split: 'test', indices: [0] })).rejects.toThrow(
      /Fashion-MNIST is not on this machine yet/,
    );
  });
});

describe('DatasetService with imported datasets', () => {
  const tempDir = tempDirs('mlp-lab-imported-');

  /** A user-data folder holding one imported dataset, as DatasetImportService.save writes it. */
  async function withImport(manifest: Record<string, unknown> = {}) {
    const userDataDir = await tempDir();
    const root = path.join(userDataDir, 'datasets', 'imported');
    await mkdir(root, { recursive: true });
    const id = 'my-digits-m1x2y3';
    const splits = { train: syntheticSet(30, 1, 28, 28, 3), test: syntheticSet(12, 2, 28, 28, 3) };
    const body = { id, name: 'My digits', classNames: ['a', 'b', 'c'], rows: 28, cols: 28, counts: { train: 30, test: 12 }, importedAt: '2026-12-01T20:00:00.000Z', ...manifest };
    await writeIdxDataset(path.join(root, id), splits, { 'dataset.json': JSON.stringify(body) });
    const imports = new DatasetImportService({ userDataDir, dialogs: scriptedDialogs({}) });
    return { id, root, splits, service: new DatasetService({ resourcesDir: RESOURCES_DIR, userDataDir, sources: [imports] }) };
  }

  it('lists an import after the catalog, and reads its images like any other dataset', async () => {
    const { id, splits, service } = await withImport();
    const list = await service.list();
    expect(list.map((d) => [d.id, d.source, d.available])).toEqual([
      ['mnist', 'catalog', true],
      ['fashion-mnist', 'catalog', false],
      ['kmnist', 'catalog', false],
      [id, 'imported', true],
    ]);
    expect(list[3]).toMatchObject({ displayName: 'My digits', classNames: ['a', 'b', 'c'], counts: { train: 30, test: 12 } });
    const samples = await service.samples({ datasetId: id, split: 'test', indices: [0, 11] });
    expect(Array.from(samples.labels)).toEqual([splits.test.labels[0], splits.test.labels[11]]);
    expect(Array.from(samples.images.subarray(784, 2 * 784))).toEqual(Array.from(splits.test.images.subarray(11 * 784, 12 * 784)));
    await expect(service.describe(id)).resolves.toMatchObject({ id, dir: expect.stringContaining(id), counts: { train: 30, test: 12 } });
  });

  it('holds an import to its manifest: a count that does not match the files is named', async () => {
    const { id, service } = await withImport({ counts: { train: 31, test: 12 } });
    await expect(service.load(id)).rejects.toThrow(/train-(images-idx3|labels-idx1)-ubyte\.gz: the IDX header declares 30 .*31/);
  });

  it('skips a folder whose manifest is corrupt or names another id, and never looks up a path', async () => {
    const { id, root, service } = await withImport({ id: 'another-id' });
    expect((await service.list()).map((d) => d.id)).toEqual(['mnist', 'fashion-mnist', 'kmnist']);
    await expect(service.describe(id)).rejects.toThrow(`There is no dataset "${id}" on this machine`);
    await writeFile(path.join(root, id, 'dataset.json'), '{"id": ');
    await expect(service.describe(id)).rejects.toThrow(/There is no dataset/);
    await expect(service.describe('../../etc')).rejects.toThrow('There is no dataset "../../etc" on this machine');
  });

  it('skips, at once, a manifest that is a FIFO or a link to /dev/zero', async () => {
    const { id, root, service } = await withImport();
    const manifest = path.join(root, id, 'dataset.json');
    await rm(manifest);
    execFileSync('mkfifo', [manifest]);
    expect((await service.list()).map((d) => d.id)).not.toContain(id);
    await rm(manifest);
    await symlink('/dev/zero', manifest);
    await expect(service.describe(id)).rejects.toThrow(/There is no dataset/);
  });
});

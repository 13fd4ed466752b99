import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATASETS } from '../../../../src/shared/datasets/catalog';
import { DatasetService } from '../../../../src/main/services/dataset-service';
import { RESOURCES_DIR } from '../../../helpers/datasets';

const service = new DatasetService({ resourcesDir: RESOURCES_DIR, userDataDir: '/nonexistent-user-data' });

describe('DatasetService', () => {
  it('lists the catalog with what is on this machine', () => {
    expect(service.list().map((d) => [d.id, d.bundled, d.available])).toEqual([
      ['mnist', true, true],
      ['fashion-mnist', false, false],
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

import { describe, expect, it } from 'vitest';
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

  it('explains an index out of range and a dataset that is not there', async () => {
    await expect(service.samples({ datasetId: 'mnist', split: 'test', indices: [10_000] })).rejects.toThrow(
      /mnist test has 10000 images; index 10000 is out of range/,
    );
    await expect(service.samples({ datasetId: 'fashion-mnist', split: 'test', indices: [0] })).rejects.toThrow(
      /Fashion-MNIST is not on this machine yet/,
    );
  });
});

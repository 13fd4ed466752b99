import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readModelFiles } from '$engine/ml/model-files';
import type { ProjectorAnswer, ProjectorJob } from '$engine/projector/projector-jobs';
import { DatasetService } from '$main/services/dataset-service';
import { ProjectorService } from '$main/services/projector-service';
import type { DatasetId } from '$shared/datasets/catalog';
import type { EventChannel, EventPayload } from '$shared/ipc/contract';
import type { ModelPayload } from '$shared/models';
import type { ProjectionMap } from '$shared/projector/projector';
import { RESOURCES_DIR } from '$tests/helpers/datasets';

const datasets = new DatasetService({ resourcesDir: RESOURCES_DIR, userDataDir: '/nonexistent-user-data' });
const bundled = await readModelFiles(path.join(RESOURCES_DIR, 'models', 'default'));
const active: ModelPayload = { id: 'default', ...bundled };

const map: ProjectionMap = {
  layer: 2,
  method: 'pca',
  count: 2,
  dim: 3,
  coords: new Float32Array(4),
  labels: new Uint8Array(2),
  predictions: new Uint8Array(2),
  pca: null,
  knnAccuracy: 1,
  seconds: 0.1,
};

function harness(model: ModelPayload = active, answer: (job: ProjectorJob) => ProjectorAnswer = () => ({ type: 'project', map, activations: null })) {
  const jobs: ProjectorJob[] = [];
  const cancelled: string[] = [];
  const events: { event: EventChannel; payload: unknown }[] = [];
  let release: () => void = () => {};
  const service = new ProjectorService({
    events: <E extends EventChannel>(event: E, payload: EventPayload<E>) => events.push({ event, payload }),
    models: { active: async () => model },
    describeDataset: (id) => datasets.describe(id),
    worker: {
      runProjectorJob: async (job, onProgress) => {
        jobs.push(job);
        onProgress(1, 2);
        if (job.type === 'project' && job.method === 'umap') await new Promise<void>((resolve) => (release = resolve));
        return answer(job);
      },
      cancelJob: (requestId) => cancelled.push(requestId),
    },
  });
  return { service, jobs, cancelled, events, release: () => release() };
}

describe('ProjectorService', () => {
  it('maps the active model on its dataset with the choices asked, relaying progress', async () => {
    const { service, jobs, events } = harness();
    const projection = await service.project({ layer: 2, method: 'pca', sample: 1000 });
    expect(jobs[0]).toMatchObject({ type: 'project', layer: 2, method: 'pca', sample: 1000, model: { id: 'default' }, dataset: { id: 'mnist' } });
    expect(projection).toMatchObject({ modelId: 'default', datasetId: 'mnist', knnAccuracy: 1, activations: null });
    expect(events).toEqual([{ event: 'projector:progress', payload: { requestId: jobs[0].requestId, done: 1, total: 2 } }]);
  });

  it('cancels the map in progress when a newer one is asked for', async () => {
    const { service, jobs, cancelled, release } = harness();
    const slow = service.project({ layer: 1, method: 'umap', sample: null });
    await new Promise((resolve) => setImmediate(resolve));
    await service.project({ layer: 2, method: 'pca', sample: 1000 });
    expect(cancelled).toEqual([jobs[0].requestId]);
    release();
    await slow;
  });

  it('searches with the image as float pixels, and answers with the active model and dataset', async () => {
    const { service, jobs } = harness(active, () => ({ type: 'nearest', layer: 2, neighbours: [{ index: 5, label: 1, distance: 0.5 }], searchMs: 3, indexMs: 0, searched: 60000 }));
    const found = await service.nearest({ pixels: Array.from({ length: 784 }, (_, i) => (i % 2) * 0.5) });
    const job = jobs[0];
    if (job.type !== 'nearest') throw new Error('not a search');
    expect(job.pixels).toBeInstanceOf(Float32Array);
    expect(job.pixels[1]).toBe(0.5);
    expect(found).toEqual({ modelId: 'default', datasetId: 'mnist', layer: 2, neighbours: [{ index: 5, label: 1, distance: 0.5 }], searchMs: 3, indexMs: 0, searched: 60000 });
  });

  it("refuses an image that is not the dataset's size, and a model whose classes do not fit its dataset", async () => {
    await expect(harness().service.nearest({ pixels: [0, 1] })).rejects.toThrow(/2 pixels; MNIST's have 784/);
    const odd: ModelPayload = { ...active, metadata: { ...active.metadata, name: 'Odd', classNames: ['a', 'b'], datasetId: 'mnist' as DatasetId } };
    await expect(harness(odd).service.project({ layer: 0, method: 'pca', sample: 1000 })).rejects.toThrow(/Odd tells 2 classes apart/);
  });
});

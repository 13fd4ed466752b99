import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { EvaluationAnswer, EvaluationJob } from '$engine/evaluation/jobs';
import { readModelFiles, type ModelFiles } from '$engine/ml/model-files';
import { EvaluationService } from '$main/services/evaluation-service';
import { catalogDescriptor } from '$shared/datasets/descriptor';
import { ROBUSTNESS_VARIANTS } from '$shared/robustness';
import { RESOURCES_DIR } from '$tests/helpers/datasets';

const bundled = await readModelFiles(path.join(RESOURCES_DIR, 'models', 'default'));
const library: Record<string, ModelFiles> = {
  default: bundled,
  mine: { ...bundled, metadata: { ...bundled.metadata, name: 'Mine' } },
  fashion: { ...bundled, metadata: { ...bundled.metadata, name: 'Fashion one', datasetId: 'fashion-mnist' } },
};

/** Three test images of classes 0, 1, 1 with ten classes: 'default' gets all right, 'mine' calls every image 1. */
function probabilities(id: string): Float32Array {
  const out = new Float32Array(30).fill(0.01);
  const predicted = id === 'default' ? [0, 1, 1] : [1, 1, 1];
  predicted.forEach((c, i) => (out[i * 10 + c] = 0.9));
  return out;
}

let jobs: EvaluationJob[];
let fashionHere: boolean;
let service: EvaluationService;
beforeEach(() => {
  jobs = [];
  fashionHere = false;
  service = new EvaluationService({
    events: () => undefined,
    models: { active: async () => ({ id: 'default', ...bundled }) },
    library: {
      read: async (id) => {
        if (!library[id]) throw new Error(`"${id}" is not a model of the library`);
        return library[id];
      },
    },
    describeDataset: async (id) => {
      if (id === 'mnist' || (id === 'fashion-mnist' && fashionHere)) return catalogDescriptor(id, `/datasets/${id}`);
      throw new Error(`${id} is not on this machine yet`);
    },
    worker: {
      runJob: async (job): Promise<EvaluationAnswer> => {
        jobs.push(job);
        if (job.type === 'evaluate') {
          return { type: 'evaluate', loss: 0.1, accuracy: 0, probabilities: probabilities(job.model.id), labels: new Uint8Array([0, 1, 1]), count: 3, seconds: 1 };
        }
        if (job.type !== 'robustness') throw new Error(`no ${job.type} jobs here`);
        return { type: 'robustness', results: job.models.map((m) => ({ modelId: m.id, modelName: m.files.metadata.name, images: job.images ?? 0, original: 0.9, rows: [] })) };
      },
      cancelJobs: () => undefined,
    },
  });
});

describe('EvaluationService.compare', () => {
  it('scores both models on the test split (accuracy, recall per class), then checks both for robustness in one job', async () => {
    const comparison = await service.compare({ a: 'default', b: 'mine', images: 300 });
    expect(comparison.a).toMatchObject({ id: 'default', name: bundled.metadata.name, datasetId: 'mnist', count: 3, accuracy: 1 });
    expect(comparison.a.recall).toEqual([1, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(comparison.b).toMatchObject({ id: 'mine', name: 'Mine', accuracy: 2 / 3 });
    expect(comparison.b.recall.slice(0, 2)).toEqual([0, 1]);
    expect(comparison.a.classNames).toEqual(bundled.metadata.classNames);
    expect(comparison.robustness.map((r) => r.modelId)).toEqual(['default', 'mine']);
    expect(jobs.map((j) => j.type)).toEqual(['evaluate', 'evaluate', 'robustness']);
    const robustness = jobs[2];
    if (robustness.type !== 'robustness') throw new Error('no robustness job');
    expect(robustness).toMatchObject({ dataset: { id: 'mnist', dir: '/datasets/mnist' }, images: 300 });
    expect(robustness.variants).toEqual(ROBUSTNESS_VARIANTS.map((v) => v.id));
  });

  it('refuses the same model twice, models of two datasets, and an unknown model, before any job', async () => {
    await expect(service.compare({ a: 'mine', b: 'mine', images: null })).rejects.toThrow('Pick two different models to compare');
    await expect(service.compare({ a: 'default', b: 'fashion', images: null })).rejects.toThrow(
      `${bundled.metadata.name} was trained on mnist, Fashion one on fashion-mnist: they cannot be compared`,
    );
    await expect(service.compare({ a: 'default', b: 'gone', images: null })).rejects.toThrow('"gone" is not a model of the library');
    expect(jobs).toEqual([]);
  });
});

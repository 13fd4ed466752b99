import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { EvaluationAnswer, EvaluationJob } from '$engine/evaluation/jobs';
import { readModelFiles } from '$engine/ml/model-files';
import { EvaluationService } from '$main/services/evaluation-service';
import type { DatasetId } from '$shared/datasets/catalog';
import type { EvaluationProgress } from '$shared/evaluation';
import type { EventChannel, EventPayload } from '$shared/ipc/contract';
import type { ModelPayload } from '$shared/models';
import { ROBUSTNESS_VARIANTS, type RobustnessResult } from '$shared/robustness';
import { DatasetService } from '$main/services/dataset-service';
import { RESOURCES_DIR } from '$tests/helpers/datasets';

/** The real lookup: MNIST is bundled, Fashion-MNIST is not downloaded into a user-data folder that does not exist. */
const datasets = new DatasetService({ resourcesDir: RESOURCES_DIR, userDataDir: '/nonexistent-user-data' });
const MNIST_DIR = path.join(RESOURCES_DIR, 'datasets', 'mnist');

const bundled = await readModelFiles(path.join(RESOURCES_DIR, 'models', 'default'));
const defaultPayload: ModelPayload = { id: 'default', ...bundled };
/** A model the user trained: another id and name, its own weights, the same dataset unless told. */
const trained = (datasetId = 'mnist'): ModelPayload => ({
  id: 'run-7',
  modelJson: bundled.modelJson,
  weights: new ArrayBuffer(8),
  metadata: { ...bundled.metadata, name: 'MLP 50 · sgd', datasetId: datasetId as DatasetId, classNames: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'] },
});

const evaluateAnswer: EvaluationAnswer = {
  type: 'evaluate',
  loss: 0.2,
  accuracy: 0.75,
  // Two images, ten classes each, as the default model gives.
  probabilities: Float32Array.from({ length: 20 }, (_, i) => (i === 1 || i === 10 ? 0.91 : 0.01)),
  labels: new Uint8Array([1, 1]),
  count: 2,
  seconds: 1.5,
};
const results: RobustnessResult[] = [{ modelId: 'run-7', modelName: 'MLP 50 · sgd', images: 2000, original: 0.97, rows: [{ variant: 'scale-0.8', accuracy: 0.9 }] }];

/** Stands in for TrainingService: records each job, reports the progress it is told to, then answers. */
class FakeWorker {
  jobs: EvaluationJob[] = [];
  cancels = 0;
  answer: EvaluationAnswer = evaluateAnswer;
  progress: [number, number][] = [];
  async runJob(job: EvaluationJob, onProgress: (done: number, total: number) => void): Promise<EvaluationAnswer> {
    this.jobs.push(structuredClone(job));
    for (const [done, total] of this.progress) onProgress(done, total);
    return this.answer;
  }
  cancelJobs(): void {
    this.cancels++;
  }
}

let worker: FakeWorker;
let active: ModelPayload;
let asked: DatasetId[];
let progress: EvaluationProgress[];
let service: EvaluationService;

beforeEach(() => {
  worker = new FakeWorker();
  active = defaultPayload;
  asked = [];
  progress = [];
  service = new EvaluationService({
    events: <E extends EventChannel>(event: E, payload: EventPayload<E>) => {
      if (event === 'evaluation:progress') progress.push(payload as EvaluationProgress);
    },
    models: { active: async () => active },
    library: {
      read: async (id) => {
        if (id === 'default') return bundled;
        if (id === 'fashion-1') return { ...bundled, metadata: { ...bundled.metadata, name: 'Fashion one', datasetId: 'fashion-mnist' } };
        throw new Error(`"${id}" is not a model of the library`);
      },
    },
    describeDataset: (id) => {
      asked.push(id);
      return datasets.describe(id);
    },
    worker,
  });
});

describe('EvaluationService.evaluate', () => {
  it("sends the active model's files and its dataset's folder, and returns its evaluation", async () => {
    active = trained();
    const evaluation = await service.evaluate();
    expect(worker.jobs).toHaveLength(1);
    const job = worker.jobs[0];
    if (job.type !== 'evaluate') throw new Error(`sent a ${job.type} job`);
    expect(job).toMatchObject({ dataset: { id: 'mnist', dir: MNIST_DIR }, model: { id: 'run-7' } });
    expect(asked).toEqual(['mnist']);
    expect(job.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(job.model.files.metadata).toEqual(active.metadata);
    expect(job.model.files.modelJson).toEqual(active.modelJson);
    expect(job.model.files.weights.byteLength).toBe(8);
    expect(evaluation).toEqual({
      modelId: 'run-7',
      modelName: 'MLP 50 · sgd',
      datasetId: 'mnist',
      imageSize: { rows: 28, cols: 28 },
      classNames: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'],
      count: 2,
      loss: 0.2,
      accuracy: 0.75,
      probabilities: evaluateAnswer.probabilities,
      labels: evaluateAnswer.labels,
      seconds: 1.5,
    });
    // A copy: the Gallery may not change the active model's metadata through it.
    expect(evaluation.classNames).not.toBe(active.metadata.classNames);
  });

  it('gives a fresh request id to each evaluation', async () => {
    await service.evaluate();
    await service.evaluate();
    expect(worker.jobs[0].requestId).not.toBe(worker.jobs[1].requestId);
  });

  it("relays the worker's progress as evaluation:progress with its request id and kind", async () => {
    worker.progress = [
      [1000, 10_000],
      [10_000, 10_000],
    ];
    await service.evaluate();
    const { requestId } = worker.jobs[0];
    expect(progress).toEqual([
      { requestId, kind: 'evaluation', done: 1000, total: 10_000 },
      { requestId, kind: 'evaluation', done: 10_000, total: 10_000 },
    ]);
  });

  it('refuses an answer of the wrong kind', async () => {
    worker.answer = { type: 'robustness', results };
    await expect(service.evaluate()).rejects.toThrow(/answered an evaluation with something else/);
  });
});

describe('EvaluationService.robustness', () => {
  it('sends every robustness variant, the active model and the image count, and returns the results', async () => {
    active = trained();
    worker.answer = { type: 'robustness', results };
    await expect(service.robustness({ compareWith: null, images: 2000 })).resolves.toEqual(results);
    const job = worker.jobs[0];
    if (job.type !== 'robustness') throw new Error(`sent a ${job.type} job`);
    expect(job).toMatchObject({ dataset: { id: 'mnist', dir: MNIST_DIR }, images: 2000 });
    expect(job.variants).toEqual(ROBUSTNESS_VARIANTS.map((v) => v.id));
    // 8 directions × 4 px, 4 rotations, 2 scales, re-centred: not an empty catalog passing by itself.
    expect(job.variants).toHaveLength(39);
    expect(job.models.map((m) => m.id)).toEqual(['run-7']);
    expect(job.models[0].files.metadata.name).toBe('MLP 50 · sgd');

    await service.robustness({ compareWith: null, images: null });
    expect(worker.jobs[1]).toMatchObject({ type: 'robustness', images: null });
  });

  it('adds the named library model beside a different active model on the same dataset', async () => {
    active = trained();
    worker.answer = { type: 'robustness', results };
    await service.robustness({ compareWith: 'default', images: null });
    const job = worker.jobs[0];
    if (job.type !== 'robustness') throw new Error(`sent a ${job.type} job`);
    expect(job.models.map((m) => m.id)).toEqual(['run-7', 'default']);
    expect(job.models[1].files.metadata.name).toBe(bundled.metadata.name);
    expect(job.models[1].files.weights.byteLength).toBe(bundled.weights.byteLength);
  });

  it('compares with nothing more when the named model is the active one', async () => {
    worker.answer = { type: 'robustness', results };
    await service.robustness({ compareWith: 'default', images: null });
    expect(worker.jobs.map((j) => (j.type === 'robustness' ? j.models.map((m) => m.id) : []))).toEqual([['default']]);
  });

  it('refuses to compare models of two datasets, or a model the library does not have, naming them', async () => {
    active = trained();
    await expect(service.robustness({ compareWith: 'fashion-1', images: null })).rejects.toThrow(
      'Fashion one was trained on fashion-mnist, the active model on mnist: they cannot be compared',
    );
    await expect(service.robustness({ compareWith: 'gone', images: null })).rejects.toThrow('"gone" is not a model of the library');
    expect(worker.jobs).toEqual([]);
  });

  it('relays progress with kind robustness', async () => {
    worker.answer = { type: 'robustness', results };
    worker.progress = [[4100, 82_000]];
    await service.robustness({ compareWith: null, images: null });
    expect(progress).toEqual([{ requestId: worker.jobs[0].requestId, kind: 'robustness', done: 4100, total: 82_000 }]);
  });

  it('refuses an answer of the wrong kind', async () => {
    await expect(service.robustness({ compareWith: null, images: null })).rejects.toThrow(/answered a robustness check with something else/);
  });
});

describe('EvaluationService refuses', () => {
  it('a model whose metadata names a dataset MLP Lab does not know, naming the model and the id', async () => {
    active = trained('../../etc');
    await expect(service.evaluate()).rejects.toThrow('MLP 50 · sgd: There is no dataset "../../etc" on this machine (was it deleted?).');
    await expect(service.robustness({ compareWith: 'default', images: null })).rejects.toThrow(/MLP 50 · sgd.*"\.\.\/\.\.\/etc"/);
    expect(worker.jobs).toEqual([]);
  });

  it('a dataset that is not on this machine', async () => {
    active = trained('fashion-mnist');
    await expect(service.evaluate()).rejects.toThrow('MLP 50 · sgd: Fashion-MNIST is not on this machine yet: download it in the Data tab.');
    await expect(service.robustness({ compareWith: null, images: 2000 })).rejects.toThrow(/Fashion-MNIST is not on this machine/);
    expect(worker.jobs).toEqual([]);
  });
});

describe('EvaluationService.cancel', () => {
  it('cancels what runs in the worker', () => {
    service.cancel();
    expect(worker.cancels).toBe(1);
  });
});

describe('EvaluationService and a model that disagrees with its metadata', () => {
  it('refuses an answer whose outputs do not match the class names, naming the model', async () => {
    worker.answer = { ...evaluateAnswer, probabilities: new Float32Array(4) };
    await expect(service.evaluate()).rejects.toThrow(/names 10 classes, but the model gives 2 outputs/);
  });
});

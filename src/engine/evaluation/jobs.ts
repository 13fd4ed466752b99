import type { DatasetDescriptor } from '../../shared/datasets/descriptor';
import type { ImageSet, LoadedDataset } from '../../shared/datasets/image-set';
import type { RobustnessResult } from '../../shared/robustness';
import { robustnessVariant } from '../../shared/robustness';
import type { ModelFiles } from '../ml/model-files';
import { modelFromFiles } from '../ml/persist';
import { evaluateSet, firstImages, robustnessOf } from './evaluator';
import type { FinetuneOptions } from '../../shared/handwriting/finetune';
import { runFinetuneJob, type FinetuneAnswer, type OwnSamples } from '../finetune/finetune-job';

/** A model as an evaluation job carries it. */
export interface JobModel {
  id: string;
  files: ModelFiles;
}

export type EvaluationJob =
  | {
      type: 'evaluate';
      requestId: string;
      dataset: DatasetDescriptor;
      model: JobModel;
      /** Images to evaluate on instead of the dataset's test split (your handwriting). */
      set?: ImageSet;
    }
  | {
      type: 'robustness';
      requestId: string;
      dataset: DatasetDescriptor;
      models: JobModel[];
      variants: string[];
      /** Use the first this many test images; null for all of them. */
      images: number | null;
    }
  | {
      /** Fine-tunes a copy of `model` on the user's samples with replay of the dataset (MNIST). */
      type: 'finetune';
      requestId: string;
      dataset: DatasetDescriptor;
      model: JobModel;
      own: OwnSamples;
      options: FinetuneOptions;
      name: string;
    };

/** What an evaluation job answers: the first model's figures, or one robustness result per model. */
export type EvaluationAnswer =
  | { type: 'evaluate'; loss: number; accuracy: number; probabilities: Float32Array; labels: Uint8Array; count: number; seconds: number }
  | { type: 'robustness'; results: RobustnessResult[] }
  | FinetuneAnswer;

export type JobMessage =
  | { type: 'job-progress'; requestId: string; done: number; total: number }
  | { type: 'job-done'; requestId: string; answer: EvaluationAnswer }
  | { type: 'job-failed'; requestId: string; message: string; cancelled: boolean };

/** Reports at most this often, as training progress does. */
const PROGRESS_INTERVAL_MS = 100;

/**
 * Runs evaluation jobs in the training worker (the one thread with a TensorFlow.js backend), one at a
 * time: a new job or a cancel ends the one before. Each job loads its models from their files and
 * disposes them when it ends.
 */
export class EvaluationJobs {
  #current: { requestId: string; controller: AbortController } | null = null;

  constructor(
    private readonly loadDataset: (dataset: DatasetDescriptor) => Promise<LoadedDataset>,
    private readonly post: (message: JobMessage) => void,
  ) {}

  cancel(requestId?: string): void {
    if (this.#current && (requestId === undefined || this.#current.requestId === requestId)) this.#current.controller.abort();
  }

  async run(job: EvaluationJob): Promise<void> {
    this.cancel();
    const controller = new AbortController();
    const current = { requestId: job.requestId, controller };
    this.#current = current;
    let last = -Infinity;
    const onProgress = (done: number, total: number): void => {
      const now = performance.now();
      if (done < total && now - last < PROGRESS_INTERVAL_MS) return;
      last = now;
      this.post({ type: 'job-progress', requestId: job.requestId, done, total });
    };
    const loaded: { dispose(): void }[] = [];
    try {
      const dataset = await this.loadDataset(job.dataset);
      const test = (job.type === 'evaluate' && job.set) || dataset.test;
      const control = { signal: controller.signal, onProgress };
      let answer: EvaluationAnswer;
      if (job.type === 'evaluate') {
        const model = await modelFromFiles(job.model.files);
        loaded.push(model);
        const started = performance.now();
        const result = await evaluateSet(model, test, job.model.files.metadata.normalization, control);
        answer = { type: 'evaluate', ...result, labels: test.labels.slice(), count: test.count, seconds: (performance.now() - started) / 1000 };
      } else if (job.type === 'finetune') {
        answer = await runFinetuneJob({ model: job.model.files, own: job.own, options: job.options, name: job.name }, dataset, control);
      } else {
        const variants = job.variants.map((id) => {
          const variant = robustnessVariant(id);
          if (!variant) throw new Error(`unknown robustness variant "${id}"`);
          return variant;
        });
        const results: RobustnessResult[] = [];
        const subset = firstImages(test, job.images ?? test.count);
        for (const [i, entry] of job.models.entries()) {
          const model = await modelFromFiles(entry.files);
          loaded.push(model);
          const images = subset.count * (variants.length + 1);
          const { original, rows } = await robustnessOf(model, subset, entry.files.metadata.normalization, variants, {
            signal: controller.signal,
            onProgress: (done) => onProgress(i * images + done, job.models.length * images),
          });
          results.push({ modelId: entry.id, modelName: entry.files.metadata.name, images: subset.count, original, rows });
        }
        answer = { type: 'robustness', results };
      }
      this.post({ type: 'job-done', requestId: job.requestId, answer });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.post({ type: 'job-failed', requestId: job.requestId, message, cancelled: controller.signal.aborted });
    } finally {
      for (const model of loaded) model.dispose();
      if (this.#current === current) this.#current = null;
    }
  }
}

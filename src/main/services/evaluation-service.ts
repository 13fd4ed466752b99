import { randomUUID } from 'node:crypto';
import type { DatasetDescriptor } from '../../shared/datasets/descriptor';
import type { ImageSet } from '../../shared/datasets/image-set';
import type { EvaluationProgress, ModelEvaluation } from '../../shared/evaluation';
import type { EventSink } from '../../shared/ipc/contract';
import { ROBUSTNESS_VARIANTS, type RobustnessResult } from '../../shared/robustness';
import type { EvaluationAnswer, EvaluationJob, JobModel } from '../../engine/evaluation/jobs';
import { filesOf, type ModelFiles } from '../../engine/ml/model-files';
import type { ModelPayload } from '../../shared/models';
import { scoreOf, type ComparedModel, type ModelComparison } from '../../shared/comparison';
import { allInOrder } from '../../shared/all-in-order';
import { modelDataset } from './model-dataset';

export interface EvaluationServiceOptions {
  events: EventSink;
  /** The active model. */
  models: { active(): Promise<ModelPayload> };
  /** Any model of the library (the bundled default included) to compare with, by id. */
  library: { read(id: string): Promise<ModelFiles> };
  /** What a dataset is and where (DatasetService.describe); throws when it is not here. */
  describeDataset: (id: string) => Promise<DatasetDescriptor>;
  /** Runs a job in the training worker (WorkerHost.runJob), and cancels what runs there. */
  worker: {
    runJob(job: EvaluationJob, onProgress: (done: number, total: number) => void): Promise<EvaluationAnswer>;
    cancelJobs(): void;
  };
}

/**
 * The Gallery's evaluations: the active model on its dataset's test split, and the robustness check.
 * They run in the training worker; one at a time, a newer request ending the older one there.
 */
export class EvaluationService {
  constructor(private readonly options: EvaluationServiceOptions) {}

  async evaluate(): Promise<ModelEvaluation> {
    const active = await this.options.models.active();
    return this.evaluateModel(active, await this.datasetOf(active));
  }

  /**
   * `model` on `set` when one is given (your handwriting, with `dataset` naming what the model knows),
   * else on the dataset's test split.
   */
  async evaluateModel(model: ModelPayload, dataset: DatasetDescriptor, set?: ImageSet): Promise<ModelEvaluation> {
    const answer = await this.scoredJob({ id: model.id, files: filesOf(model) }, dataset, set);
    return {
      modelId: model.id,
      modelName: model.metadata.name,
      datasetId: dataset.id,
      imageSize: dataset.imageSize,
      classNames: [...model.metadata.classNames],
      count: answer.count,
      loss: answer.loss,
      accuracy: answer.accuracy,
      probabilities: answer.probabilities,
      labels: answer.labels,
      seconds: answer.seconds,
    };
  }

  /**
   * Every robustness variant for the active model, and for a second model of the library beside it
   * when one is named; it must differ from the active one and share its dataset.
   */
  async robustness(request: { compareWith: string | null; images: number | null }): Promise<RobustnessResult[]> {
    const active = await this.options.models.active();
    const dataset = await this.datasetOf(active);
    const models: JobModel[] = [{ id: active.id, files: filesOf(active) }];
    if (request.compareWith !== null && request.compareWith !== active.id) {
      const other = await this.options.library.read(request.compareWith);
      const otherDataset = other.metadata.datasetId;
      if (otherDataset !== dataset.id) {
        throw new Error(`${other.metadata.name} was trained on ${otherDataset}, the active model on ${dataset.id}: they cannot be compared`);
      }
      models.push({ id: request.compareWith, files: other });
    }
    const requestId = randomUUID();
    const answer = await this.options.worker.runJob(
      {
        type: 'robustness',
        requestId,
        dataset,
        models,
        variants: ROBUSTNESS_VARIANTS.map((v) => v.id),
        images: request.images,
      },
      this.progress(requestId, 'robustness'),
    );
    if (answer.type !== 'robustness') throw new Error('the training process answered a robustness check with something else');
    return answer.results;
  }

  /**
   * Two library models side by side: test accuracy and recall of each class on the whole test split,
   * then both through the robustness check on the same images. They must share a dataset.
   */
  async compare(request: { a: string; b: string; images: number | null }): Promise<ModelComparison> {
    if (request.a === request.b) throw new Error('Pick two different models to compare');
    const [a, b] = await allInOrder([this.options.library.read(request.a), this.options.library.read(request.b)]);
    if (a.metadata.datasetId !== b.metadata.datasetId) {
      throw new Error(`${a.metadata.name} was trained on ${a.metadata.datasetId}, ${b.metadata.name} on ${b.metadata.datasetId}: they cannot be compared`);
    }
    const dataset = await this.datasetOf({ id: request.a, ...a });
    await this.datasetOf({ id: request.b, ...b });
    const scored: ComparedModel[] = [];
    for (const [id, files] of [[request.a, a], [request.b, b]] as const) {
      const answer = await this.scoredJob({ id, files }, dataset);
      const { accuracy, recall } = scoreOf(answer.probabilities, answer.labels, files.metadata.classNames.length);
      scored.push({ id, name: files.metadata.name, datasetId: dataset.id, classNames: [...files.metadata.classNames], count: answer.count, accuracy, recall });
    }
    const requestId = randomUUID();
    const answer = await this.options.worker.runJob(
      {
        type: 'robustness',
        requestId,
        dataset,
        // One job for both, so they are scored on the very same images.
        models: [{ id: request.a, files: a }, { id: request.b, files: b }],
        variants: ROBUSTNESS_VARIANTS.map((v) => v.id),
        images: request.images,
      },
      this.progress(requestId, 'robustness'),
    );
    if (answer.type !== 'robustness' || answer.results.length !== 2) throw new Error('the training process answered a robustness check with something else');
    return { a: scored[0], b: scored[1], robustness: [answer.results[0], answer.results[1]] };
  }

  cancel(): void {
    this.options.worker.cancelJobs();
  }

  /**
   * One evaluate job (on `set`, else the dataset's test split), its answer checked against the model's
   * metadata: as many outputs per image as it names classes.
   */
  private async scoredJob(model: JobModel, dataset: DatasetDescriptor, set?: ImageSet): Promise<Extract<EvaluationAnswer, { type: 'evaluate' }>> {
    const requestId = randomUUID();
    const answer = await this.options.worker.runJob(
      { type: 'evaluate', requestId, dataset, model, ...(set ? { set } : {}) },
      this.progress(requestId, 'evaluation'),
    );
    if (answer.type !== 'evaluate') throw new Error('the training process answered an evaluation with something else');
    const { name, classNames } = model.files.metadata;
    if (answer.probabilities.length !== answer.count * classNames.length) {
      throw new Error(`${name}: metadata.json names ${classNames.length} classes, but the model gives ${answer.probabilities.length / answer.count} outputs`);
    }
    return answer;
  }

  /** The dataset a model was trained on, checked (modelDataset). */
  private datasetOf(model: ModelPayload): Promise<DatasetDescriptor> {
    return modelDataset(model, this.options.describeDataset);
  }

  private progress(requestId: string, kind: EvaluationProgress['kind']) {
    return (done: number, total: number): void => this.options.events('evaluation:progress', { requestId, kind, done, total });
  }
}

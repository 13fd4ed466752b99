import { randomUUID } from 'node:crypto';
import type { DatasetDescriptor } from '../../shared/datasets/descriptor';
import type { EventSink } from '../../shared/ipc/contract';
import type { ModelPayload } from '../../shared/models';
import type { NearestDigits, Projection, ProjectorRequest } from '../../shared/projector/projector';
import type { ProjectorAnswer, ProjectorJob } from '../../engine/projector/projector-jobs';
import { filesOf } from '../../engine/ml/model-files';
import { modelDataset } from './model-dataset';

export interface ProjectorServiceOptions {
  events: EventSink;
  /** The active model. */
  models: { active(): Promise<ModelPayload> };
  /** What a dataset is and where (DatasetService.describe); throws when it is not here. */
  describeDataset: (id: string) => Promise<DatasetDescriptor>;
  /** Runs a job in the training worker (TrainingService), and cancels one. */
  worker: {
    runProjectorJob(job: ProjectorJob, onProgress: (done: number, total: number) => void): Promise<ProjectorAnswer>;
    cancelJob(requestId: string): void;
  };
}

/**
 * The projector's requests: a map of the active model's test images at one layer, and the training
 * images nearest an image in its last hidden layer. Both run in the training worker, between runs.
 */
export class ProjectorService {
  /** The map being made, so that a Cancel or a newer map ends it. */
  #mapping: string | null = null;

  constructor(private readonly options: ProjectorServiceOptions) {}

  async project(request: ProjectorRequest): Promise<Projection> {
    const active = await this.options.models.active();
    const dataset = await this.datasetOf(active);
    this.cancel();
    const requestId = randomUUID();
    this.#mapping = requestId;
    try {
      const answer = await this.options.worker.runProjectorJob(
        { type: 'project', requestId, dataset, model: { id: active.id, files: filesOf(active) }, ...request },
        (done, total) => this.options.events('projector:progress', { requestId, done, total }),
      );
      if (answer.type !== 'project') throw new Error('the training process answered a map with something else');
      return { ...answer.map, activations: answer.activations, modelId: active.id, datasetId: dataset.id };
    } finally {
      if (this.#mapping === requestId) this.#mapping = null;
    }
  }

  cancel(): void {
    if (this.#mapping) this.options.worker.cancelJob(this.#mapping);
    this.#mapping = null;
  }

  /** The training images nearest `pixels` (rows × cols values in 0..1) to the active model. */
  async nearest(request: { pixels: readonly number[] }): Promise<NearestDigits> {
    const active = await this.options.models.active();
    const dataset = await this.datasetOf(active);
    const size = dataset.imageSize.rows * dataset.imageSize.cols;
    if (request.pixels.length !== size) throw new Error(`The image has ${request.pixels.length} pixels; ${dataset.displayName}'s have ${size}`);
    const answer = await this.options.worker.runProjectorJob(
      { type: 'nearest', requestId: randomUUID(), dataset, model: { id: active.id, files: filesOf(active) }, pixels: Float32Array.from(request.pixels) },
      () => {},
    );
    if (answer.type !== 'nearest') throw new Error('the training process answered a search with something else');
    const { layer, neighbours, searchMs, indexMs, searched } = answer;
    return { modelId: active.id, datasetId: dataset.id, layer, neighbours, searchMs, indexMs, searched };
  }

  /** The dataset a model was trained on, checked (modelDataset). */
  private datasetOf(model: ModelPayload): Promise<DatasetDescriptor> {
    return modelDataset(model, this.options.describeDataset);
  }
}

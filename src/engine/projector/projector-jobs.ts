import type * as tf from '@tensorflow/tfjs';
import type { DatasetDescriptor } from '../../shared/datasets/descriptor';
import type { LoadedDataset } from '../../shared/datasets/image-set';
import { NEAREST_COUNT, type NearestDigits, type ProjectionMap, type ProjectorLayer, type ProjectorMethod } from '../../shared/projector/projector';
import type { ModelFiles } from '../ml/model-files';
import { modelFromFiles } from '../ml/persist';
import { hiddenLayerCount, inputValues, layerValues } from './activations';
import { normalizeInput } from '../../shared/preprocess/mnist-preprocess';
import { mapOf } from './maps';
import { NearestIndex } from './nearest-index';

/** A model as a projector job carries it (the same shape as an evaluation job's). */
interface ModelRef {
  id: string;
  files: ModelFiles;
}

export type ProjectorJob =
  | {
      type: 'project';
      requestId: string;
      dataset: DatasetDescriptor;
      model: ModelRef;
      layer: ProjectorLayer;
      method: ProjectorMethod;
      /** The first this many test images; null for all of them. */
      sample: number | null;
    }
  | {
      /** The training images nearest `pixels` in the model's last hidden layer. */
      type: 'nearest';
      requestId: string;
      dataset: DatasetDescriptor;
      model: ModelRef;
      /** rows × cols grey levels 0..1, as the Draw view makes them. */
      pixels: Float32Array;
    };

export type ProjectorAnswer =
  | { type: 'project'; map: ProjectionMap; activations: Float32Array | null }
  | ({ type: 'nearest' } & Omit<NearestDigits, 'modelId' | 'datasetId'>);

export type ProjectorMessage =
  | { type: 'job-progress'; requestId: string; done: number; total: number }
  | { type: 'job-done'; requestId: string; answer: ProjectorAnswer }
  | { type: 'job-failed'; requestId: string; message: string; cancelled: boolean };

/** The training set at the searched layer, for one model: built once, then every search reuses it. */
interface SearchIndex {
  key: string;
  layer: number;
  /** The model, kept for the queries. */
  model: tf.LayersModel;
  /** The training images' values at `layer`, searchable. */
  search: NearestIndex;
  labels: Uint8Array;
  count: number;
  buildMs: number;
}

class ProjectorCancelled extends Error {
  override name = 'ProjectorCancelled';
}

/** Reports at most this often, as evaluation progress does. */
const PROGRESS_INTERVAL_MS = 100;
/** Progress is reported in thousandths of the whole job. */
const PROGRESS_STEPS = 1000;

/**
 * Runs the projector's jobs in the training worker, apart from the evaluation jobs so that neither
 * cancels the other: a new map cancels the map being made; nearest-digit searches never cancel
 * anything, and share the training set's values while the model stays the same.
 */
export class ProjectorJobs {
  #current: { requestId: string; controller: AbortController } | null = null;
  #index: { key: string; promise: Promise<SearchIndex> } | null = null;

  constructor(
    private readonly loadDataset: (dataset: DatasetDescriptor) => Promise<LoadedDataset>,
    private readonly post: (message: ProjectorMessage) => void,
  ) {}

  cancel(requestId?: string): void {
    if (this.#current && (requestId === undefined || this.#current.requestId === requestId)) this.#current.controller.abort();
  }

  async run(job: ProjectorJob): Promise<void> {
    try {
      const answer = job.type === 'project' ? await this.#project(job) : await this.#nearest(job);
      this.post({ type: 'job-done', requestId: job.requestId, answer });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.post({ type: 'job-failed', requestId: job.requestId, message, cancelled: error instanceof ProjectorCancelled });
    }
  }

  async #project(job: Extract<ProjectorJob, { type: 'project' }>): Promise<ProjectorAnswer> {
    this.cancel();
    const controller = new AbortController();
    const current = { requestId: job.requestId, controller };
    this.#current = current;
    let model: tf.LayersModel | null = null;
    let last = -Infinity;
    try {
      const dataset = await this.loadDataset(job.dataset);
      model = await modelFromFiles(job.model.files);
      const count = Math.min(job.sample ?? dataset.test.count, dataset.test.count);
      const checkpoint = async (fraction: number): Promise<void> => {
        const now = performance.now();
        if (now - last >= PROGRESS_INTERVAL_MS) {
          last = now;
          this.post({ type: 'job-progress', requestId: job.requestId, done: Math.round(fraction * PROGRESS_STEPS), total: PROGRESS_STEPS });
        }
        // Lets a queued Cancel in between steps.
        await new Promise((resolve) => setImmediate(resolve));
        if (controller.signal.aborted) throw new ProjectorCancelled('The map was cancelled.');
      };
      const { map, values } = await mapOf(model, dataset.test, job.model.files.metadata.normalization, { layer: job.layer, method: job.method, count }, { checkpoint });
      return { type: 'project', map, activations: job.method === 'umap' ? values : null };
    } finally {
      model?.dispose();
      if (this.#current === current) this.#current = null;
    }
  }

  async #nearest(job: Extract<ProjectorJob, { type: 'nearest' }>): Promise<ProjectorAnswer> {
    const index = await this.#searchIndex(job);
    const started = performance.now();
    const size = job.dataset.imageSize.rows * job.dataset.imageSize.cols;
    if (job.pixels.length !== size) throw new Error(`the image has ${job.pixels.length} pixels, the dataset's have ${size}`);
    const input = normalizeInput(Float32Array.from(job.pixels, (v) => Math.min(1, Math.max(0, v))), job.model.files.metadata.normalization);
    const found = index.search.search(inputValues(index.model, input, index.layer), NEAREST_COUNT);
    const searchMs = performance.now() - started;
    return {
      type: 'nearest',
      layer: index.layer,
      neighbours: found.map((n) => ({ index: n.index, label: index.labels[n.index], distance: n.distance })),
      searchMs,
      indexMs: index.fresh ? index.buildMs : 0,
      searched: index.count,
    };
  }

  /** The training set at the model's last hidden layer; the first search of a model builds it. */
  async #searchIndex(job: Extract<ProjectorJob, { type: 'nearest' }>): Promise<SearchIndex & { fresh: boolean }> {
    const key = `${job.dataset.id}:${job.dataset.dir}:${job.model.id}:${fingerprint(job.model.files.weights)}`;
    if (this.#index?.key === key) return { ...(await this.#index.promise), fresh: false };
    const previous = this.#index?.promise;
    const promise = (async (): Promise<SearchIndex> => {
      const started = performance.now();
      const dataset = await this.loadDataset(job.dataset);
      const model = await modelFromFiles(job.model.files);
      try {
        const layer = hiddenLayerCount(model);
        const between = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
        const { values, dim } = await layerValues(model, dataset.train, dataset.train.count, job.model.files.metadata.normalization, layer, between);
        const search = NearestIndex.build(values, dataset.train.count, dim);
        return { key, layer, model, search, labels: dataset.train.labels, count: dataset.train.count, buildMs: performance.now() - started };
      } catch (error) {
        model.dispose();
        throw error;
      }
    })();
    this.#index = { key, promise };
    // One index at a time: the one it replaces lets its model go.
    previous?.then((old) => old.model.dispose(), () => {});
    promise.catch(() => {
      // A failed build is not kept: the next search tries again.
      if (this.#index?.promise === promise) this.#index = null;
    });
    return { ...(await promise), fresh: true };
  }
}

/** FNV-1a over the weights' 32-bit words: the same model id with new weights (a new run) is a new index. */
function fingerprint(weights: ArrayBuffer): string {
  const words = new Uint32Array(weights, 0, Math.floor(weights.byteLength / 4));
  let hash = 0x811c9dc5;
  for (let i = 0; i < words.length; i++) hash = Math.imul(hash ^ words[i], 0x01000193) >>> 0;
  return `${weights.byteLength}-${hash.toString(16)}`;
}

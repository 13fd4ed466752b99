import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { EvaluationProgress, ModelEvaluation } from '$shared/evaluation';
import type { EventSink } from '$shared/ipc/contract';
import { HANDWRITING_NAME, type HandwritingSample, type HandwritingSet, type SaveSampleRequest } from '$shared/handwriting/handwriting';
import type { FinetuneOptions, FinetuneResult } from '$shared/handwriting/finetune';
import type { LibraryModel, ModelPayload } from '$shared/models';
import type { DatasetDescriptor } from '$shared/datasets/descriptor';
import type { EvaluationAnswer, EvaluationJob } from '$engine/evaluation/jobs';
import { filesOf, type ModelFiles } from '$engine/ml/model-files';
import type { Dialogs } from '../dialogs';
import type { EvaluationService } from '../evaluation-service';
import { HandwritingStore } from './handwriting-store';

export interface HandwritingServiceOptions {
  userDataDir: string;
  events: EventSink;
  dialogs: Dialogs;
  models: { active(): Promise<ModelPayload>; setActive(id: string, files: ModelFiles): void };
  library: { add(files: ModelFiles): Promise<LibraryModel> };
  /** What a dataset is and where (DatasetService.describe): MNIST is the replay and test set. */
  describeDataset: (id: string) => Promise<DatasetDescriptor>;
  /** Scores a model on the set as the Gallery's evaluations are scored (EvaluationService). */
  evaluation: Pick<EvaluationService, 'evaluateModel'>;
  worker: { runJob(job: EvaluationJob, onProgress: (done: number, total: number) => void): Promise<EvaluationAnswer> };
}

const FILTERS = [{ name: 'MLP Lab handwriting set', extensions: ['json'] }];
/** Fine-tuned models waiting for Keep or Discard: a few, so forgotten ones do not pile up in memory. */
const MAX_PENDING = 4;

/** A fine-tuned model waiting for Keep or Discard; `keeping` while its Keep is writing it to the library. */
interface Pending {
  files: ModelFiles;
  keeping: boolean;
}

/**
 * Your handwriting: the set (HandwritingStore), the active model measured on it, and fine-tuning the
 * active model on it with MNIST replay. A fine-tuned model waits here until it is kept (a new library
 * model, made active if asked) or discarded; the model it started from is never written.
 */
export class HandwritingService {
  readonly store: HandwritingStore;
  readonly #pending = new Map<string, Pending>();

  constructor(private readonly options: HandwritingServiceOptions) {
    this.store = new HandwritingStore({ dir: path.join(options.userDataDir, 'handwriting') });
  }

  list(): Promise<HandwritingSet> {
    return this.store.list();
  }

  save(request: SaveSampleRequest): Promise<HandwritingSample> {
    return this.store.add(request);
  }

  relabel(id: string, label: number): Promise<HandwritingSample> {
    return this.store.relabel(id, label);
  }

  remove(ids: string[]): Promise<number> {
    return this.store.remove(ids);
  }

  rebuild(): Promise<number> {
    return this.store.rebuildImages();
  }

  async exportSet(): Promise<{ path: string; count: number } | null> {
    const target = await this.options.dialogs.savePath({ title: 'Export your handwriting', defaultName: 'my-handwriting.json', filters: FILTERS });
    if (target === null) return null;
    return { path: target, count: await this.store.exportTo(target) };
  }

  async importSet(): Promise<{ added: number; skipped: number } | null> {
    const [chosen] = await this.options.dialogs.openPaths({ title: 'Import a handwriting set', kind: 'file', filters: FILTERS });
    if (chosen === undefined) return null;
    return this.store.importFrom(chosen);
  }

  /** The active model on every sample of the set, as the Gallery shows an evaluation. */
  async evaluate(): Promise<ModelEvaluation> {
    const active = await this.options.models.active();
    const dataset = await this.replayDataset(active);
    const { images, labels, count, rows, cols } = await this.store.snapshot();
    const set = { images, labels, count, rows, cols };
    if (count === 0) throw new Error(`${HANDWRITING_NAME} is empty: save some drawings in the Draw view first.`);
    return this.options.evaluation.evaluateModel(active, dataset, set);
  }

  /** Fine-tunes a copy of the active model; the result waits for keep() or discard(). */
  async finetune(options: FinetuneOptions): Promise<FinetuneResult> {
    const active = await this.options.models.active();
    const dataset = await this.replayDataset(active);
    // Ids and images from one read: a save or delete in between would pair ids with the wrong drawings.
    const own = await this.store.snapshot();
    if (own.count === 0) throw new Error(`${HANDWRITING_NAME} is empty: save some drawings in the Draw view first.`);
    const name = `${active.metadata.name.slice(0, 50)} · your handwriting`;
    const requestId = randomUUID();
    const answer = await this.options.worker.runJob(
      {
        type: 'finetune',
        requestId,
        dataset,
        model: { id: active.id, files: filesOf(active) },
        own,
        options,
        name,
      },
      this.progress(requestId),
    );
    if (answer.type !== 'finetune') throw new Error('the training process answered a fine-tune with something else');
    const token = randomUUID();
    this.#pending.set(token, { files: answer.files, keeping: false });
    // The oldest waiting ones go; one being kept is on its way to the library and stays until it is there.
    const idle = [...this.#pending].filter(([, p]) => !p.keeping).map(([key]) => key);
    for (const old of idle.slice(0, Math.max(0, this.#pending.size - MAX_PENDING))) this.#pending.delete(old);
    const { before, after, fineTuneCounts, heldOutCounts, heldOut, seconds } = answer;
    return { token, baseName: active.metadata.name, name, before, after, fineTuneCounts, heldOutCounts, heldOut, options, seconds };
  }

  /**
   * Puts a fine-tuned model into the library as a new model, and makes it active when asked. It stops
   * waiting only once the library has it: when the write fails it can be kept again.
   */
  async keep(token: string, activate: boolean): Promise<LibraryModel> {
    const pending = this.#waiting(token);
    pending.keeping = true;
    let model: LibraryModel;
    try {
      model = await this.options.library.add(pending.files);
    } catch (error) {
      pending.keeping = false;
      throw error;
    }
    this.#pending.delete(token);
    if (activate) this.options.models.setActive(model.id, pending.files);
    return model;
  }

  discard(token: string): void {
    this.#waiting(token);
    this.#pending.delete(token);
  }

  /** The model `token` names, if it waits and no Keep of it is under way. */
  #waiting(token: string): Pending {
    const pending = this.#pending.get(token);
    if (!pending) throw new Error('That fine-tuned model is no longer waiting: fine-tune again.');
    if (pending.keeping) throw new Error('That fine-tuned model is already being kept.');
    return pending;
  }

  /** MNIST, the replay set and test set: only digit models are fine-tuned on your digits. */
  private replayDataset(model: ModelPayload): Promise<DatasetDescriptor> {
    const { metadata } = model;
    if (metadata.datasetId !== 'mnist' || metadata.classNames.length !== 10) {
      throw new Error(`${metadata.name} was trained on ${metadata.datasetId}, not MNIST digits: ${HANDWRITING_NAME} needs a digit model.`);
    }
    return this.options.describeDataset('mnist');
  }

  private progress(requestId: string) {
    return (done: number, total: number): void =>
      this.options.events('evaluation:progress', { requestId, kind: 'evaluation' as EvaluationProgress['kind'], done, total });
  }
}

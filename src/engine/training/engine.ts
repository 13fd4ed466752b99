import type * as tf from '@tensorflow/tfjs';
import type { DatasetId } from '../../shared/datasets/catalog';
import type { LoadedDataset } from '../../shared/datasets/image-set';
import type { ModelMetadata } from '../../shared/model-metadata';
import type { BackendChoice } from '../../shared/backend-choice';
import type { ModelSpec } from '../../shared/model-spec';
import type { BatchLog, EpochLog } from '../../shared/training';
import { prepareTrainingData } from '../ml/batches';
import { evaluate } from '../ml/evaluate';
import { createModel, denseBlocks, type ModelShape } from '../ml/model';
import { createOptimizer, disposeOptimizer } from '../ml/optimizer';
import { serializeModel, type ModelFiles } from '../ml/persist';
import type { RunBackend } from '../ml/backend-choice';
import { syncStepperWeights, type StepperKind } from '../ml/stepper';
import { assertFinite, train } from '../ml/train';
import { EarlyStopWatch } from '../ml/early-stop-watch';
import { stepperOf } from '../kernel/kernel-choice';
import type { EarlyStopReport } from '../../shared/experiments/early-stopping';
import { describeModel } from './describe-model';
import { fitProblem } from './fit-problem';
import { readWeightsSnapshot, type WeightsSnapshot } from './weight-snapshot';
import type { TrainedModel } from '../projector/epoch-maps';

export interface EngineCallbacks {
  onBatch?(log: BatchLog): void;
  onEpoch?(log: EpochLog): void;
  /** Which backend trains this model and why, before its first batch (start and resume only). */
  onChoice?(choice: BackendChoice): void;
}

/** A new model's backend (see ml/backend-choice.ts) and what train() steps with there. */
export type EngineChoice = RunBackend;

export interface EngineOptions {
  /**
   * Also evaluate each trained model on its training images (no dropout, no augmentation), as
   * scikit-learn's score reports; the CLI prints it. It costs a pass over the training set, so the app
   * leaves it off.
   */
  trainSetMetrics?: boolean;
  /**
   * Chooses, and activates, the backend each new model trains on (start, resume); Continue keeps its
   * model's. None: the active backend, recorded as the one given to the constructor.
   */
  chooseBackend?: (spec: ModelSpec, shape: ModelShape) => Promise<EngineChoice>;
}

export interface EngineOutcome {
  stopped: boolean;
  epochsDone: number;
  testAccuracy: number;
  testLoss: number;
  /** With EngineOptions.trainSetMetrics only. */
  trainAccuracy?: number;
  trainLoss?: number;
  /** Seconds this call spent training (validation included; the final test and train-set scoring not). */
  trainSeconds: number;
  /** The trained model as saved files (metadata with metrics and the whole history): write or send them. */
  files: ModelFiles;
  /** The backend choice this model trains under (null without EngineOptions.chooseBackend). */
  choice: BackendChoice | null;
  /** Set when early stopping ended the call (and, with restore best weights, the model is the best epoch's). */
  earlyStop: EarlyStopReport | null;
  /** What made the updates: the kernel or the tfjs step, and why not the kernel where it was wanted. */
  stepper: StepperKind;
}

interface CurrentModel {
  model: tf.LayersModel;
  optimizer: tf.Optimizer;
  spec: ModelSpec;
  dataset: LoadedDataset;
  name: string;
  history: EpochLog[];
  epochsDone: number;
  trainSeconds: number;
  choice: EngineChoice | null;
}

/**
 * The one training pipeline (prepare → train → evaluate → describe), and the model being trained with
 * everything that lets it continue: its optimizer state, spec, dataset and history. The training worker
 * and the command-line tools both drive it; it knows nothing of threads or messages, so tests drive it
 * directly.
 */
export class TrainingEngine {
  private current: CurrentModel | null = null;
  private controller: AbortController | null = null;

  constructor(
    private readonly loadDataset: (id: DatasetId) => Promise<LoadedDataset>,
    private readonly backend: string,
    private readonly options: EngineOptions = {},
  ) {}

  get busy(): boolean {
    return this.controller !== null;
  }

  /** Complete epochs the current model has trained (0 with no model). */
  get epochsDone(): number {
    return this.current?.epochsDone ?? 0;
  }

  /** Builds a fresh model from spec (forgetting any current one) and trains it for spec.epochs. */
  async start(spec: ModelSpec, datasetId: DatasetId, name: string, callbacks: EngineCallbacks): Promise<EngineOutcome> {
    return this.withController(async (signal) => {
      // The old model goes now, so a start that fails leaves nothing that Continue could pick up.
      this.forget();
      const dataset = await this.loadDataset(datasetId);
      const shape = { inputSize: dataset.train.rows * dataset.train.cols, numClasses: dataset.classNames.length };
      // Before the model exists, so its variables are made on the backend that will train them.
      const choice = await this.choose(spec, shape, callbacks);
      const model = createModel(spec, shape);
      this.current = { model, optimizer: createOptimizer(spec), spec, dataset, name, history: [], epochsDone: 0, trainSeconds: 0, choice };
      return this.run(spec.epochs, callbacks, signal);
    });
  }

  /**
   * Takes a saved model (its weights, spec and history, from `load`) as the current one and trains it
   * `epochs` more on its dataset with a fresh optimizer: saved models hold no optimizer state. Epoch
   * numbering, the history and the training time carry on from its metadata. Busy from the first
   * moment, so a Stop while the files load still counts.
   */
  async resume(
    load: () => Promise<{ model: tf.LayersModel; metadata: ModelMetadata }>,
    datasetId: DatasetId,
    name: string,
    epochs: number,
    callbacks: EngineCallbacks,
  ): Promise<EngineOutcome> {
    return this.withController(async (signal) => {
      this.forget();
      const { model, metadata } = await load();
      let dataset: LoadedDataset;
      try {
        dataset = await this.loadDataset(datasetId);
        const problem = fitProblem(model, dataset);
        if (problem) throw new Error(`${metadata.name} cannot be trained on ${datasetId}: ${problem}`);
      } catch (error) {
        // Not taken on as the current model: nothing else would free it.
        model.dispose();
        throw error;
      }
      // The saved normalisation wins: an imported model's spec is a placeholder beside its metadata.
      const spec: ModelSpec = { ...metadata.spec, normalization: metadata.normalization };
      const history = metadata.history.map((log) => ({ ...log }));
      let choice: EngineChoice | null;
      try {
        // The loaded weights move to the chosen backend on their first use (TensorFlow.js moves data lazily).
        choice = await this.choose(spec, { inputSize: dataset.train.rows * dataset.train.cols, numClasses: dataset.classNames.length }, callbacks);
      } catch (error) {
        model.dispose();
        throw error;
      }
      this.current = { model, optimizer: createOptimizer(spec), spec, dataset, name, history, epochsDone: metadata.epochsTrained, trainSeconds: metadata.trainSeconds, choice };
      return this.run(epochs, callbacks, signal);
    });
  }

  /** Trains the current model for `epochs` more, keeping its weights and optimizer state. */
  async continue(epochs: number, callbacks: EngineCallbacks): Promise<EngineOutcome> {
    if (!this.current) throw new Error('There is no model to continue: train one first.');
    return this.withController((signal) => this.run(epochs, callbacks, signal));
  }

  /**
   * The current model's weights (see readWeightsSnapshot for which layers), or null with no model. Meant
   * for a batch callback: between batches the values are settled and reading them costs one copy.
   */
  snapshotWeights(): WeightsSnapshot | null {
    if (!this.current) return null;
    // The kernel keeps the weights in its own memory between epoch ends: they go into the model first.
    syncStepperWeights(this.current.model);
    return readWeightsSnapshot(this.current.model);
  }

  /** The current model with its test split, for the projector's maps between two epochs; null with none. */
  trainedModel(): TrainedModel | null {
    const current = this.current;
    return current ? { model: current.model, test: current.dataset.test, normalization: current.spec.normalization } : null;
  }

  /** Stops after the current batch. */
  stop(): void {
    this.controller?.abort();
  }

  /** Forgets the current model; the next start begins from fresh weights. */
  reset(): void {
    this.assertIdle();
    this.forget();
  }

  private async choose(spec: ModelSpec, shape: ModelShape, callbacks: EngineCallbacks): Promise<EngineChoice | null> {
    if (!this.options.chooseBackend) return null;
    const choice = await this.options.chooseBackend(spec, shape);
    callbacks.onChoice?.(choice.choice);
    return choice;
  }

  private forget(): void {
    if (!this.current) return;
    this.current.model.dispose();
    disposeOptimizer(this.current.optimizer);
    this.current = null;
  }

  /**
   * Runs one training call with the engine busy from its first moment (so a Stop while a dataset or
   * model still loads counts) and idle again however it ends.
   */
  private async withController<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    this.assertIdle();
    const controller = new AbortController();
    this.controller = controller;
    try {
      return await work(controller.signal);
    } finally {
      this.controller = null;
    }
  }

  private async run(epochs: number, callbacks: EngineCallbacks, signal: AbortSignal): Promise<EngineOutcome> {
    const current = this.current!;
    const data = prepareTrainingData(current.dataset, current.spec);
    const started = performance.now();
    // Early stopping ends train() as Stop does, through its own signal, after the epoch that decided it.
    const watch = current.spec.earlyStopping && data.validation ? new EarlyStopWatch(current.spec.earlyStopping, denseBlocks(current.model)) : null;
    const early = new AbortController();
    const onEpochEnd = (log: EpochLog): void => {
      callbacks.onEpoch?.(log);
      if (watch?.onEpoch(log)) early.abort();
    };
    const result = await train(
      current.model,
      data,
      current.spec,
      { onBatchEnd: callbacks.onBatch, onEpochEnd },
      {
        signal: watch ? AbortSignal.any([signal, early.signal]) : signal,
        optimizer: current.optimizer,
        initialEpoch: current.epochsDone,
        epochs,
        stepper: stepperOf(current.choice),
      },
    );
    const earlyStop = watch?.stopped ? watch.finish() : null;
    // Stopped by the rule, not by the user: the run is complete as far as anyone asked.
    const stopped = result.stopped && !(earlyStop && !signal.aborted);
    const trainSeconds = (performance.now() - started) / 1000;
    current.trainSeconds += trainSeconds;
    current.history.push(...result.history);
    current.epochsDone = result.epochsCompleted;
    const scoring = { normalization: current.spec.normalization, l2: current.spec.l2 };
    const test = evaluate(current.model, current.dataset.test, scoring);
    const trainSet = this.options.trainSetMetrics ? evaluate(current.model, data.train, scoring) : null;
    const metrics = {
      testAccuracy: test.accuracy,
      testLoss: test.loss,
      ...(trainSet && { trainAccuracy: trainSet.accuracy, trainLoss: trainSet.loss }),
    };
    // The weights were read back at the end of train()'s last epoch, stopped or not; only the scores are new.
    assertFinite([], { 'test loss': test.loss, 'training-set loss': trainSet?.loss }, 'after the last epoch');
    const metadata = describeModel({
      name: current.name,
      dataset: current.dataset,
      spec: current.spec,
      history: [...current.history],
      epochsTrained: current.epochsDone,
      trainSeconds: current.trainSeconds,
      backend: current.choice?.choice.name ?? this.backend,
      metrics,
    });
    return {
      stopped,
      epochsDone: current.epochsDone,
      ...metrics,
      trainSeconds,
      stepper: result.stepper,
      files: await serializeModel(current.model, metadata),
      choice: current.choice?.choice ?? null,
      earlyStop,
    };
  }

  private assertIdle(): void {
    if (this.controller) throw new Error('Training is already running: stop it first.');
  }
}

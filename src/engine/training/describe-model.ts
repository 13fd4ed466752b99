import type * as tf from '@tensorflow/tfjs';
import type { LoadedDataset } from '../../shared/datasets/image-set';
import { MODEL_FORMAT, type ModelMetadata } from '../../shared/model-metadata';
import type { ModelSpec } from '../../shared/model-spec';
import type { Evaluation } from '../../shared/evaluation';
import { prepareTrainingData } from '../ml/batches';
import { evaluate } from '../ml/evaluate';
import { createModel } from '../ml/model';
import { train, type TrainCallbacks, type TrainResult } from '../ml/train';

export interface TrainingRun {
  model: tf.Sequential;
  result: TrainResult;
  test: Evaluation;
  /** Clean accuracy on the training images (no dropout, no augmentation), as scikit-learn's score reports. */
  trainEvaluation: Evaluation;
  trainSeconds: number;
  metadata: ModelMetadata;
}

export interface RunOptions {
  dataset: LoadedDataset;
  spec: ModelSpec;
  name: string;
  backend: string;
  callbacks?: TrainCallbacks;
  signal?: AbortSignal;
}

/** Creates, trains and evaluates a model end to end, and describes it for saving. */
export async function runTraining(options: RunOptions): Promise<TrainingRun> {
  const { dataset, spec } = options;
  const data = prepareTrainingData(dataset, spec);
  const model = createModel(spec, {
    inputSize: dataset.train.rows * dataset.train.cols,
    numClasses: dataset.classNames.length,
  });
  const started = performance.now();
  const result = await train(model, data, spec, options.callbacks, { signal: options.signal });
  const trainSeconds = (performance.now() - started) / 1000;
  const test = evaluate(model, dataset.test, { normalization: spec.normalization, l2: spec.l2 });
  const trainEvaluation = evaluate(model, data.train, { normalization: spec.normalization, l2: spec.l2 });
  const metadata = describeModel({
    name: options.name,
    dataset,
    spec,
    history: result.history,
    epochsTrained: result.epochsCompleted,
    trainSeconds,
    backend: options.backend,
    metrics: {
      testAccuracy: test.accuracy,
      testLoss: test.loss,
      trainAccuracy: trainEvaluation.accuracy,
      trainLoss: trainEvaluation.loss,
    },
  });
  return { model, result, test, trainEvaluation, trainSeconds, metadata };
}

/** The metadata.json of a model trained on a dataset: everything needed to use and explain it later. */
export function describeModel(facts: {
  name: string;
  dataset: Pick<LoadedDataset, 'id' | 'classNames' | 'train'>;
  spec: ModelSpec;
  history: ModelMetadata['history'];
  epochsTrained: number;
  trainSeconds: number;
  backend: string;
  metrics: ModelMetadata['metrics'];
}): ModelMetadata {
  const { dataset, spec } = facts;
  return {
    format: MODEL_FORMAT,
    version: 1,
    name: facts.name,
    datasetId: dataset.id,
    classNames: [...dataset.classNames],
    imageShape: [dataset.train.rows, dataset.train.cols],
    normalization: spec.normalization,
    spec,
    metrics: facts.metrics,
    history: facts.history,
    epochsTrained: facts.epochsTrained,
    trainSeconds: facts.trainSeconds,
    backend: facts.backend,
    created: new Date().toISOString(),
  };
}

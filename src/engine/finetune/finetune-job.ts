import type * as tf from '@tensorflow/tfjs';
import type { ImageSet, LoadedDataset } from '../../shared/datasets/image-set';
import { countByClass } from '../../shared/handwriting/handwriting';
import { HELD_OUT_FRACTION, type FinetuneOptions, type FinetuneScores } from '../../shared/handwriting/finetune';
import { DEFAULT_AUGMENT } from '../../shared/model-spec';
import type { ModelMetadata } from '../../shared/model-metadata';
import { evaluateSet, type EvaluationControl } from '../evaluation/evaluator';
import { modelFromFiles, serializeModel, type ModelFiles } from '../ml/persist';
import { argMax } from '../../shared/vector';
import { finetune, batchPlan } from './finetune';
import { stratifiedSplit } from './split';

/** The user's samples as a job carries them: 28×28 images, labels, and ids to report outcomes by. */
export interface OwnSamples extends ImageSet {
  ids: string[];
}

export interface FinetuneJobInput {
  model: ModelFiles;
  own: OwnSamples;
  options: FinetuneOptions;
  /** The new model's name. */
  name: string;
}

export interface FinetuneAnswer {
  type: 'finetune';
  before: FinetuneScores;
  after: FinetuneScores;
  fineTuneCounts: number[];
  heldOutCounts: number[];
  heldOut: { id: string; label: number; before: number; after: number }[];
  files: ModelFiles;
  seconds: number;
}

/** The images of `indices`, copied into a set of their own. */
function pick(set: ImageSet, indices: Int32Array): ImageSet {
  const size = set.rows * set.cols;
  const images = new Uint8Array(indices.length * size);
  const labels = new Uint8Array(indices.length);
  indices.forEach((index, i) => {
    images.set(set.images.subarray(index * size, (index + 1) * size), i * size);
    labels[i] = set.labels[index];
  });
  return { images, labels, count: indices.length, rows: set.rows, cols: set.cols };
}

/**
 * The whole fine-tune: split the user's samples (stratified, seeded), score the model on the held-out
 * ones and on the MNIST test set, fine-tune a fresh copy of it on the rest mixed with MNIST replay,
 * score it again and hand back its files. The model it started from is only read.
 */
export async function runFinetuneJob(input: FinetuneJobInput, mnist: LoadedDataset, control: EvaluationControl): Promise<FinetuneAnswer> {
  const started = performance.now();
  const { own, options } = input;
  const metadata = input.model.metadata;
  const split = stratifiedSplit(own.labels, own.ids, HELD_OUT_FRACTION, options.seed);
  if (split.fineTune.length === 0) throw new Error('Save some drawings first: there is nothing to fine-tune on.');
  const trainSet = pick(own, split.fineTune);
  const heldSet = pick(own, split.heldOut);
  const plan = batchPlan(trainSet.count, options);
  const steps = plan.steps * options.epochs;
  const evalImages = heldSet.count + mnist.test.count;
  const total = 2 * evalImages + steps;
  const report = (done: number) => control.onProgress?.(done, total);

  const model = await modelFromFiles(input.model);
  try {
    const score = async (offset: number): Promise<{ scores: FinetuneScores; predicted: number[] }> => {
      const part = { signal: control.signal, onProgress: (done: number) => report(offset + done) };
      const heldOut = heldSet.count > 0 ? await evaluateSet(model, heldSet, metadata.normalization, part) : null;
      const test = await evaluateSet(model, mnist.test, metadata.normalization, {
        signal: control.signal,
        onProgress: (done) => report(offset + heldSet.count + done),
      });
      const classes = metadata.classNames.length;
      const predicted = Array.from({ length: heldSet.count }, (_, i) => argMax(heldOut!.probabilities.subarray(i * classes, (i + 1) * classes)));
      return { scores: { own: heldOut ? heldOut.accuracy : null, mnist: test.accuracy }, predicted };
    };
    const before = await score(0);
    await finetune(
      model as tf.LayersModel,
      trainSet,
      mnist.train,
      {
        share: options.share,
        epochs: options.epochs,
        augment: options.augment ? DEFAULT_AUGMENT : null,
        seed: options.seed,
        normalization: metadata.normalization,
        l2: metadata.spec.l2,
      },
      { signal: control.signal, onStep: (done) => report(evalImages + done) },
    );
    const after = await score(evalImages + steps);
    const described: ModelMetadata = {
      ...metadata,
      name: input.name,
      created: new Date().toISOString(),
      metrics: { testAccuracy: after.scores.mnist },
      epochsTrained: metadata.epochsTrained,
      trainSeconds: metadata.trainSeconds + (performance.now() - started) / 1000,
    };
    return {
      type: 'finetune',
      before: before.scores,
      after: after.scores,
      fineTuneCounts: countByClass(trainSet.labels),
      heldOutCounts: countByClass(heldSet.labels),
      heldOut: Array.from(split.heldOut, (index, i) => ({ id: own.ids[index], label: own.labels[index], before: before.predicted[i], after: after.predicted[i] })),
      files: await serializeModel(model, described),
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    model.dispose();
  }
}

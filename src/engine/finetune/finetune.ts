import * as tf from '@tensorflow/tfjs';
import type { ImageSet } from '../../shared/datasets/image-set';
import type { AugmentSpec, Normalization } from '../../shared/model-spec';
import { BatchFiller } from '../ml/batches';
import { denseBlocks } from '../ml/model';
import { disposeOptimizer } from '../ml/optimizer';
import { Random } from '../ml/random';
import { assertFinite, NonFiniteLossError } from '../ml/train';
import { TrainStep } from '../ml/train-step';

export interface FinetuneSettings {
  /** Your samples' share of each batch (0..1); the rest is replay. */
  share: number;
  epochs: number;
  augment: AugmentSpec | null;
  seed: number;
  normalization: Normalization;
  l2: number;
  batchSize?: number;
  learningRate?: number;
  /** An epoch shows every own sample once, but is never shorter than this many batches. */
  minStepsPerEpoch?: number;
}

export interface FinetuneControl {
  signal?: AbortSignal;
  onStep?(done: number, total: number, loss: number): void;
}

/** Batches of 64: small ones, since a few dozen drawings are spread over them. */
export const FINETUNE_BATCH = 64;
/**
 * Adam at a tenth of a typical training rate: big steps on a few dozen drawings would pull the weights
 * far from what MNIST taught them, which is the forgetting the replay is there to prevent.
 */
export const FINETUNE_LEARNING_RATE = 2e-4;
export const MIN_STEPS_PER_EPOCH = 40;

/** How many of a batch's images are the user's, and the batches an epoch takes. */
export function batchPlan(ownCount: number, settings: Pick<FinetuneSettings, 'share' | 'batchSize' | 'minStepsPerEpoch'>): { own: number; replay: number; steps: number } {
  const size = settings.batchSize ?? FINETUNE_BATCH;
  const own = Math.min(size - 1, Math.max(1, Math.round(settings.share * size)));
  const steps = Math.max(Math.ceil(ownCount / own), settings.minStepsPerEpoch ?? MIN_STEPS_PER_EPOCH);
  return { own, replay: size - own, steps };
}

/**
 * Continues training `model` in place on mixed batches: in each, a fixed share of the user's images
 * (visited in a fresh seeded order each epoch, round and round) and the rest drawn at random from the
 * replay set (MNIST's training split), so learning the user's style does not unlearn MNIST. Same
 * seed, same backend: the same weights.
 */
export async function finetune(model: tf.LayersModel, own: ImageSet, replay: ImageSet, settings: FinetuneSettings, control: FinetuneControl = {}): Promise<{ steps: number; losses: number[] }> {
  if (own.count === 0) throw new Error('there are no samples to fine-tune on');
  if (replay.count === 0) throw new Error('there are no replay images');
  const plan = batchPlan(own.count, settings);
  const size = own.rows * own.cols;
  const batch = plan.own + plan.replay;
  const optimizer = tf.train.adam(settings.learningRate ?? FINETUNE_LEARNING_RATE, 0.9, 0.999, 1e-7);
  const blocks = denseBlocks(model);
  const step = new TrainStep(blocks, optimizer, settings.l2);
  const ownFiller = new BatchFiller(own, settings.normalization, settings.augment);
  const replayFiller = new BatchFiller(replay, settings.normalization, settings.augment);
  const input = new Float32Array(batch * size);
  const labels = new Uint8Array(batch);
  const ownOrder = Int32Array.from({ length: own.count }, (_, i) => i);
  const ownPick = new Int32Array(plan.own);
  const replayPick = new Int32Array(plan.replay);
  const total = plan.steps * settings.epochs;
  const losses: number[] = [];
  let done = 0;
  try {
    for (let epoch = 0; epoch < settings.epochs; epoch++) {
      const random = new Random((settings.seed ^ Math.imul(epoch + 1, 0x9e3779b1)) >>> 0);
      random.shuffle(ownOrder);
      let next = 0;
      let lossSum = 0;
      for (let s = 0; s < plan.steps; s++) {
        for (let i = 0; i < plan.own; i++) {
          if (next === own.count) {
            random.shuffle(ownOrder);
            next = 0;
          }
          ownPick[i] = ownOrder[next++];
        }
        for (let i = 0; i < plan.replay; i++) replayPick[i] = Math.floor(random.next() * replay.count);
        ownFiller.fill(ownPick, 0, plan.own, input, labels, random);
        replayFiller.fill(replayPick, 0, plan.replay, input.subarray(plan.own * size), labels.subarray(plan.own), random);
        const x = tf.tensor2d(input, [batch, size]);
        let loss: number;
        try {
          loss = step.run(x, labels, random).loss;
        } finally {
          x.dispose();
        }
        if (!Number.isFinite(loss)) throw NonFiniteLossError.atBatch(epoch, s, plan.steps);
        lossSum += loss;
        done++;
        control.onStep?.(done, total, loss);
        if (s % 8 === 7) {
          // Lets a Cancel in between batches.
          await new Promise((resolve) => setImmediate(resolve));
          if (control.signal?.aborted) throw new Error('The fine-tuning was cancelled.');
        }
      }
      losses.push(lossSum / plan.steps);
      // The model is offered to keep: its last update must have left it finite.
      assertFinite(blocks, { loss: losses[epoch] }, `after epoch ${epoch + 1}`);
    }
  } finally {
    disposeOptimizer(optimizer);
  }
  return { steps: done, losses };
}

import { z } from 'zod';

/** Fine-tuning the active model on the user's handwriting, mixed with MNIST replay. */

/** Of every class, this share of the samples is held out to measure on (3 of 8), never trained on. */
export const HELD_OUT_FRACTION = 0.375;
/** With fewer samples of a class than this, its held-out figures say little. */
export const FEW_SAMPLES = 5;

export const finetuneOptionsSchema = z.object({
  /** Your samples' share of each batch; the rest is MNIST replay. */
  share: z.number().min(0.05).max(0.95),
  epochs: z.number().int().min(1).max(20),
  /** Random shifts, rotations and scalings of every image, as training's augmentation. */
  augment: z.boolean(),
  /** Fixes the split into fine-tune and held-out samples, the batches and the augmentation. */
  seed: z.number().int().min(0).max(2 ** 31 - 1),
});
export type FinetuneOptions = z.infer<typeof finetuneOptionsSchema>;

export const DEFAULT_FINETUNE: FinetuneOptions = { share: 0.3, epochs: 4, augment: true, seed: 1 };

/** Accuracy on the held-out drawings and on the MNIST test set. */
export interface FinetuneScores {
  /** Null when nothing is held out (every class has a single sample). */
  own: number | null;
  mnist: number;
}

/** One held-out drawing: what the model made of it before and after. */
export interface HeldOutOutcome {
  /** Its sample id in the set. */
  id: string;
  label: number;
  before: number;
  after: number;
}

export interface FinetuneResult {
  /** Names the fine-tuned model held in main until it is kept or discarded. */
  token: string;
  /** The model fine-tuned, and the new model's name. */
  baseName: string;
  name: string;
  before: FinetuneScores;
  after: FinetuneScores;
  /** Per class 0..9: samples trained on and held out. */
  fineTuneCounts: number[];
  heldOutCounts: number[];
  heldOut: HeldOutOutcome[];
  options: FinetuneOptions;
  seconds: number;
}

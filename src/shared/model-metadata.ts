import { z } from 'zod';
import { EARLY_STOPPING_MONITORS } from './experiments/early-stopping';
import { ACTIVATIONS, LIMITS, LR_SCHEDULES, NORMALIZATIONS, OPTIMIZERS, type ModelSpec } from './model-spec';
import type { EpochLog } from './training';

/**
 * The shape of a ModelSpec, checked when a spec comes from a file or over IPC (ranges: validateSpec).
 * The layer count is capped here already, so a hostile list of a million layers is refused before any
 * of them is looked at.
 */
export const modelSpecSchema = z.object({
  hiddenLayers: z
    .array(z.object({ units: z.number(), activation: z.enum(ACTIVATIONS), dropout: z.number() }))
    .max(LIMITS.hiddenLayers.max, `at most ${LIMITS.hiddenLayers.max} hidden layers`),
  optimizer: z.enum(OPTIMIZERS),
  learningRate: z.number(),
  lrSchedule: z.enum(LR_SCHEDULES),
  momentum: z.number(),
  nesterov: z.boolean(),
  l2: z.number(),
  batchSize: z.number(),
  epochs: z.number(),
  validation: z.union([z.number(), z.literal('test')]),
  normalization: z.enum(NORMALIZATIONS),
  trainSubset: z.number().nullable(),
  augment: z.object({ maxShift: z.number(), maxRotation: z.number(), maxScale: z.number() }).nullable(),
  seed: z.number(),
  // Optional: specs saved before early stopping existed have no such field and must still read.
  earlyStopping: z
    .object({ monitor: z.enum(EARLY_STOPPING_MONITORS), patience: z.number(), minDelta: z.number(), restoreBestWeights: z.boolean() })
    .nullable()
    .optional(),
}) satisfies z.ZodType<ModelSpec>;

export const epochLogSchema = z.object({
  epoch: z.number(),
  loss: z.number(),
  accuracy: z.number(),
  valLoss: z.number().optional(),
  valAccuracy: z.number().optional(),
  seconds: z.number(),
  samplesPerSecond: z.number(),
  samples: z.number(),
  complete: z.boolean(),
}) satisfies z.ZodType<EpochLog>;

export const MODEL_FORMAT = 'mlp-lab-model';

/**
 * What a model's metadata may hold, as the app writes it: names as the save and rename dialogs allow,
 * class names as an import allows, and one history entry an epoch: a run has at most 1000 (LIMITS),
 * and continuing a model adds its epochs to the history, so this is ten full runs. What the app makes
 * (saves, copies, continued runs, imports' names) keeps to these. A model read from disk may hold more
 * (METADATA_READ_LIMITS: older versions wrote longer names), and keeps its longer class names and
 * history when renamed or copied.
 */
export const METADATA_LIMITS = { name: 80, classes: 256, className: 40, history: 10_000 } as const;

/**
 * `name` marked with `mark` (" (copy)"), within METADATA_LIMITS.name: the name is cut, never the mark,
 * so a long name's copy still says what it is. A surrogate pair the cut splits goes whole.
 */
export function markedName(name: string, mark: string): string {
  return `${name.slice(0, METADATA_LIMITS.name - mark.length).replace(/[\uD800-\uDBFF]$/, '')}${mark}`;
}

/**
 * What a metadata.json may hold to be read, well above METADATA_LIMITS: versions before those limits
 * saved longer names (Duplicate added " (copy)" uncut, an import took its folder or zip name whole) and
 * class names, and such models must still open, rename and duplicate. Bounded all the same, so a
 * hostile file cannot flood the model list.
 */
export const METADATA_READ_LIMITS = { name: 1000, classes: 256, className: 200, history: 100_000 } as const;

/** metadata.json, saved beside a TensorFlow.js Layers model (model.json + weights.bin), as it is read. */
export const modelMetadataSchema = z.object({
  format: z.literal(MODEL_FORMAT),
  version: z.literal(1),
  name: z.string().min(1).max(METADATA_READ_LIMITS.name),
  datasetId: z.string(),
  classNames: z.array(z.string().max(METADATA_READ_LIMITS.className)).min(2).max(METADATA_READ_LIMITS.classes),
  /** [rows, cols] of the images the model takes, flattened to rows·cols inputs. */
  imageShape: z.tuple([z.number().int().positive(), z.number().int().positive()]),
  normalization: z.enum(NORMALIZATIONS),
  spec: modelSpecSchema,
  metrics: z.object({
    testAccuracy: z.number().optional(),
    testLoss: z.number().optional(),
    trainAccuracy: z.number().optional(),
    trainLoss: z.number().optional(),
  }),
  history: z.array(epochLogSchema).max(METADATA_READ_LIMITS.history),
  epochsTrained: z.number().int().nonnegative(),
  trainSeconds: z.number().nonnegative(),
  backend: z.string().max(40),
  created: z.string().max(40),
});

export type ModelMetadata = z.infer<typeof modelMetadataSchema>;

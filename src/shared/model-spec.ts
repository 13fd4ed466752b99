import { earlyStoppingProblems, type EarlyStoppingSpec } from './experiments/early-stopping';

/**
 * The plain-JSON description of an MLP and how to train it. The CLI, the training panel, saved models'
 * metadata and the presets all speak this one shape.
 */

export const ACTIVATIONS = ['relu', 'tanh', 'sigmoid', 'elu', 'selu', 'linear'] as const;
export type Activation = (typeof ACTIVATIONS)[number];

export const OPTIMIZERS = ['sgd', 'adam', 'rmsprop', 'adagrad'] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];

export const LR_SCHEDULES = ['constant', 'cosine'] as const;
/**
 * `cosine`: the learning rate falls from its value to 0 along a half cosine over each training run.
 * Continue starts a new run, so it restarts from the full rate: a warm restart (SGDR), which lets a
 * finished model learn more instead of continuing at a rate of 0.
 */
export type LrSchedule = (typeof LR_SCHEDULES)[number];

export const NORMALIZATIONS = ['divide255', 'unit'] as const;
/** `divide255`: pixels / 255. `unit`: each image vector scaled to unit L2 length (Open University notebook). */
export type Normalization = (typeof NORMALIZATIONS)[number];

export interface HiddenLayerSpec {
  units: number;
  activation: Activation;
  /** Fraction of this layer's outputs dropped while training, 0–0.9. */
  dropout: number;
}

/** Random affine distortions applied to each training image, fresh every epoch. */
export interface AugmentSpec {
  /** Largest shift in pixels, each axis. */
  maxShift: number;
  /** Largest rotation in degrees, either way. */
  maxRotation: number;
  /** Largest relative change of size, e.g. 0.1 for 90–110 %. */
  maxScale: number;
}

export interface ModelSpec {
  hiddenLayers: HiddenLayerSpec[];
  optimizer: OptimizerName;
  learningRate: number;
  lrSchedule: LrSchedule;
  /** SGD only. */
  momentum: number;
  /** SGD with momentum only: Nesterov's variant, as scikit-learn uses by default. */
  nesterov: boolean;
  /** Keras-style kernel penalty: loss += l2 · Σ w² over every kernel. */
  l2: number;
  batchSize: number;
  epochs: number;
  /** A fraction of the training set held out (taken from its end, as Keras does), or the test set. 0 = none. */
  validation: number | 'test';
  normalization: Normalization;
  /** Train on the first N training images only; null = all of them. */
  trainSubset: number | null;
  augment: AugmentSpec | null;
  seed: number;
  /**
   * Stop once a validation figure stops improving (Keras' EarlyStopping). Absent in specs written before
   * it existed, and in most presets: absent or null means off.
   */
  earlyStopping?: EarlyStoppingSpec | null;
}

export const DEFAULT_AUGMENT: AugmentSpec = { maxShift: 2, maxRotation: 12, maxScale: 0.12 };

export const DEFAULT_SPEC: ModelSpec = {
  hiddenLayers: [{ units: 64, activation: 'relu', dropout: 0 }],
  optimizer: 'adam',
  learningRate: 0.001,
  lrSchedule: 'constant',
  momentum: 0,
  nesterov: false,
  l2: 0,
  batchSize: 32,
  epochs: 5,
  validation: 0.1,
  normalization: 'divide255',
  trainSubset: null,
  augment: null,
  seed: 1,
};

export const LIMITS = {
  units: { min: 1, max: 1024 },
  dropout: { min: 0, max: 0.9 },
  learningRate: { min: 1e-6, max: 10 },
  momentum: { min: 0, max: 0.999 },
  l2: { min: 0, max: 1 },
  batchSize: { min: 1, max: 60_000 },
  epochs: { min: 1, max: 1000 },
  validationFraction: { min: 0, max: 0.5 },
  /** More than any dataset holds: the bound before a dataset says how many training images it has. */
  trainSubset: { min: 1, max: 1_000_000_000 },
  augmentShift: { min: 0, max: 8 },
  augmentRotation: { min: 0, max: 45 },
  augmentScale: { min: 0, max: 0.5 },
  /** Also the schema's bound (model-metadata.ts), so validation of a hostile spec stops early. */
  hiddenLayers: { max: 8 },
} as const;

/** Every problem with a spec, in words a user can act on; empty when the spec is usable. */
export function validateSpec(spec: ModelSpec): string[] {
  const problems: string[] = [];
  const range = (name: string, value: number, min: number, max: number, integer = false): void => {
    if (!Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
      problems.push(`${name} must be ${integer ? 'a whole number ' : ''}from ${min} to ${max} (got ${value})`);
    }
  };
  if (spec.hiddenLayers.length > LIMITS.hiddenLayers.max) {
    // One problem, not one per layer: a list of a million layers must not make a message of millions.
    problems.push(`at most ${LIMITS.hiddenLayers.max} hidden layers (got ${spec.hiddenLayers.length})`);
  }
  spec.hiddenLayers.slice(0, LIMITS.hiddenLayers.max).forEach((layer, i) => {
    range(`layer ${i + 1} units`, layer.units, LIMITS.units.min, LIMITS.units.max, true);
    range(`layer ${i + 1} dropout`, layer.dropout, LIMITS.dropout.min, LIMITS.dropout.max);
    if (!ACTIVATIONS.includes(layer.activation)) {
      problems.push(`layer ${i + 1} activation must be one of ${ACTIVATIONS.join(', ')} (got ${layer.activation})`);
    }
  });
  if (!OPTIMIZERS.includes(spec.optimizer)) {
    problems.push(`optimizer must be one of ${OPTIMIZERS.join(', ')} (got ${spec.optimizer})`);
  }
  range('learning rate', spec.learningRate, LIMITS.learningRate.min, LIMITS.learningRate.max);
  if (!LR_SCHEDULES.includes(spec.lrSchedule)) {
    problems.push(`learning-rate schedule must be one of ${LR_SCHEDULES.join(', ')} (got ${spec.lrSchedule})`);
  }
  range('momentum', spec.momentum, LIMITS.momentum.min, LIMITS.momentum.max);
  if (spec.optimizer !== 'sgd' && spec.momentum > 0) problems.push('momentum applies to the sgd optimizer only');
  if (spec.nesterov && !(spec.optimizer === 'sgd' && spec.momentum > 0)) {
    problems.push('Nesterov momentum needs the sgd optimizer with momentum > 0');
  }
  range('L2 penalty', spec.l2, LIMITS.l2.min, LIMITS.l2.max);
  range('batch size', spec.batchSize, LIMITS.batchSize.min, LIMITS.batchSize.max, true);
  range('epochs', spec.epochs, LIMITS.epochs.min, LIMITS.epochs.max, true);
  if (spec.validation !== 'test') {
    const { min, max } = LIMITS.validationFraction;
    range('validation fraction', spec.validation, min, max);
  }
  if (!NORMALIZATIONS.includes(spec.normalization)) {
    problems.push(`normalization must be one of ${NORMALIZATIONS.join(', ')} (got ${spec.normalization})`);
  }
  if (spec.trainSubset !== null) range('training subset', spec.trainSubset, LIMITS.trainSubset.min, LIMITS.trainSubset.max, true);
  if (spec.augment) {
    range('augmentation shift', spec.augment.maxShift, LIMITS.augmentShift.min, LIMITS.augmentShift.max);
    range('augmentation rotation', spec.augment.maxRotation, LIMITS.augmentRotation.min, LIMITS.augmentRotation.max);
    range('augmentation scale', spec.augment.maxScale, LIMITS.augmentScale.min, LIMITS.augmentScale.max);
  }
  range('seed', spec.seed, 0, 2 ** 32 - 1, true);
  if (spec.earlyStopping) problems.push(...earlyStoppingProblems(spec.earlyStopping, spec.validation));
  return problems;
}

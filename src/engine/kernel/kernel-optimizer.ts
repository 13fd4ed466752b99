import * as tf from '@tensorflow/tfjs';
import type { KernelOptimizer } from './kernel-layout';

/** A tfjs optimizer as the kernel runs it: its kind and the constants of its update. */
export interface KernelOptimizerConfig {
  kind: KernelOptimizer;
  /** SGD momentum, Adam β1 or RMSprop's decay ρ. */
  momentum: number;
  beta2: number;
  epsilon: number;
  /** Adagrad's initial accumulator value. */
  initial: number;
}

/** One state tensor per variable, in tfjs's fields, with the name suffix tfjs gives it. */
export const STATE_FIELDS: Record<KernelOptimizer, { field: string; suffix: string }[]> = {
  sgd: [],
  momentum: [{ field: 'accumulations', suffix: 'momentum' }],
  nesterov: [{ field: 'accumulations', suffix: 'momentum' }],
  adam: [
    { field: 'accumulatedFirstMoment', suffix: 'm' },
    { field: 'accumulatedSecondMoment', suffix: 'v' },
  ],
  rmsprop: [
    { field: 'accumulatedMeanSquares', suffix: 'rms' },
    { field: 'accumulatedMoments', suffix: 'momentum' },
  ],
  adagrad: [{ field: 'accumulatedGrads', suffix: 'accumulator' }],
};

/**
 * The kernel's reading of a tfjs 4.22 optimizer (the version is pinned), or why it cannot run it: the
 * optimizers createOptimizer makes are all supported; RMSprop with momentum or centred is not.
 */
export function kernelOptimizer(optimizer: tf.Optimizer): KernelOptimizerConfig | string {
  const name = optimizer.getClassName();
  const config = optimizer.getConfig() as Record<string, number | boolean | undefined>;
  const num = (key: string, fallback: number): number => (typeof config[key] === 'number' ? (config[key] as number) : fallback);
  const base = { momentum: 0, beta2: 0, epsilon: 0, initial: 0 };
  switch (name) {
    case 'SGD':
      return { ...base, kind: 'sgd' };
    case 'Momentum':
      return { ...base, kind: config.useNesterov ? 'nesterov' : 'momentum', momentum: num('momentum', 0) };
    case 'Adam':
      return { ...base, kind: 'adam', momentum: num('beta1', 0.9), beta2: num('beta2', 0.999), epsilon: num('epsilon', tf.backend().epsilon()) };
    case 'RMSProp':
      if (config.centered) return 'centred RMSprop';
      if (num('momentum', 0) !== 0) return 'RMSprop with momentum';
      return { ...base, kind: 'rmsprop', momentum: num('decay', 0.9), epsilon: num('epsilon', tf.backend().epsilon()) };
    case 'Adagrad':
      return { ...base, kind: 'adagrad', epsilon: tf.backend().epsilon(), initial: num('initialAccumulatorValue', 0.1) };
    default:
      return `the ${name} optimizer`;
  }
}

interface StateSlot {
  originalName: string;
  variable: tf.Variable;
}

/** The state slots of a tfjs optimizer for field, indexed as applyGradients indexes its gradients. */
export function stateSlots(optimizer: tf.Optimizer, field: string): (StateSlot | undefined)[] {
  const internals = optimizer as unknown as Record<string, (StateSlot | undefined)[] | undefined>;
  internals[field] ??= [];
  return internals[field];
}

/** Adam's running β1^t and β2^t, float32 scalars in tfjs. */
export function adamPowers(optimizer: tf.Optimizer): { accBeta1: tf.Variable; accBeta2: tf.Variable } {
  return optimizer as unknown as { accBeta1: tf.Variable; accBeta2: tf.Variable };
}

/** Advances tfjs's step count as applyGradients would have, steps times. */
export function addIterations(optimizer: tf.Optimizer, steps: number): void {
  (optimizer as unknown as { iterations_: number }).iterations_ = optimizer.iterations + steps;
}

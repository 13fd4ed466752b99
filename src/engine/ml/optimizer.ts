import * as tf from '@tensorflow/tfjs';
import type { ModelSpec } from '../../shared/model-spec';

/** Keras-equivalent optimizer for a spec (Keras' epsilon 1e-7 and Adagrad's initial accumulator 0.1). */
export function createOptimizer(spec: ModelSpec): tf.Optimizer {
  const lr = spec.learningRate;
  switch (spec.optimizer) {
    case 'sgd':
      return spec.momentum > 0 ? tf.train.momentum(lr, spec.momentum, spec.nesterov) : tf.train.sgd(lr);
    case 'adam':
      return tf.train.adam(lr, 0.9, 0.999, 1e-7);
    case 'rmsprop':
      return tf.train.rmsprop(lr, 0.9, 0, 1e-7);
    case 'adagrad':
      return tf.train.adagrad(lr, 0.1);
  }
}

/**
 * Frees an optimizer's state. tfjs 4.22's MomentumOptimizer.dispose() leaves the learning-rate scalar of
 * its SGD base alive, one leaked tensor per run; it is freed here too.
 */
export function disposeOptimizer(optimizer: tf.Optimizer): void {
  optimizer.dispose();
  // Class names, not instanceof: tfjs optimizers answer instanceof for any optimizer class.
  if (optimizer.getClassName() === 'Momentum') {
    const lr = (optimizer as unknown as { c?: tf.Tensor }).c;
    if (lr && !lr.isDisposed) lr.dispose();
  }
}

/** Changes an optimizer's learning rate in place, keeping its state (momentum, moments). */
export function setLearningRate(optimizer: tf.Optimizer, learningRate: number): void {
  const name = optimizer.getClassName();
  if (name === 'SGD' || name === 'Momentum') {
    // Both keep the rate as a scalar tensor that setLearningRate replaces.
    (optimizer as tf.SGDOptimizer).setLearningRate(learningRate);
  } else {
    // Adam, RMSProp and Adagrad read this plain field at every update.
    (optimizer as unknown as { learningRate: number }).learningRate = learningRate;
  }
}

/** The rate a schedule gives at `progress` (0 at the start of a run, 1 at its end). */
export function scheduledRate(base: number, schedule: ModelSpec['lrSchedule'], progress: number): number {
  if (schedule === 'constant') return base;
  return base * 0.5 * (1 + Math.cos(Math.PI * Math.min(1, Math.max(0, progress))));
}

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
  if (optimizer instanceof tf.MomentumOptimizer) {
    const lr = (optimizer as unknown as { c?: tf.Tensor }).c;
    if (lr && !lr.isDisposed) lr.dispose();
  }
}

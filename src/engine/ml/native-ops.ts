import * as tf from '@tensorflow/tfjs';
import type { DenseBlock } from './model';

/**
 * TensorFlow's own gradient kernels, which tfjs-node can run but TensorFlow.js has no op for. Each is one
 * launch where the same gradient from TensorFlow.js ops is two (relu: step, mul) to five (selu), and a
 * launch through tfjs-node is a trip into TensorFlow's eager runtime that costs more than these layers'
 * arithmetic. By their argument order: the upstream gradient first ("g") or the activation's output
 * first ("y").
 */
const GRADIENT_OPS: Partial<Record<DenseBlock['activation'], { op: string; order: 'gy' | 'yg' }>> = {
  relu: { op: 'ReluGrad', order: 'gy' },
  elu: { op: 'EluGrad', order: 'gy' },
  selu: { op: 'SeluGrad', order: 'gy' },
  tanh: { op: 'TanhGrad', order: 'yg' },
  sigmoid: { op: 'SigmoidGrad', order: 'yg' },
};

/** The part of tfjs-node's backend used here (its class is not imported: tfjs-node is optional). */
interface TensorFlowBackend {
  binding: { TF_ATTR_TYPE: number; TF_FLOAT: number };
  executeSingleOutput(name: string, attrs: { name: string; type: number; value: unknown }[], inputs: tf.Tensor[]): tf.Tensor;
}

/** Whether the active backend is tfjs-node's, whose kernels these are. */
export function nativeOpsAvailable(): boolean {
  return tf.getBackend() === 'tensorflow';
}

/**
 * upstream · act'(·), from the activation's output y, as one TensorFlow kernel; null for an activation
 * without one (linear needs none). Only on the tfjs-node backend; call inside a tidy.
 * @param upstream [batch, units] @param y [batch, units] @returns [batch, units]
 */
export function nativeActivationGrad(upstream: tf.Tensor2D, y: tf.Tensor2D, activation: DenseBlock['activation']): tf.Tensor2D | null {
  const entry = GRADIENT_OPS[activation];
  if (!entry) return null;
  const backend = tf.backend() as unknown as TensorFlowBackend;
  const attrs = [{ name: 'T', type: backend.binding.TF_ATTR_TYPE, value: backend.binding.TF_FLOAT }];
  const inputs = entry.order === 'gy' ? [upstream, y] : [y, upstream];
  return backend.executeSingleOutput(entry.op, attrs, inputs) as tf.Tensor2D;
}

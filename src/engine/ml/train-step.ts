import * as tf from '@tensorflow/tfjs';
import { StepUpdater } from './fused-update';
import type { DenseBlock } from './model';
import { nativeActivationGrad, nativeOpsAvailable } from './native-ops';
import type { Random } from './random';

export interface StepResult {
  /** Mean cross-entropy over the batch plus the L2 penalty, as Keras reports a batch's loss. */
  loss: number;
  /** Correctly classified samples in the batch. */
  correct: number;
}

type FusedActivation = 'linear' | 'relu' | 'elu' | 'sigmoid';
const FUSED = new Set<string>(['linear', 'relu', 'elu', 'sigmoid']);
const SELU_SCALE = 1.0507009873554805;
const SELU_ALPHA = 1.6732632423543772;

/**
 * One SGD step of an MLP with hand-written backpropagation. Autodiff of a Dense layer multiplies by
 * transposed operands (matMul with transposeA/B), which the wasm backend runs about 10x slower than the
 * same product of explicitly transposed tensors, so every product here is of untransposed operands and
 * the smaller side is transposed. Softmax, loss and accuracy are computed in JS on the [batch, classes]
 * logits, which costs one small read instead of a dozen kernel launches on CPU-side backends.
 * The variables updated are the model's own, so the model stays a standard Layers model.
 */
export class TrainStep {
  private gradBuffer = new Float32Array(0);
  /** Per block, its dropout mask's values: refilled each step (the step's tensors are gone by then). */
  private maskBuffers: Float32Array[] = [];
  private readonly updater: StepUpdater;

  /**
   * @param fusedUpdates see StepUpdater (default: on wasm).
   * @param nativeOps on tfjs-node (the default there): TensorFlow's gradient kernels (native-ops.ts), and
   *   products that transpose an operand inside MatMul, which TensorFlow does at no cost, rather than
   *   with a Transpose launch before it. Fewer launches, the same results within float32 rounding.
   */
  constructor(
    private readonly blocks: DenseBlock[],
    optimizer: tf.Optimizer,
    private readonly l2: number,
    fusedUpdates?: boolean,
    private readonly nativeOps = nativeOpsAvailable(),
  ) {
    this.updater = new StepUpdater(optimizer, fusedUpdates);
  }

  /**
   * @param x [batch, inputs] float32 inputs, already normalised.
   * @param labels the batch's class indices (length ≥ batch).
   * @param xT x transposed, [inputs, batch], when the caller has it (BatchFiller makes it with the
   *   batch): the first layer's weight gradient is then xT·g, with no transpose of the widest matrix.
   */
  run(x: tf.Tensor2D, labels: Uint8Array, random: Random, xT?: tf.Tensor2D): StepResult {
    const batch = x.shape[0];
    let result: StepResult = { loss: 0, correct: 0 };
    tf.tidy(() => {
      const inputs: tf.Tensor2D[] = [];
      const outputs: tf.Tensor2D[] = [];
      const masks: (tf.Tensor2D | null)[] = [];
      let a: tf.Tensor2D = x;
      for (const block of this.blocks) {
        inputs.push(a);
        const out = forwardDense(a, block);
        outputs.push(out);
        const mask = block.dropout > 0 ? this.dropoutMask(inputs.length - 1, out.shape as [number, number], block.dropout, random) : null;
        masks.push(mask);
        a = mask ? tf.mul(out, mask) : out;
      }
      // The last block is linear here; softmax and its gradient are done in JS below.
      const logits = a.dataSync() as Float32Array;
      const numClasses = a.shape[1];
      if (this.gradBuffer.length !== logits.length) this.gradBuffer = new Float32Array(logits.length);
      result = softmaxCrossEntropy(logits, labels, batch, numClasses, this.gradBuffer);
      if (this.l2 > 0) result.loss += this.l2 * squaredSum(this.blocks.map((b) => b.kernel));

      let g: tf.Tensor2D = tf.tensor2d(this.gradBuffer, [batch, numClasses]);
      const grads: tf.NamedTensorMap = {};
      for (let i = this.blocks.length - 1; i >= 0; i--) {
        const block = this.blocks[i];
        const input = inputs[i];
        let dW = i === 0 && xT ? tf.matMul(xT, g) : this.nativeOps ? tf.matMul(input, g, true, false) : productATB(input, g);
        if (this.l2 > 0) dW = this.updater.withL2(dW, block.kernel, this.l2) as tf.Tensor2D;
        grads[block.kernel.name] = dW;
        // The output layer's g is gradBuffer, already in JS: its column sums spare a Sum launch (and the
        // transpose wasm's Sum makes of g to reduce over rows).
        grads[block.bias.name] = i === this.blocks.length - 1 ? columnSums(this.gradBuffer, batch, numClasses) : tf.sum(g, 0);
        if (i === 0) break;
        // Gradient w.r.t. the previous block's (dropped-out) output, then through its mask and activation.
        let upstream = (this.nativeOps ? tf.matMul(g, block.kernel, false, true) : tf.matMul(g, tf.transpose(block.kernel))) as tf.Tensor2D;
        const prevMask = masks[i - 1];
        if (prevMask) upstream = tf.mul(upstream, prevMask);
        const activation = this.blocks[i - 1].activation;
        g = (this.nativeOps && nativeActivationGrad(upstream, outputs[i - 1], activation)) || activationGrad(upstream, outputs[i - 1], activation);
      }
      this.updater.apply(grads);
    });
    return result;
  }

  /** Inverted dropout: kept units are scaled by 1/(1-rate) so inference needs no change. [batch, units] */
  private dropoutMask(block: number, shape: [number, number], rate: number, random: Random): tf.Tensor2D {
    const size = shape[0] * shape[1];
    let values = this.maskBuffers[block];
    if (values?.length !== size) values = this.maskBuffers[block] = new Float32Array(size);
    return tf.tensor2d(random.fillMask(values, rate, 1 / (1 - rate)), shape);
  }
}

/**
 * Σw² over the kernels, summed in JS: a read of the kernels is a copy, where the same sum as kernels
 * (square, sum, addN) was five launches and a wait each step, for a figure that is only reported.
 */
function squaredSum(kernels: readonly tf.Tensor[]): number {
  let sum = 0;
  for (const kernel of kernels) {
    const values = kernel.dataSync() as Float32Array;
    // Four running sums, not one that waits on each addition before the next: this loop was 7 % of a
    // batch-32 step in a profile.
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    const end = values.length - (values.length % 4);
    for (let i = 0; i < end; i += 4) {
      s0 += values[i] * values[i];
      s1 += values[i + 1] * values[i + 1];
      s2 += values[i + 2] * values[i + 2];
      s3 += values[i + 3] * values[i + 3];
    }
    for (let i = end; i < values.length; i++) s0 += values[i] * values[i];
    sum += s0 + s1 + s2 + s3;
  }
  return sum;
}

/** act(a·W + b); the softmax block yields its logits (softmax is applied by the caller). [batch, units] */
function forwardDense(a: tf.Tensor2D, block: DenseBlock): tf.Tensor2D {
  const act = block.activation === 'softmax' ? 'linear' : block.activation;
  if (FUSED.has(act)) {
    return tf.fused.matMul({ a, b: block.kernel as tf.Tensor2D, bias: block.bias, activation: act as FusedActivation }) as tf.Tensor2D;
  }
  const z = tf.add(tf.matMul(a, block.kernel as tf.Tensor2D), block.bias) as tf.Tensor2D;
  return act === 'tanh' ? tf.tanh(z) : tf.selu(z);
}

/**
 * What one kernel launch costs, in values moved by a transpose: about 15 µs of fixed cost on wasm, the
 * time to transpose some 16k floats.
 */
const LAUNCH_IN_VALUES = 16_384;

/**
 * Aᵀ·B for A [batch, n], B [batch, m] → [n, m]: Aᵀ·B, or (Bᵀ·A)ᵀ when its two transposes, a launch more,
 * still move fewer values than transposing A.
 */
function productATB(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  const [batch, n] = a.shape;
  const m = b.shape[1];
  if (batch * m + n * m + LAUNCH_IN_VALUES < batch * n) return tf.transpose(tf.matMul(tf.transpose(b), a)) as tf.Tensor2D;
  return tf.matMul(tf.transpose(a), b);
}

/**
 * Σ over the rows of values [rows × cols] → [cols], summed row after row in float32 as wasm's Sum
 * kernel does, so that its result is the same bit for bit there.
 */
export function columnSums(values: Float32Array, rows: number, cols: number): tf.Tensor1D {
  const sums = new Float32Array(cols);
  for (let c = 0; c < cols; c++) {
    let sum = 0;
    for (let r = 0; r < rows; r++) sum = Math.fround(sum + values[r * cols + c]);
    sums[c] = sum;
  }
  return tf.tensor1d(sums);
}

/** Gradient through the activation, from the activation's output y (every supported one allows it). */
function activationGrad(upstream: tf.Tensor2D, y: tf.Tensor2D, activation: DenseBlock['activation']): tf.Tensor2D {
  switch (activation) {
    case 'relu':
      return tf.mul(upstream, tf.step(y));
    case 'tanh':
      return tf.mul(upstream, tf.sub(1, tf.square(y)));
    case 'sigmoid':
      return tf.mul(upstream, tf.mul(y, tf.sub(1, y)));
    case 'elu':
      return tf.mul(upstream, tf.where(tf.greater(y, 0), tf.onesLike(y), tf.add(y, 1)));
    case 'selu':
      return tf.mul(upstream, tf.where(tf.greater(y, 0), tf.fill(y.shape, SELU_SCALE), tf.add(y, SELU_SCALE * SELU_ALPHA)));
    case 'linear':
      return upstream;
    case 'softmax':
      throw new Error('softmax is only supported as the output layer');
  }
}

/**
 * Softmax of each row of logits, its mean cross-entropy against labels and the gradient of that mean
 * w.r.t. the logits ((p − onehot) / batch), written into grad.
 */
export function softmaxCrossEntropy(
  logits: Float32Array,
  labels: Uint8Array,
  batch: number,
  numClasses: number,
  grad: Float32Array,
): StepResult {
  let loss = 0;
  let correct = 0;
  // Each exponential once, kept in float64 for the probabilities as when it was computed twice.
  const exps = new Float64Array(numClasses);
  for (let r = 0; r < batch; r++) {
    const base = r * numClasses;
    let max = -Infinity;
    let arg = 0;
    for (let c = 0; c < numClasses; c++) {
      if (logits[base + c] > max) {
        max = logits[base + c];
        arg = c;
      }
    }
    let sum = 0;
    for (let c = 0; c < numClasses; c++) {
      exps[c] = Math.exp(logits[base + c] - max);
      sum += exps[c];
    }
    const label = labels[r];
    loss += Math.log(sum) - (logits[base + label] - max);
    if (arg === label) correct++;
    for (let c = 0; c < numClasses; c++) grad[base + c] = (exps[c] / sum - (c === label ? 1 : 0)) / batch;
  }
  return { loss: loss / batch, correct };
}

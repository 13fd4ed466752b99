import * as tf from '@tensorflow/tfjs';

/**
 * Largest tensor fused. FusedBatchNorm is a scalar loop with a division per element where Multiply and
 * Add are SIMD: fusing the updates of a 784×50 kernel made the step slower (bench/step-bench.ts), so
 * large tensors keep their two launches and the small ones (biases, narrow layers), whose cost is the
 * launch itself, are fused.
 */
export const FUSE_MAX_SIZE = 4096;

/**
 * The element-wise parts of a training step (the L2 term of the gradient, the SGD and momentum
 * updates) in fewer kernel launches. Each is a chain of `offset + x·scale` with a scalar scale, which
 * tfjs runs as a Multiply then an Add; at MLP sizes a launch's fixed cost outweighs its work, and these
 * were 29 of a step's 46 launches. The wasm backend's FusedBatchNorm computes
 * `offset + (x − mean)·scale / sqrt(variance + ε)` element by element, repeating any operand shorter
 * than x; with mean = variance = 0 and ε = 1 that is `offset + x·scale` in float32, the same two
 * roundings in the same order as the Multiply and the Add. So the results are tfjs's optimizers' own,
 * bit for bit (a test checks it), with one launch where there were two. Other backends keep the two ops:
 * their FusedBatchNorm rounds differently (cpu computes it in float64). SGD and momentum (Nesterov or
 * not) are fused; the other optimizers update as tfjs does.
 */
export class StepUpdater {
  readonly fused: boolean;

  /** @param fused defaults to whether the active backend is wasm. */
  constructor(
    private readonly optimizer: tf.Optimizer,
    fused = tf.getBackend() === 'wasm',
  ) {
    this.fused = fused;
  }

  /** dW + 2λ·W, the gradient of the loss with the L2 penalty λ·ΣW². Call inside a tidy. */
  withL2(dW: tf.Tensor, kernel: tf.Tensor, l2: number): tf.Tensor {
    return this.scaledAdd(kernel, tf.scalar(2 * l2), dW, this.fused ? tf.scalar(0) : null);
  }

  /** optimizer.applyGradients(grads), fused where it can be. Call inside a tidy. */
  apply(grads: tf.NamedTensorMap): void {
    const name = this.optimizer.getClassName();
    if (!this.fused || (name !== 'SGD' && name !== 'Momentum')) {
      this.optimizer.applyGradients(grads);
      return;
    }
    // tfjs 4.22's fields (the version is pinned): c = −learning rate, m = momentum, and one
    // accumulator per gradient by position, created as applyGradients creates it, so that either
    // path can continue the other's state.
    const opt = this.optimizer as unknown as MomentumInternals;
    const zero = tf.scalar(0);
    Object.keys(grads).forEach((variableName, i) => {
      const value = tf.engine().registeredVariables[variableName];
      const gradient = grads[variableName];
      if (name === 'SGD') {
        value.assign(this.scaledAdd(gradient, opt.c, value, zero));
        return;
      }
      opt.accumulations[i] ??= {
        originalName: `${variableName}/momentum`,
        variable: tf.tidy(() => tf.zerosLike(value).variable(false)),
      };
      const accumulation = opt.accumulations[i].variable;
      // Its own tidy, as in MomentumOptimizer: a large layer's intermediates go before the next layer's.
      tf.tidy(() => {
        // v' = m·v + g; w' = w − lr·(g + m·v') with Nesterov, else w − lr·v'.
        const newAccumulation = this.scaledAdd(accumulation, opt.m, gradient, zero);
        const step = opt.useNesterov ? this.scaledAdd(newAccumulation, opt.m, gradient, zero) : newAccumulation;
        const newValue = this.scaledAdd(step, opt.c, value, zero);
        accumulation.assign(newAccumulation);
        value.assign(newValue);
      });
    });
    opt.incrementIterations();
  }

  /** offset + x·scale, scale a scalar; zero is a scalar 0 when fused. */
  private scaledAdd(x: tf.Tensor, scale: tf.Scalar, offset: tf.Tensor, zero: tf.Scalar | null): tf.Tensor {
    if (!zero || x.size > FUSE_MAX_SIZE) return tf.add(offset, tf.mul(x, scale));
    return tf.engine().runKernel('FusedBatchNorm', { x, mean: zero, variance: zero, offset, scale }, { varianceEpsilon: 1 }) as tf.Tensor;
  }
}

interface MomentumInternals {
  c: tf.Scalar;
  m: tf.Scalar;
  useNesterov: boolean;
  accumulations: { originalName: string; variable: tf.Variable }[];
  incrementIterations(): void;
}

import type { Activation, OptimizerName } from '../../shared/model-spec';

/** Codes shared with c/net.h. */
export const ACTIVATION_CODES: Record<Activation, number> = { linear: 0, relu: 1, tanh: 2, sigmoid: 3, elu: 4, selu: 5 };
export const OPTIMIZER_CODES = { sgd: 0, momentum: 1, nesterov: 2, adam: 3, rmsprop: 4, adagrad: 5 } as const;
export type KernelOptimizer = keyof typeof OPTIMIZER_CODES;

/** kn_ptr's first argument (enum What in c/net.c). */
export const PTR = {
  kernel: 0,
  bias: 1,
  kernelState0: 2,
  kernelState1: 3,
  biasState0: 4,
  biasState1: 5,
  mask: 6,
  input: 7,
  labels: 8,
  dataLabels: 9,
  scales: 10,
  order: 11,
  output: 12,
  affine: 13,
} as const;

/** Dense layers the kernel takes: 8 hidden and the output (MAX_LAYERS in c/net.h). */
export const MAX_KERNEL_LAYERS = 9;

/** Rows of the kernel's matrices start every 16 floats (64 bytes). */
export const pad16 = (n: number): number => (n + 15) & ~15;

/** Rows of the first layer's kernel on sparse input start every 4 floats (one 128-bit vector). */
export const pad4 = (n: number): number => (n + 3) & ~3;

/** Fields of the Hyper struct (c/net.h), in order: each a float32. */
export const HYPER_FIELDS = ['negLr', 'lr', 'twoL2', 'momentum', 'oneMinus1', 'beta2', 'oneMinus2', 'epsilon', 'biasFix1', 'biasFix2'] as const;
export type Hyper = Record<(typeof HYPER_FIELDS)[number], number>;

export type { OptimizerName };

import type { ImageSet } from '../../shared/datasets/image-set';

/** Images read to estimate how many of a set's pixels are lit: spread over the set, about 1 ms. */
const SAMPLE_IMAGES = 1_000;

/**
 * At most this fraction of lit pixels, the first layer's products visit only those (c/sparse.c). A
 * sparse product reuses no loaded weight across rows, so it costs more per multiply-add than a dense
 * one. Measured on one thread, sklearn-exercise at batch 200, dense and sparse alternating: MNIST (18 %
 * lit) stepped 1.4× faster sparse; Fashion-MNIST (50 % lit) 8 % slower.
 */
export const MAX_SPARSE_DENSITY = 0.35;

/** The fraction of pixels that are not 0 in up to SAMPLE_IMAGES images spread evenly over set. */
export function inputDensity(set: ImageSet): number {
  const size = set.rows * set.cols;
  const sampled = Math.min(set.count, SAMPLE_IMAGES);
  if (sampled === 0 || size === 0) return 1;
  let lit = 0;
  for (let s = 0; s < sampled; s++) {
    const image = Math.floor((s * set.count) / sampled);
    const pixels = set.images.subarray(image * size, (image + 1) * size);
    for (let p = 0; p < size; p++) if (pixels[p] !== 0) lit++;
  }
  return lit / (sampled * size);
}

/**
 * Whether a run on set takes the sparse first layer, and why, for the stepper's detail.
 * MLP_LAB_KERNEL_INPUT=dense|sparse decides instead (benchmarks compare the two); anything else throws.
 */
export function planKernelInput(set: ImageSet, requested: string | undefined = process.env.MLP_LAB_KERNEL_INPUT): KernelInputPlan {
  const text = requested?.trim() ?? '';
  const density = inputDensity(set);
  if (text !== '') {
    if (text !== 'dense' && text !== 'sparse') throw new Error(`MLP_LAB_KERNEL_INPUT must be "dense" or "sparse" (got "${text.slice(0, 20)}")`);
    return { sparse: text === 'sparse', density, why: `MLP_LAB_KERNEL_INPUT=${text}` };
  }
  return { sparse: density <= MAX_SPARSE_DENSITY, density, why: `${(100 * density).toFixed(0)} % of pixels lit` };
}

/** Whether the first layer runs sparse, the sampled fraction of lit pixels, and why, in words. */
export interface KernelInputPlan {
  sparse: boolean;
  density: number;
  why: string;
}

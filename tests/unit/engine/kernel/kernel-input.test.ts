import { describe, expect, it } from 'vitest';
import { inputDensity, MAX_SPARSE_DENSITY, planKernelInput } from '$engine/kernel/kernel-input';

/** count images of 4×4 pixels, `lit` of each 16 pixels not 0. */
function setOf(count: number, lit: number): { images: Uint8Array; labels: Uint8Array; count: number; rows: number; cols: number } {
  const images = new Uint8Array(count * 16);
  for (let i = 0; i < count; i++) images.fill(200, i * 16, i * 16 + lit);
  return { images, labels: new Uint8Array(count), count, rows: 4, cols: 4 };
}

describe('the kernel\'s input plan (sparse first layer)', () => {
  it('measures the fraction of lit pixels over images spread through the set', () => {
    expect(inputDensity(setOf(10, 4))).toBe(0.25);
    expect(inputDensity(setOf(5_000, 8))).toBe(0.5);
    expect(inputDensity(setOf(0, 8))).toBe(1);
  });

  it('takes the sparse layer at most MAX_SPARSE_DENSITY lit, and says how lit', () => {
    expect(planKernelInput(setOf(10, 3), undefined)).toEqual({ sparse: true, density: 3 / 16, why: '19 % of pixels lit' });
    expect(MAX_SPARSE_DENSITY).toBeLessThan(0.5);
    expect(planKernelInput(setOf(10, 8), undefined)).toEqual({ sparse: false, density: 0.5, why: '50 % of pixels lit' });
  });

  it('does as MLP_LAB_KERNEL_INPUT says, and refuses anything else', () => {
    expect(planKernelInput(setOf(10, 16), 'sparse')).toEqual({ sparse: true, density: 1, why: 'MLP_LAB_KERNEL_INPUT=sparse' });
    expect(planKernelInput(setOf(10, 1), ' dense ')).toEqual({ sparse: false, density: 1 / 16, why: 'MLP_LAB_KERNEL_INPUT=dense' });
    expect(planKernelInput(setOf(10, 1), '')).toEqual({ sparse: true, density: 1 / 16, why: '6 % of pixels lit' });
    expect(() => planKernelInput(setOf(10, 1), 'yes')).toThrow('MLP_LAB_KERNEL_INPUT must be "dense" or "sparse" (got "yes")');
  });
});

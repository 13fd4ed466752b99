import { describe, expect, it } from 'vitest';
import { describeBackend } from '$shared/backend';

describe('describeBackend', () => {
  it('names SIMD and the thread count for wasm, and nothing extra for other backends', () => {
    expect(describeBackend({ active: 'wasm', simd: true, threads: 2 })).toBe('wasm (SIMD, 2 threads)');
    expect(describeBackend({ active: 'wasm', simd: false, threads: 1 })).toBe('wasm (no SIMD, 1 thread)');
    expect(describeBackend({ active: 'tensorflow' })).toBe('tfjs-node');
    expect(describeBackend({ active: 'cpu' })).toBe('cpu');
  });

  it('says why wasm fell back to one thread', () => {
    expect(describeBackend({ active: 'wasm', simd: true, threads: 1, threadsFallback: 'EEXIST: /tmp/x' })).toBe(
      'wasm (SIMD, 1 thread) — threads off: EEXIST: /tmp/x',
    );
  });
});

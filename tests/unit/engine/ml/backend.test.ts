import * as tf from '@tensorflow/tfjs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { selectBackend } from '$engine/ml/backend';

const hasTfjsNode = (() => {
  try {
    createRequire(import.meta.url).resolve('@tensorflow/tfjs-node');
    return true;
  } catch {
    return false;
  }
})();

describe('selectBackend', () => {
  it('picks the fastest backend available, reports the one really active, and answers the same every time', async () => {
    const report = await selectBackend(undefined);
    expect(report.active).toBe(tf.getBackend());
    expect(report.active).toBe(hasTfjsNode ? 'tensorflow' : 'wasm');
    if (!hasTfjsNode) expect(report.skipped.join()).toMatch(/^tensorflow: .*tfjs-node/);
    if (report.active === 'wasm') expect(report.simd).toBe(true);
    expect(await selectBackend('cpu')).toBe(report);
  });
});

import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { selectBackend } from '$engine/ml/backend';
import { hasTfjsNode } from '$tests/helpers/tfjs-node';


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

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EvaluationCancelled, evaluateSet, robustnessOf } from '$engine/evaluation/evaluator';
import { selectBackend } from '$engine/ml/backend';
import { evaluate } from '$engine/ml/evaluate';
import { loadModel } from '$engine/ml/persist';
import { robustnessVariant } from '$shared/robustness';
import { bundledMnist, RESOURCES_DIR } from '$tests/helpers/datasets';

await selectBackend();
const { model, metadata } = await loadModel(path.join(RESOURCES_DIR, 'models', 'default'));
const mnist = await bundledMnist();
const test = { ...mnist.test, count: 2500, images: mnist.test.images.subarray(0, 2500 * 784), labels: mnist.test.labels.subarray(0, 2500) };

describe('evaluateSet', () => {
  it('gives the same figures as the one-shot evaluate, in steps with progress', async () => {
    const progress: number[] = [];
    const stepped = await evaluateSet(model, test, metadata.normalization, { onProgress: (done, total) => progress.push(done / total) });
    const whole = evaluate(model, test, { normalization: metadata.normalization });
    expect(stepped.accuracy).toBe(whole.accuracy);
    expect(stepped.loss).toBeCloseTo(whole.loss, 6);
    expect(stepped.probabilities).toEqual(whole.probabilities);
    expect(progress).toEqual([0.4, 0.8, 1]);
  });

  it('stops between steps when cancelled', async () => {
    const controller = new AbortController();
    const run = evaluateSet(model, test, metadata.normalization, {
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    await expect(run).rejects.toBeInstanceOf(EvaluationCancelled);
  });
});

describe('robustnessOf', () => {
  it('scores the original and each variant, and a shifted set scores lower than the original', async () => {
    const variants = ['shift-right-4', 'recentred'].map((id) => robustnessVariant(id)!);
    const result = await robustnessOf(model, test, metadata.normalization, variants);
    expect(result.rows.map((r) => r.variant)).toEqual(['shift-right-4', 'recentred']);
    expect(result.original).toBe(evaluate(model, test, { normalization: metadata.normalization }).accuracy);
    expect(result.rows[0].accuracy).toBeLessThan(result.original);
    for (const row of result.rows) expect(row.accuracy).toBeGreaterThan(0.1);
  });
});

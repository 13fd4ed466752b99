import { flushSync } from 'svelte';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ModelComparison } from '$shared/comparison';
import type { ModelPayload } from '$shared/models';
import { ensureCpuBackend } from '$renderer/app/classifier.svelte';
import { CompareState, type CompareApi } from '$renderer/panels/models/compare.svelte';
import { pointsDifference, recallRows, robustnessRows } from '$renderer/panels/models/compare-rows';
import { makePayload } from '../../helpers/model-payload';

const digits = '0123456789'.split('');
const comparison: ModelComparison = {
  a: { id: 'default', name: 'Default', datasetId: 'mnist', classNames: digits, count: 10000, accuracy: 0.99, recall: digits.map(() => 0.99) },
  b: { id: 'mine', name: 'Mine', datasetId: 'mnist', classNames: digits, count: 10000, accuracy: 0.9, recall: digits.map((_, i) => (i === 3 ? 0.5 : 0.95)) },
  robustness: [
    { modelId: 'default', modelName: 'Default', images: 2000, original: 0.99, rows: [{ variant: 'shift-left-2', accuracy: 0.97 }, { variant: 'scale-0.8', accuracy: 0.95 }] },
    { modelId: 'mine', modelName: 'Mine', images: 2000, original: 0.9, rows: [{ variant: 'scale-0.8', accuracy: 0.6 }, { variant: 'shift-left-2', accuracy: 0.4 }] },
  ],
};

describe('compare rows', () => {
  it('puts the recall of each class side by side, naming both class names where they differ', () => {
    const rows = recallRows(comparison);
    expect(rows).toHaveLength(10);
    expect(rows[3]).toEqual({ key: '3', label: '3', a: 0.99, b: 0.5 });
    const renamed = recallRows({ ...comparison, b: { ...comparison.b, classNames: ['zero', ...digits.slice(1)] } });
    expect(renamed[0].label).toBe('0 / zero');
  });

  it('matches robustness variants by id, whatever order each model came in, untouched images first', () => {
    expect(robustnessRows(comparison)).toEqual([
      { key: 'original', label: 'untouched test images', a: 0.99, b: 0.9 },
      { key: 'shift-left-2', label: '← 2 px', a: 0.97, b: 0.4 },
      { key: 'scale-0.8', label: '×0.8', a: 0.95, b: 0.6 },
    ]);
  });

  it('gives B − A in percentage points', () => {
    expect(pointsDifference(0.9, 0.925)).toBe('+2.50');
    expect(pointsDifference(0.99, 0.5)).toBe('−49.00');
    expect(pointsDifference(0.5, 0.5)).toBe('±0.00');
    expect(pointsDifference(0.5, Number.NaN)).toBe('');
  });
});

describe('CompareState', () => {
  let payloads: Record<string, ModelPayload>;
  let state: CompareState;
  /** Disconnecting also frees both models the state loaded. */
  let disconnect: () => void = () => undefined;
  beforeAll(async () => {
    await ensureCpuBackend();
    const a = await makePayload({ seed: 1, id: 'default' });
    const b = await makePayload({ seed: 5, id: 'mine', classNames: 'abcdefghij'.split('') });
    a.model.dispose();
    b.model.dispose();
    payloads = { default: a.payload, mine: b.payload };
  });
  afterEach(() => disconnect());

  function api(calls: unknown[], compareModels: CompareApi['compareModels'] = async () => comparison): CompareApi {
    return {
      compareModels: async (request) => (calls.push(request), compareModels(request)),
      getModel: async ({ id }) => payloads[id],
      onEvaluationProgress: () => () => undefined,
    };
  }

  /** A 280×280 canvas with a vertical bar of ink, as a "1" drawn on the compare canvas. */
  function bar(): Uint8ClampedArray {
    const rgba = new Uint8ClampedArray(280 * 280 * 4);
    for (let y = 40; y < 240; y++) for (let x = 130; x < 150; x++) rgba.set([255, 255, 255, 255], (y * 280 + x) * 4);
    return rgba;
  }

  it('compares two different models only, and answers the drawing with each, in its own class names', async () => {
    state = new CompareState();
    const calls: unknown[] = [];
    disconnect = state.connect(api(calls));
    state.pick('a', 'default');
    expect(state.canCompare).toBe(false);
    state.pick('b', 'default');
    expect(state.canCompare).toBe(false);
    state.pick('b', 'mine');
    await state.compare(200);
    expect(calls).toEqual([{ a: 'default', b: 'mine', images: 200 }]);
    expect(state.result).toBe(comparison);
    expect(state.answers).toEqual({ a: null, b: null });
    state.recognition.update(bar(), 280, 280);
    flushSync();
    const { a, b } = state.answers;
    expect(digits).toContain(a?.label);
    expect('abcdefghij'.split('')).toContain(b?.label);
    expect(a!.confidence).toBeGreaterThan(0);
    // Picking another model clears the old pair's result.
    state.pick('b', null);
    expect(state.result).toBeNull();
  });

  it('shows why a comparison failed, without a half result', async () => {
    state = new CompareState();
    disconnect = state.connect(api([], async () => Promise.reject(new Error('Pick two different models to compare'))));
    state.pick('a', 'default');
    state.pick('b', 'mine');
    await state.compare();
    expect(state.error).toBe('Pick two different models to compare');
    expect(state.result).toBeNull();
    expect(state.running).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { filterRows, rowsOf, sortRows } from '$renderer/panels/runs/run-table';
import { settingsTable } from '$renderer/panels/runs/run-diff';
import { cleanColour, freeColour, PALETTE } from '$renderer/panels/runs/run-colours';
import { runRecord } from './runs-fixtures';

describe('the runs table', () => {
  const runs = [
    runRecord('a', { seed: 1 }, { startedAt: '2026-12-01T10:00:00Z', final: { testAccuracy: 0.91, testLoss: 0.3, epochsDone: 2 } }),
    runRecord('b', { seed: 2 }, { startedAt: '2026-12-01T11:00:00Z', final: { testAccuracy: 0.95, testLoss: 0.2, epochsDone: 2 } }),
    runRecord('c', { optimizer: 'sgd', seed: 3 }, { startedAt: '2026-12-01T12:00:00Z', final: null, outcome: 'failed', backend: 'cpu' }),
  ];

  it('marks runs whose settings differ only in the seed, and no other', () => {
    const rows = rowsOf(runs);
    expect(rows.map((r) => r.seedTwins)).toEqual([['b'], ['a'], []]);
    // Same seed and settings is a repeat, not a seed-only difference.
    expect(rowsOf([runRecord('x'), runRecord('y')]).map((r) => r.seedTwins)).toEqual([[], []]);
    // Another dataset is another setting.
    expect(rowsOf([runRecord('x', { seed: 1 }), runRecord('y', { seed: 2 }, { datasetId: 'fashion-mnist' })])[0]!.seedTwins).toEqual([]);
  });

  it('sorts by a column either way, runs without a score last', () => {
    const rows = rowsOf(runs);
    expect(sortRows(rows, 'testAccuracy', true).map((r) => r.id)).toEqual(['b', 'a', 'c']);
    expect(sortRows(rows, 'testAccuracy', false).map((r) => r.id)).toEqual(['a', 'b', 'c']);
    expect(sortRows(rows, 'date', true).map((r) => r.id)).toEqual(['c', 'b', 'a']);
    expect(sortRows(rows, 'optimizer', false).map((r) => r.id)).toEqual(['b', 'a', 'c']);
  });

  it('filters on every word of the query', () => {
    const rows = rowsOf(runs);
    expect(filterRows(rows, 'sgd').map((r) => r.id)).toEqual(['c']);
    expect(filterRows(rows, 'MNIST adam').map((r) => r.id)).toEqual(['a', 'b']);
    expect(filterRows(rows, 'adam cpu')).toEqual([]);
    expect(filterRows(rows, '  ')).toHaveLength(3);
  });

  it("says in the backend's tooltip how it was chosen and why the training kernel was not used", () => {
    const [chosen, fellBack, old] = rowsOf([
      runRecord('k', {}, { backend: 'kernel', backendChoice: 'kernel (simd128): 2.1× faster than wasm for this model', stepper: { name: 'kernel', detail: 'simd128, 1 thread', fallback: null } }),
      runRecord('t', {}, { backend: 'wasm', backendChoice: 'wasm: pinned', stepper: { name: 'tfjs', detail: null, fallback: 'the kernel does not run elu' } }),
      runRecord('o'),
    ]);
    expect(chosen!.backendWhy).toBe('kernel (simd128): 2.1× faster than wasm for this model');
    expect(fellBack!.backendWhy).toBe('wasm: pinned. the training kernel was not used: the kernel does not run elu');
    expect(old!.backendWhy).toBe('');
  });
});

describe('the settings table', () => {
  it('shows every setting, or with differences only exactly the settings that differ', () => {
    const a = runRecord('a', { learningRate: 0.001 });
    const b = runRecord('b', { learningRate: 0.01 });
    const all = settingsTable([a, b], false);
    expect(all.length).toBeGreaterThan(10);
    expect(settingsTable([a, b], true)).toEqual([{ key: 'learningRate', label: 'Learning rate', values: ['0.001', '0.01'], differs: true }]);
    expect(settingsTable([a, runRecord('c', { hiddenLayers: [{ units: 32, activation: 'relu', dropout: 0 }], seed: 9 })], true).map((r) => r.key)).toEqual([
      'layers',
      'seed',
    ]);
    expect(settingsTable([], true)).toEqual([]);
  });
});

describe('run colours', () => {
  it('hands out distinct palette colours, and keeps only #rrggbb from the picker', () => {
    expect(new Set(PALETTE).size).toBe(10);
    expect(freeColour([PALETTE[0], PALETTE[1]])).toBe(PALETTE[2]);
    expect(freeColour(PALETTE)).toBe(PALETTE[0]);
    expect(cleanColour('#AABBCC', '#000000')).toBe('#aabbcc');
    expect(cleanColour('red; background: url(x)', '#000000')).toBe('#000000');
  });
});

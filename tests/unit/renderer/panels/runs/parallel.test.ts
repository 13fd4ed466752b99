import { describe, expect, it } from 'vitest';
import type { RunRecord } from '$shared/runs/run-record';
import { axesOf, brushOf, brushSpan, fractionOf, importanceOf, selectedRuns, type Axis } from '$renderer/panels/runs/parallel-axes';
import { ParallelState, type ParallelSource } from '$renderer/panels/runs/parallel.svelte';
import { runRecord } from './runs-fixtures';

/** Four runs differing in units, learning rate and optimizer, with test accuracies that rise with units. */
const runs: RunRecord[] = [
  runRecord('a', { hiddenLayers: [{ units: 8, activation: 'relu', dropout: 0 }], learningRate: 0.001, optimizer: 'adam' }, { final: { testAccuracy: 0.8, testLoss: 0.5, epochsDone: 2 } }),
  runRecord('bb', { hiddenLayers: [{ units: 16, activation: 'relu', dropout: 0 }], learningRate: 0.01, optimizer: 'adam' }, { final: { testAccuracy: 0.85, testLoss: 0.4, epochsDone: 2 } }),
  runRecord('ccc', { hiddenLayers: [{ units: 32, activation: 'relu', dropout: 0 }], learningRate: 0.1, optimizer: 'sgd' }, { final: { testAccuracy: 0.9, testLoss: 0.3, epochsDone: 2 } }),
  runRecord('dddd', { hiddenLayers: [{ units: 64, activation: 'relu', dropout: 0 }], learningRate: 0.001, optimizer: 'sgd' }, { final: null, outcome: 'failed' }),
];
const axis = (key: string, set = runs): Axis => axesOf(set).find((a) => a.def.key === key)!;
const ids = (set: readonly RunRecord[]): string[] => set.map((r) => r.id);

describe('parallel coordinates: axes', () => {
  it('draws the settings on which the runs differ, then their outcomes, test accuracy last', () => {
    const keys = axesOf(runs).map((a) => a.def.key);
    expect(keys).toEqual(['units', 'optimizer', 'learningRate', 'params', 'testAccuracy']);
    // Equal everywhere: activation, batch size, epochs... are not drawn; accuracy is, even for one run.
    expect(axesOf(runs.slice(0, 1)).map((a) => a.def.key)).toEqual(['testAccuracy']);
  });

  it('places values from bottom to top: by factor on a log axis, evenly by name on a category axis', () => {
    const units = axis('units');
    expect([8, 16, 32, 64].map((v) => fractionOf(units, v))).toEqual([0, 1 / 3, 2 / 3, 1].map((f) => expect.closeTo(f, 12)));
    const optimizer = axis('optimizer');
    expect(optimizer.names).toEqual(['adam', 'sgd']);
    expect([fractionOf(optimizer, 'adam'), fractionOf(optimizer, 'sgd'), fractionOf(optimizer, 'rmsprop')]).toEqual([0, 1, null]);
    // A run without a score has no place on the accuracy axis.
    expect(fractionOf(axis('testAccuracy'), null)).toBeNull();
  });
});

describe('parallel coordinates: brushing', () => {
  it('keeps the runs inside a brush dragged either way, its ends included', () => {
    const units = axis('units');
    // The upper half of a log axis from 8 to 64: from √(8·64) ≈ 22.6 up.
    const brush = brushOf(units, 1, 0.5);
    expect(ids(selectedRuns(runs, [units], { units: brush }))).toEqual(['ccc', 'dddd']);
    expect(brushSpan(units, brush)).toEqual([expect.closeTo(0.5, 6), expect.closeTo(1, 6)]);
    // A brush dragged to exactly one end keeps the run drawn there.
    expect(ids(selectedRuns(runs, [units], { units: brushOf(units, 0, 0.1) }))).toEqual(['a']);
  });

  it('needs every brushed axis to pass, and a run without a value fails a brush on that axis', () => {
    const axes = axesOf(runs);
    const optimizer = axis('optimizer');
    const sgd = brushOf(optimizer, 0.8, 1);
    expect(sgd).toEqual({ names: ['sgd'] });
    expect(ids(selectedRuns(runs, axes, { optimizer: sgd }))).toEqual(['ccc', 'dddd']);
    const accuracy = brushOf(axis('testAccuracy'), 0, 1);
    expect(ids(selectedRuns(runs, axes, { optimizer: sgd, testAccuracy: accuracy }))).toEqual(['ccc']);
    // A brush on an axis that is not drawn for these runs holds nothing back.
    expect(ids(selectedRuns(runs, axes, { epochs: { min: 100, max: 200 } }))).toEqual(ids(runs));
  });

  it('brushes by value, so a new run that widens the axis keeps the same runs in', () => {
    const units = axis('units', runs.slice(0, 3));
    const brush = brushOf(units, 0, 0.5);
    const wider = axesOf(runs);
    expect(ids(selectedRuns(runs, wider, { units: brush }))).toEqual(['a', 'bb']);
  });
});

describe('parallel coordinates: importance', () => {
  it('is the rank correlation of a numeric setting with test accuracy, over runs with both', () => {
    expect(importanceOf(axis('units'), runs)).toBeCloseTo(1, 12);
    expect(importanceOf(axis('learningRate'), runs)).toBeCloseTo(1, 12);
    expect(importanceOf(axis('optimizer'), runs)).toBeNull();
    expect(importanceOf(axis('testAccuracy'), runs)).toBeNull();
    const falling = runs.map((r, i) => ({ ...r, final: { testAccuracy: 0.9 - i / 10, testLoss: 0, epochsDone: 2 } }));
    expect(importanceOf(axis('units', falling), falling)).toBeCloseTo(-1, 12);
    expect(importanceOf(axis('units'), runs.slice(0, 2))).toBeNull();
  });
});

describe('ParallelState', () => {
  it('brushes, clears on a click, and drops its brushes when it shows another set of runs', () => {
    const sets: Record<ParallelSource, readonly RunRecord[]> = { listed: runs, ticked: runs.slice(0, 2), sweep: [] };
    const state = new ParallelState((source) => sets[source]);
    expect(state.selected).toHaveLength(4);
    state.brush('units', 0.5, 1);
    expect(state.brushed).toBe(true);
    expect([...state.selectedIds]).toEqual(['ccc', 'dddd']);
    state.brush('units', 0.3, 0.302);
    expect(state.brushed).toBe(false);
    // The keyboard halves the brush: the upper half of the axis, then the lower half of that.
    state.narrow('units', 'upper');
    expect([...state.selectedIds]).toEqual(['ccc', 'dddd']);
    state.narrow('units', 'lower');
    expect([...state.selectedIds]).toEqual(['ccc']);
    state.show('ticked');
    expect(state.brushes).toEqual({});
    expect(state.runs).toHaveLength(2);
    expect(state.importance.get('units')).toBeNull();
  });
});

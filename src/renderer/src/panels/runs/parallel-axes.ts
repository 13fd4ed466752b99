import { summarizeSpec } from '$shared/model-summary';
import type { RunRecord } from '$shared/runs/run-record';
import { keptEpoch } from './sweep-points';

/**
 * Parallel coordinates over a set of runs, the pure part: which axes (the settings that differ between
 * the runs, then what came of them), where each run crosses each axis, and which runs pass the brushes.
 * A brush is kept in the axis's own values, not in pixels, so it still means the same runs after a
 * new run widens the axis.
 */

export type AxisScale = 'linear' | 'log' | 'category';

export interface AxisDef {
  key: string;
  label: string;
  scale: AxisScale;
  /** Settings are what the learner chose; outcomes what came of them (drawn to the right). */
  kind: 'setting' | 'outcome';
  /** A number (linear, log) or a name (category); null when the run has none (no hidden layer, no score). */
  value: (run: RunRecord) => number | string | null;
  format: (value: number | string) => string;
}

const plain = (v: number | string): string => (typeof v === 'number' ? String(Number(v.toPrecision(4))) : v);
const pct = (v: number | string): string => `${(Number(v) * 100).toFixed(1)} %`;
const firstLayer = (run: RunRecord) => run.spec.hiddenLayers[0] ?? null;

/** Every axis a run can have, in the order they are drawn; test accuracy last, at the right. */
export const AXES: readonly AxisDef[] = [
  { key: 'layers', label: 'hidden layers', scale: 'linear', kind: 'setting', value: (r) => r.spec.hiddenLayers.length, format: plain },
  { key: 'units', label: 'units (layer 1)', scale: 'log', kind: 'setting', value: (r) => firstLayer(r)?.units ?? null, format: plain },
  { key: 'activation', label: 'activation', scale: 'category', kind: 'setting', value: (r) => firstLayer(r)?.activation ?? null, format: plain },
  { key: 'dropout', label: 'dropout', scale: 'linear', kind: 'setting', value: (r) => firstLayer(r)?.dropout ?? null, format: plain },
  { key: 'optimizer', label: 'optimizer', scale: 'category', kind: 'setting', value: (r) => r.spec.optimizer, format: plain },
  { key: 'learningRate', label: 'learning rate', scale: 'log', kind: 'setting', value: (r) => r.spec.learningRate, format: plain },
  { key: 'batchSize', label: 'batch size', scale: 'log', kind: 'setting', value: (r) => r.spec.batchSize, format: plain },
  { key: 'l2', label: 'L2', scale: 'linear', kind: 'setting', value: (r) => r.spec.l2, format: plain },
  { key: 'epochs', label: 'epochs', scale: 'linear', kind: 'setting', value: (r) => r.spec.epochs, format: plain },
  { key: 'trainSubset', label: 'training images', scale: 'log', kind: 'setting', value: (r) => r.spec.trainSubset, format: plain },
  { key: 'dataset', label: 'dataset', scale: 'category', kind: 'setting', value: (r) => r.datasetId, format: plain },
  { key: 'params', label: 'parameters', scale: 'log', kind: 'outcome', value: (r) => summarizeSpec(r.spec).totalParams, format: plain },
  { key: 'seconds', label: 'time (s)', scale: 'linear', kind: 'outcome', value: (r) => r.durationSeconds, format: plain },
  { key: 'trainAccuracy', label: 'training acc.', scale: 'linear', kind: 'outcome', value: (r) => keptEpoch(r)?.accuracy ?? null, format: pct },
  { key: 'valAccuracy', label: 'validation acc.', scale: 'linear', kind: 'outcome', value: (r) => keptEpoch(r)?.valAccuracy ?? null, format: pct },
  { key: 'testAccuracy', label: 'test accuracy', scale: 'linear', kind: 'outcome', value: (r) => r.final?.testAccuracy ?? null, format: pct },
];

/** An axis as drawn for one set of runs: its extent (numbers) or its names (categories). */
export interface Axis {
  def: AxisDef;
  min: number;
  max: number;
  names: string[];
}

/** A brush on a numeric axis keeps values from min to max; on a category axis, the names listed. */
export type Brush = { min: number; max: number } | { names: string[] };

const position = (scale: AxisScale, v: number): number => (scale === 'log' ? Math.log(v) : v);

function usable(def: AxisDef, v: number | string | null): v is number | string {
  if (v === null) return false;
  if (def.scale === 'category') return typeof v === 'string';
  return typeof v === 'number' && Number.isFinite(v) && (def.scale !== 'log' || v > 0);
}

/**
 * The axes worth drawing for these runs: every setting or outcome on which they differ, and test
 * accuracy whenever a run has one (the figure the others are read against).
 */
export function axesOf(runs: readonly RunRecord[]): Axis[] {
  return AXES.flatMap((def) => {
    const values = runs.map((run) => def.value(run)).filter((v) => usable(def, v));
    const distinct = [...new Set(values)];
    if (distinct.length === 0 || (distinct.length === 1 && def.key !== 'testAccuracy')) return [];
    if (def.scale === 'category') return [{ def, min: 0, max: 0, names: (distinct as string[]).sort() }];
    const numbers = distinct as number[];
    return [{ def, min: Math.min(...numbers), max: Math.max(...numbers), names: [] }];
  });
}

/** Where a value sits on its axis: 0 at the bottom, 1 at the top; null when the run has no usable value. */
export function fractionOf(axis: Axis, v: number | string | null): number | null {
  if (!usable(axis.def, v)) return null;
  if (axis.def.scale === 'category') {
    const at = axis.names.indexOf(v as string);
    if (at < 0) return null;
    return axis.names.length === 1 ? 0.5 : at / (axis.names.length - 1);
  }
  const [lo, hi, x] = [position(axis.def.scale, axis.min), position(axis.def.scale, axis.max), position(axis.def.scale, v as number)];
  return hi === lo ? 0.5 : (x - lo) / (hi - lo);
}

/** The brush a drag from fraction `a` to `b` of the axis (either way round) makes. */
export function brushOf(axis: Axis, a: number, b: number): Brush {
  const [from, to] = [Math.max(0, Math.min(a, b)), Math.min(1, Math.max(a, b))];
  if (axis.def.scale === 'category') return { names: axis.names.filter((name) => within(fractionOf(axis, name)!, from, to)) };
  const [lo, hi] = [position(axis.def.scale, axis.min), position(axis.def.scale, axis.max)];
  const valueAt = (t: number): number => {
    const x = lo + t * (hi - lo);
    return axis.def.scale === 'log' ? Math.exp(x) : x;
  };
  // An axis of one value is drawn at the middle: a brush over the middle keeps it.
  if (hi === lo) return within(0.5, from, to) ? { min: axis.min, max: axis.max } : { min: Infinity, max: -Infinity };
  // A hair of slack, so that a brush dragged to an axis's end keeps the run drawn exactly there.
  const slack = 1e-9 * Math.max(Math.abs(axis.min), Math.abs(axis.max), 1);
  return { min: valueAt(from) - slack, max: valueAt(to) + slack };
}

const within = (x: number, from: number, to: number): boolean => x >= from && x <= to;

/** The part of the axis a brush covers, as fractions (for drawing it); null when it covers nothing. */
export function brushSpan(axis: Axis, brush: Brush): [number, number] | null {
  if ('names' in brush) {
    const at = brush.names.flatMap((name) => fractionOf(axis, name) ?? []);
    if (at.length === 0) return null;
    const half = axis.names.length > 1 ? 0.5 / (axis.names.length - 1) : 0.5;
    return [Math.max(0, Math.min(...at) - half / 2), Math.min(1, Math.max(...at) + half / 2)];
  }
  if (brush.min > brush.max) return null;
  const clamp = (v: number): number => Math.max(0, Math.min(1, fractionOf(axis, Math.min(axis.max, Math.max(axis.min, v))) ?? 0.5));
  return [clamp(brush.min), clamp(brush.max)];
}

export function passes(axis: Axis, brush: Brush, run: RunRecord): boolean {
  const v = axis.def.value(run);
  if (!usable(axis.def, v)) return false;
  return 'names' in brush ? brush.names.includes(v as string) : (v as number) >= brush.min && (v as number) <= brush.max;
}

/** The runs that pass every brush on a drawn axis (brushes on axes not drawn are ignored). */
export function selectedRuns(runs: readonly RunRecord[], axes: readonly Axis[], brushes: Readonly<Record<string, Brush>>): RunRecord[] {
  const active = axes.flatMap((axis) => (brushes[axis.def.key] ? [[axis, brushes[axis.def.key]!] as const] : []));
  return runs.filter((run) => active.every(([axis, brush]) => passes(axis, brush, run)));
}

/**
 * How strongly a numeric setting goes with test accuracy over these runs: Spearman's rank correlation
 * (-1 to 1, ties ranked by their mean), a simple stand-in for a sweep tool's "parameter importance".
 * Null for a category axis, an outcome, or fewer than three runs with both figures.
 */
export function importanceOf(axis: Axis, runs: readonly RunRecord[]): number | null {
  if (axis.def.kind !== 'setting' || axis.def.scale === 'category') return null;
  const pairs = runs.flatMap((run) => {
    const [x, y] = [axis.def.value(run), run.final?.testAccuracy ?? null];
    return usable(axis.def, x) && y !== null ? [[x as number, y] as const] : [];
  });
  if (pairs.length < 3) return null;
  const [rx, ry] = [ranks(pairs.map((p) => p[0])), ranks(pairs.map((p) => p[1]))];
  const mean = (pairs.length + 1) / 2;
  let [sxy, sxx, syy] = [0, 0, 0];
  for (let i = 0; i < pairs.length; i++) {
    const [dx, dy] = [rx[i]! - mean, ry[i]! - mean];
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx === 0 || syy === 0 ? null : sxy / Math.sqrt(sxx * syy);
}

/** 1-based ranks, equal values sharing the mean of their ranks. */
function ranks(values: readonly number[]): number[] {
  const order = values.map((_, i) => i).sort((a, b) => values[a]! - values[b]!);
  const out = new Array<number>(values.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && values[order[j + 1]!] === values[order[i]!]) j++;
    for (let k = i; k <= j; k++) out[order[k]!] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return out;
}

import { ACTIVATIONS, LIMITS, OPTIMIZERS, type Activation, type ModelSpec, type OptimizerName } from '../model-spec';

/**
 * What a sweep can vary, how its values are written (a list, or a range with linear or log steps) and
 * how one value is put into a spec. Pure: the window parses what the learner types, main checks it
 * again before any run starts.
 */

export const SWEEP_SETTINGS = ['units', 'layers', 'learningRate', 'batchSize', 'dropout', 'l2', 'epochs', 'optimizer', 'activation', 'trainSubset'] as const;
export type SweepSetting = (typeof SWEEP_SETTINGS)[number];
export type SweepValue = number | string;

export interface SweepSettingInfo {
  label: string;
  kind: 'integer' | 'number' | 'choice';
  /** Ranges of this setting step by a constant factor (learning rate, L2). */
  log: boolean;
  min: number;
  max: number;
  choices?: readonly string[];
}

export const SWEEP_SETTING_INFO: Record<SweepSetting, SweepSettingInfo> = {
  units: { label: 'Hidden units (layer)', kind: 'integer', log: false, min: LIMITS.units.min, max: LIMITS.units.max },
  layers: { label: 'Number of hidden layers', kind: 'integer', log: false, min: 0, max: LIMITS.hiddenLayers.max },
  learningRate: { label: 'Learning rate', kind: 'number', log: true, min: LIMITS.learningRate.min, max: LIMITS.learningRate.max },
  batchSize: { label: 'Batch size', kind: 'integer', log: false, min: LIMITS.batchSize.min, max: LIMITS.batchSize.max },
  dropout: { label: 'Dropout (every hidden layer)', kind: 'number', log: false, min: LIMITS.dropout.min, max: LIMITS.dropout.max },
  l2: { label: 'L2 penalty', kind: 'number', log: true, min: LIMITS.l2.min, max: LIMITS.l2.max },
  epochs: { label: 'Epochs', kind: 'integer', log: false, min: LIMITS.epochs.min, max: LIMITS.epochs.max },
  optimizer: { label: 'Optimizer', kind: 'choice', log: false, min: 0, max: 0, choices: OPTIMIZERS },
  activation: { label: 'Activation (every hidden layer)', kind: 'choice', log: false, min: 0, max: 0, choices: ACTIVATIONS },
  trainSubset: { label: 'Training images', kind: 'integer', log: false, min: 1, max: 1e9 },
};

/** At most this many values on one axis, and runs in one sweep (a grid multiplies its two axes). */
export const SWEEP_LIMITS = { values: 32, runs: 64 } as const;

/** One varied setting; `layer` (0-based) says which hidden layer `units` changes. */
export interface SweepAxis {
  setting: SweepSetting;
  layer?: number;
  values: SweepValue[];
}

/**
 * `count` values from `from` to `to`, both included: a constant factor apart for a log setting (so
 * 1e-4 to 1e-1 in 4 steps is 1e-4, 1e-3, 1e-2, 1e-1), else a constant difference; whole numbers for
 * an integer setting, without repeats. Each is rounded to 6 significant digits so that 1e-3 reads 0.001.
 */
export function rangeValues(setting: SweepSetting, from: number, to: number, count: number): number[] {
  const info = SWEEP_SETTING_INFO[setting];
  if (info.kind === 'choice') throw new Error(`${info.label} takes a list of values, not a range`);
  if (!Number.isFinite(from) || !Number.isFinite(to)) throw new Error('a range needs two numbers');
  if (!Number.isInteger(count) || count < 1 || count > SWEEP_LIMITS.values) throw new Error(`a range has 1 to ${SWEEP_LIMITS.values} steps (got ${count})`);
  if (info.log && (from <= 0 || to <= 0)) throw new Error(`${info.label} steps by a factor: both ends must be above 0 (use a list to include 0)`);
  const values: number[] = [];
  for (let i = 0; i < count; i++) {
    const t = count === 1 ? 0 : i / (count - 1);
    const raw = info.log ? from * (to / from) ** t : from + (to - from) * t;
    const value = info.kind === 'integer' ? Math.round(raw) : Number(raw.toPrecision(6));
    if (!values.includes(value)) values.push(value);
  }
  return values;
}

/**
 * Reads what the learner typed for a setting's values: a list ("16, 32, 64" or "adam sgd"), or a
 * range "from:to:steps" ("1e-4:1e-1:4"). Throws with a message naming the bad value.
 */
export function parseSweepValues(setting: SweepSetting, text: string): SweepValue[] {
  const info = SWEEP_SETTING_INFO[setting];
  const trimmed = text.trim().slice(0, 2000);
  const range = /^([^:,\s]+)\s*:\s*([^:,\s]+)\s*:\s*(\d+)$/.exec(trimmed);
  const values: SweepValue[] = range
    ? rangeValues(setting, Number(range[1]), Number(range[2]), Number(range[3]))
    : trimmed.split(/[\s,;]+/).filter(Boolean).map((word) => (info.kind === 'choice' ? word.toLowerCase() : Number(word)));
  if (values.length === 0) throw new Error(`give ${info.label.toLowerCase()} values: a list (16, 32, 64) or a range (from:to:steps)`);
  if (values.length > SWEEP_LIMITS.values) throw new Error(`at most ${SWEEP_LIMITS.values} values (got ${values.length})`);
  const problem = values.map((value) => valueProblem(setting, value)).find((p) => p !== null);
  if (problem) throw new Error(problem);
  return values.filter((value, i) => values.indexOf(value) === i);
}

/** Why a value cannot be used for a setting, or null. */
export function valueProblem(setting: SweepSetting, value: SweepValue): string | null {
  const info = SWEEP_SETTING_INFO[setting];
  if (info.kind === 'choice') {
    return typeof value === 'string' && info.choices!.includes(value) ? null : `${info.label} is one of ${info.choices!.join(', ')} (got ${String(value).slice(0, 40)})`;
  }
  const ok = typeof value === 'number' && Number.isFinite(value) && value >= info.min && value <= info.max && (info.kind !== 'integer' || Number.isInteger(value));
  return ok ? null : `${info.label} must be ${info.kind === 'integer' ? 'a whole number ' : ''}from ${info.min} to ${info.max} (got ${String(value).slice(0, 40)})`;
}

/** `spec` with one setting changed to `value` (checked by valueProblem first). */
export function applySweepValue(spec: ModelSpec, axis: Pick<SweepAxis, 'setting' | 'layer'>, value: SweepValue): ModelSpec {
  const next = structuredClone(spec);
  const layers = next.hiddenLayers;
  switch (axis.setting) {
    case 'units': {
      const layer = layers[axis.layer ?? 0];
      if (!layer) throw new Error(`there is no hidden layer ${(axis.layer ?? 0) + 1} to change the units of`);
      layer.units = value as number;
      break;
    }
    case 'layers': {
      // More layers copy the last one (as Add layer does); fewer drop the last ones.
      const template = layers[layers.length - 1] ?? { units: 64, activation: 'relu' as Activation, dropout: 0 };
      next.hiddenLayers = Array.from({ length: value as number }, (_, i) => ({ ...(layers[i] ?? template) }));
      break;
    }
    case 'dropout':
      for (const layer of layers) layer.dropout = value as number;
      break;
    case 'activation':
      for (const layer of layers) layer.activation = value as Activation;
      break;
    case 'optimizer':
      next.optimizer = value as OptimizerName;
      // Momentum and Nesterov are SGD's: another optimizer would make the spec invalid.
      if (next.optimizer !== 'sgd') {
        next.momentum = 0;
        next.nesterov = false;
      }
      break;
    default:
      next[axis.setting] = value as number;
  }
  return next;
}

/** How a value reads in a label ("0.001", "adam"). */
export function formatSweepValue(value: SweepValue): string {
  return typeof value === 'number' ? String(Number(value.toPrecision(6))) : value;
}

/** How an axis reads ("Hidden units (layer 1)"). */
export function axisLabel(axis: Pick<SweepAxis, 'setting' | 'layer'>): string {
  const { label } = SWEEP_SETTING_INFO[axis.setting];
  return axis.setting === 'units' ? `Hidden units (layer ${(axis.layer ?? 0) + 1})` : label;
}

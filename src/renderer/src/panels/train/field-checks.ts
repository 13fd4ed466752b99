import { LIMITS, type ModelSpec } from '$shared/model-spec';
import { formatInteger } from './format';

/**
 * The Train panel's typed-in fields, each with what is wrong with it, in the field's own name and with
 * limits a learner can act on (the training images a dataset really has, not the schema's 10⁹). An
 * empty number field arrives as null (Svelte's bind:value), and is named as empty, never "got null".
 */
export type FieldKey = 'trainSubset' | 'epochs' | 'seed' | `units-${number}`;

function wholeNumber(value: unknown, min: number, max: number, what: string, empty: string): string | null {
  if (value === null || value === undefined || value === '') return empty;
  if (typeof value !== 'number' || !Number.isFinite(value)) return `${what}: enter a whole number from ${formatInteger(min)} to ${formatInteger(max)}.`;
  if (!Number.isInteger(value)) return `${what}: enter a whole number (no decimals), from ${formatInteger(min)} to ${formatInteger(max)}.`;
  if (value < min) return `${what}: at least ${formatInteger(min)}.`;
  if (value > max) return `${what}: at most ${formatInteger(max)}.`;
  return null;
}

/** Every field that holds an unusable value, keyed by field; empty when all of them are fine. */
export function fieldErrors(spec: ModelSpec, trainCount: number): Partial<Record<FieldKey, string>> {
  const errors: Partial<Record<FieldKey, string>> = {};
  const set = (key: FieldKey, message: string | null): void => {
    if (message) errors[key] = message;
  };
  // Empty means "all of them" here, so only a typed value can be wrong.
  if (spec.trainSubset !== null && spec.trainSubset !== undefined) {
    const what = `Training images (this dataset has ${formatInteger(trainCount)}; leave empty for all)`;
    set('trainSubset', wholeNumber(spec.trainSubset, 1, trainCount, what, what));
  }
  set('epochs', wholeNumber(spec.epochs, LIMITS.epochs.min, LIMITS.epochs.max, 'Epochs', 'Epochs: enter how many times to go through the training images (usually 5–20).'));
  set('seed', wholeNumber(spec.seed, 0, 2 ** 32 - 1, 'Random seed', 'Random seed: enter any whole number, such as 1.'));
  spec.hiddenLayers.slice(0, LIMITS.hiddenLayers.max).forEach((layer, i) => {
    set(
      `units-${i}`,
      wholeNumber(layer.units, LIMITS.units.min, LIMITS.units.max, `Hidden layer ${i + 1} units`, `Hidden layer ${i + 1} units: enter a number of units, such as 64.`),
    );
  });
  return errors;
}

/** A value fit to show, or null: a summary or a button never shows −3,965 parameters or "+-1". */
export function shownCount(value: number): number | null {
  return Number.isInteger(value) && value >= 0 ? value : null;
}

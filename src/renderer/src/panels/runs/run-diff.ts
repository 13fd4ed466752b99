import type { RunRecord } from '$shared/runs/run-record';

export interface SettingRow {
  /** Stable id for the DOM (data-setting). */
  key: string;
  label: string;
  /** One value per run, in the order of the runs given. */
  values: string[];
  differs: boolean;
}

const percent = (value: number): string => `${Number((value * 100).toFixed(2))} %`;

/** Every setting of a run that can tell two runs apart, as text. */
function settingsOf(run: RunRecord): [key: string, label: string, value: string][] {
  const { spec } = run;
  const layers = spec.hiddenLayers.map((l) => `${l.units} ${l.activation}`).join(', ') || 'none';
  const dropout = spec.hiddenLayers.map((l) => String(l.dropout)).join(', ') || '—';
  const augment = spec.augment ? `shift ${spec.augment.maxShift}, rotate ${spec.augment.maxRotation}°, scale ${spec.augment.maxScale}` : 'off';
  return [
    ['dataset', 'Dataset', run.datasetId],
    ['layers', 'Hidden layers', layers],
    ['dropout', 'Dropout', dropout],
    ['optimizer', 'Optimizer', spec.optimizer],
    ['learningRate', 'Learning rate', String(spec.learningRate)],
    ['lrSchedule', 'Schedule', spec.lrSchedule],
    ['momentum', 'Momentum', spec.momentum > 0 ? `${spec.momentum}${spec.nesterov ? ' (Nesterov)' : ''}` : '0'],
    ['l2', 'L2 penalty', String(spec.l2)],
    ['batchSize', 'Batch size', String(spec.batchSize)],
    ['epochs', 'Epochs', String(run.epochsPlanned)],
    ['validation', 'Validation', spec.validation === 'test' ? 'test set' : percent(spec.validation)],
    ['normalization', 'Normalization', spec.normalization],
    ['trainSubset', 'Training subset', spec.trainSubset === null ? 'all' : String(spec.trainSubset)],
    ['augment', 'Augmentation', augment],
    ['seed', 'Seed', String(spec.seed)],
    ['backend', 'Backend', run.backend ?? '—'],
    ['kind', 'Started by', run.kind === 'train' ? 'Train' : 'Continue'],
  ];
}

/** The settings table of the ticked runs: every setting, or with `differencesOnly` those whose values differ. */
export function settingsTable(runs: readonly RunRecord[], differencesOnly: boolean): SettingRow[] {
  if (runs.length === 0) return [];
  const columns = runs.map(settingsOf);
  const rows = columns[0]!.map(([key, label], i) => {
    const values = columns.map((settings) => settings[i]![2]);
    return { key, label, values, differs: values.some((v) => v !== values[0]) };
  });
  return differencesOnly ? rows.filter((row) => row.differs) : rows;
}

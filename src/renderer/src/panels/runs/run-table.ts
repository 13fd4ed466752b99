import type { RunRecord } from '$shared/runs/run-record';
import { describeValues } from '$shared/experiments/sweep';

/** One line of the runs table: what it shows and sorts by, from a run's record. */
export interface RunRow {
  id: string;
  record: RunRecord;
  /** ISO start time: sorts as text. */
  date: string;
  dataset: string;
  /** "784-64-10" style: input, hidden layers, classes are implied; hidden units joined. */
  architecture: string;
  optimizer: string;
  learningRate: number;
  batchSize: number;
  epochs: number;
  /** Null until the run finished with a test score. */
  testAccuracy: number | null;
  seconds: number;
  backend: string;
  /** How the backend was chosen, and why the training kernel was not used when it was wanted (the cell's tooltip). */
  backendWhy: string;
  outcome: RunRecord['outcome'];
  /** Other runs whose settings differ from this one's only in the seed. */
  seedTwins: string[];
  note: string;
  /** "sweep 3/8: Hidden units (layer 1) = 32", or '' for a run of its own. */
  sweep: string;
}

export const SORT_KEYS = ['date', 'dataset', 'architecture', 'optimizer', 'learningRate', 'batchSize', 'epochs', 'testAccuracy', 'seconds', 'backend'] as const;
export type RunSortKey = (typeof SORT_KEYS)[number];

export function architectureOf(record: Pick<RunRecord, 'spec'>): string {
  const layers = record.spec.hiddenLayers.map((l) => `${l.units} ${l.activation}${l.dropout > 0 ? ` (drop ${l.dropout})` : ''}`);
  return layers.length > 0 ? layers.join(' → ') : 'no hidden layer';
}

/** "64 relu · adam 0.001 · 5 epochs": a spec in a few words. */
export function describeSpecShort(spec: RunRecord['spec']): string {
  const layers = spec.hiddenLayers.map((l) => l.units).join('-') || 'no hidden layer';
  const subset = spec.trainSubset === null ? '' : ` · ${spec.trainSubset} images`;
  return `${layers} · ${spec.optimizer} ${spec.learningRate} · ${spec.epochs} epoch${spec.epochs === 1 ? '' : 's'}${subset}`;
}

/** What the settings are apart from the seed: two runs with equal keys differ only in seed. */
function withoutSeed(record: RunRecord): string {
  const { seed: _seed, ...rest } = record.spec;
  return JSON.stringify([record.datasetId, rest]);
}

export function rowsOf(runs: readonly RunRecord[]): RunRow[] {
  const bySettings = new Map<string, RunRecord[]>();
  for (const run of runs) {
    const key = withoutSeed(run);
    bySettings.set(key, [...(bySettings.get(key) ?? []), run]);
  }
  return runs.map((record) => ({
    id: record.id,
    record,
    date: record.startedAt,
    dataset: record.datasetId,
    architecture: architectureOf(record),
    optimizer: record.spec.optimizer,
    learningRate: record.spec.learningRate,
    batchSize: record.spec.batchSize,
    epochs: record.epochsPlanned,
    testAccuracy: record.final?.testAccuracy ?? null,
    seconds: record.durationSeconds,
    backend: record.backend ?? '—',
    backendWhy: [record.backendChoice, record.stepper?.fallback && `the training kernel was not used: ${record.stepper.fallback}`].filter(Boolean).join('. '),
    outcome: record.outcome,
    seedTwins: bySettings
      .get(withoutSeed(record))!
      .filter((other) => other.id !== record.id && other.spec.seed !== record.spec.seed)
      .map((other) => other.id),
    note: record.note ?? '',
    sweep: record.sweep ? `sweep ${record.sweep.index + 1}/${record.sweep.count}: ${describeValues(record.sweep.axes, record.sweep.axes.map((a) => a.value))}` : '',
  }));
}

/** Rows whose text (dataset, architecture, optimizer, backend, outcome, note, sweep) contains every word of `query`. */
export function filterRows(rows: readonly RunRow[], query: string): RunRow[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...rows];
  return rows.filter((row) => {
    const early = row.record.earlyStop ? 'stopped early' : '';
    const text = [row.dataset, row.architecture, row.optimizer, row.backend, row.outcome, row.record.kind, row.date.slice(0, 10), row.note, row.sweep, early]
      .join(' ')
      .toLowerCase();
    return words.every((word) => text.includes(word));
  });
}

/** Rows in the chosen order; runs without a value (no test score yet) go last either way; ties newest first. */
export function sortRows(rows: readonly RunRow[], key: RunSortKey, descending: boolean): RunRow[] {
  return [...rows].sort((a, b) => {
    const x = a[key];
    const y = b[key];
    if (x === null || y === null) return x === y ? b.date.localeCompare(a.date) : x === null ? 1 : -1;
    const order = typeof x === 'string' ? x.localeCompare(y as string) : x - (y as number);
    return (descending ? -order : order) || b.date.localeCompare(a.date);
  });
}

import type { MeasuredRate } from '$shared/backend-choice';
import type { ModelSpec } from '$shared/model-spec';
import type { RunRecord } from '$shared/runs/run-record';
import { speedKind, type MeasuredSpeed } from '$shared/training-speed';
import type { DatasetDescriptor } from '$shared/datasets/descriptor';
import { choiceShapeKey } from '$engine/ml/backend-choice';
import { FileChoiceCache } from '$engine/ml/choice-cache';

/** Answers training:measured-speed from the run history and the backend choice's cache file. */
export class MeasuredSpeeds {
  readonly #cache: Pick<FileChoiceCache, 'newest'>;

  constructor(
    private readonly options: {
      /** The folder the training worker keeps its choice cache in (userData). */
      choiceCacheDir: string;
      runs: { list(): Promise<{ runs: RunRecord[] }> };
      describeDataset(id: string): Promise<Pick<DatasetDescriptor, 'imageSize' | 'classNames'>>;
      /** The backend the user pinned for the next runs, if any. */
      pinned(): string | null;
    },
  ) {
    this.#cache = new FileChoiceCache(options.choiceCacheDir);
  }

  async speedFor(spec: ModelSpec, datasetId: string): Promise<MeasuredSpeed | null> {
    const dataset = await this.options.describeDataset(datasetId);
    const shape = { inputSize: dataset.imageSize.rows * dataset.imageSize.cols, numClasses: dataset.classNames.length };
    // Both are only caches of measurements: one that cannot be read is no measurement, not an error.
    const [benchmark, listing] = await Promise.all([
      this.#cache.newest(choiceShapeKey(spec, shape)).catch(() => null),
      this.options.runs.list().catch(() => ({ runs: [] })),
    ]);
    return pickMeasuredSpeed({ spec, datasetId, pinned: this.options.pinned(), runs: listing.runs, benchmark });
  }
}

/**
 * Algorithm: this machine's speed for a model, before it trains (#24). An earlier run's complete epochs
 * are real training, with the data pipeline, so they beat the backend choice's short timing on made-up
 * data; the timing is still a measurement of this machine and this model shape, and beats a guess.
 * Phase 1, the backend: the pinned one, else the one the choice would take (the fastest it timed).
 * Phase 2, runs: the newest run of this dataset, model shape, optimizer and batch size on that backend
 * (on any backend when neither pin nor timing names one) with a complete epoch: the median of its
 * complete epochs (a stopped, cut-short epoch is no measurement; a median shrugs off one slowed epoch).
 * Phase 3, else the timing's rate for that backend.
 */
export function pickMeasuredSpeed(input: {
  spec: ModelSpec;
  datasetId: string;
  pinned: string | null;
  runs: readonly RunRecord[];
  benchmark: { at: number; rates: readonly MeasuredRate[] } | null;
}): MeasuredSpeed | null {
  const { spec, datasetId, pinned, runs, benchmark } = input;
  const timed = benchmark?.rates.filter((r) => r.samplesPerSecond > 0 && Number.isFinite(r.samplesPerSecond)) ?? [];
  const choice = pinned ?? (timed.length > 0 ? timed.reduce((a, b) => (b.samplesPerSecond > a.samplesPerSecond ? b : a)).name : null);
  const kind = speedKind(spec);
  const candidates = runs
    .filter((run) => run.datasetId === datasetId && run.backend !== null && (choice === null || run.backend === choice))
    .filter((run) => speedKind(run.spec) === kind)
    .map((run) => ({ run, rate: medianRate(run) }))
    .filter((c): c is { run: RunRecord; rate: number } => c.rate !== null)
    .sort((a, b) => Date.parse(b.run.startedAt) - Date.parse(a.run.startedAt));
  const newest = candidates[0];
  if (newest) return { samplesPerSecond: newest.rate, backend: newest.run.backend!, source: 'run', measuredAt: newest.run.startedAt };
  const rate = timed.find((r) => r.name === choice);
  if (!rate || !benchmark) return null;
  return { samplesPerSecond: rate.samplesPerSecond, backend: rate.name, source: 'benchmark', measuredAt: new Date(benchmark.at).toISOString() };
}

/** The median training speed of a run's complete epochs; null without one. */
function medianRate(run: RunRecord): number | null {
  const rates = run.history
    .filter((log) => log.complete && log.samples > 0 && log.samplesPerSecond > 0 && Number.isFinite(log.samplesPerSecond))
    .map((log) => log.samplesPerSecond)
    .sort((a, b) => a - b);
  if (rates.length === 0) return null;
  const mid = Math.floor(rates.length / 2);
  return rates.length % 2 ? rates[mid] : (rates[mid - 1] + rates[mid]) / 2;
}

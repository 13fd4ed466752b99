import { csvRow } from '../../lib/download';
import { axisLabel, formatSweepValue, SWEEP_SETTING_INFO, type SweepValue } from '$shared/experiments/sweep-values';
import type { SweepRecord } from '$shared/experiments/sweep';
import { summarizeSpec } from '$shared/model-summary';
import type { RunRecord } from '$shared/runs/run-record';
import type { EpochLog } from '$shared/training';

/** One run of a sweep as its chart and table show it. */
export interface SweepPoint {
  runId: string;
  index: number;
  /** The first axis' value (the chart's x). */
  value: SweepValue;
  /** The second axis' value (one line per value), or null for a one-setting sweep. */
  series: SweepValue | null;
  testAccuracy: number | null;
  /** Of the epoch whose weights the run kept (the best one when early stopping restored it). */
  valAccuracy: number | null;
  trainAccuracy: number | null;
  seconds: number;
  params: number;
  outcome: RunRecord['outcome'];
  record: RunRecord;
}

/** A sweep as the Runs tab lists it: its record if it was kept, else what its runs' tags say. */
export interface SweepSummary {
  id: string;
  axes: { setting: SweepRecord['axes'][number]['setting']; layer?: number }[];
  startedAt: string;
  state: SweepRecord['state'] | 'unknown';
  note: string;
  runs: number;
  planned: number;
}

/** The epoch whose weights a run kept: the best one if early stopping restored it, else the last complete one. */
export function keptEpoch(run: RunRecord): EpochLog | undefined {
  const stop = run.earlyStop;
  if (stop?.restored) return run.history.find((log) => log.epoch === stop.bestEpoch);
  return run.history.filter((log) => log.complete).at(-1);
}

export function sweepPoints(runs: readonly RunRecord[], sweepId: string): SweepPoint[] {
  return runs
    .filter((run) => run.sweep?.id === sweepId)
    .map((run) => {
      const tag = run.sweep!;
      const kept = keptEpoch(run);
      return {
        runId: run.id,
        index: tag.index,
        value: tag.axes[0]!.value,
        series: tag.axes[1]?.value ?? null,
        testAccuracy: run.final?.testAccuracy ?? null,
        valAccuracy: kept?.valAccuracy ?? null,
        trainAccuracy: kept?.accuracy ?? null,
        seconds: run.durationSeconds,
        params: summarizeSpec(run.spec).totalParams,
        outcome: run.outcome,
        record: run,
      };
    })
    .sort((a, b) => a.index - b.index || a.record.startedAt.localeCompare(b.record.startedAt));
}

/** The run with the best test accuracy (the first of equals), or null when none finished. */
export function bestPoint(points: readonly SweepPoint[]): SweepPoint | null {
  return points.reduce<SweepPoint | null>((best, p) => (p.testAccuracy !== null && (best === null || p.testAccuracy > best.testAccuracy!) ? p : best), null);
}

/** Every sweep: recorded ones, and any whose record is gone but whose runs carry its tag; newest first. */
export function sweepsOf(runs: readonly RunRecord[], records: readonly SweepRecord[]): SweepSummary[] {
  const byId = new Map<string, SweepSummary>();
  for (const record of records) {
    byId.set(record.id, {
      id: record.id,
      axes: record.axes.map(({ setting, layer }) => ({ setting, ...(layer === undefined ? {} : { layer }) })),
      startedAt: record.startedAt,
      state: record.state,
      note: record.note,
      runs: 0,
      planned: record.axes.reduce((n, axis) => n * axis.values.length, 1),
    });
  }
  for (const run of runs) {
    const tag = run.sweep;
    if (!tag) continue;
    let sweep = byId.get(tag.id);
    if (!sweep) {
      sweep = { id: tag.id, axes: tag.axes.map(({ setting, layer }) => ({ setting, ...(layer === undefined ? {} : { layer }) })), startedAt: run.startedAt, state: 'unknown', note: '', runs: 0, planned: tag.count };
      byId.set(tag.id, sweep);
    }
    sweep.runs++;
    if (run.startedAt < sweep.startedAt) sweep.startedAt = run.startedAt;
  }
  return [...byId.values()].sort((a, b) => b.startedAt.localeCompare(a.startedAt));
}

/** The sweep as CSV, one row per run: its values, scores, time, size, outcome and note. */
export function sweepCsv(points: readonly SweepPoint[], axes: SweepSummary['axes']): string {
  const score = (value: number | null): string => (value === null ? '' : value.toFixed(4));
  const header = [...axes.map((axis) => axisLabel(axis)), 'test_accuracy', 'val_accuracy', 'train_accuracy', 'seconds', 'parameters', 'epochs', 'outcome', 'stopped_early', 'run_id', 'note'];
  const rows = points.map((p) => [
    ...p.record.sweep!.axes.map((a) => formatSweepValue(a.value)),
    score(p.testAccuracy),
    score(p.valAccuracy),
    score(p.trainAccuracy),
    p.seconds.toFixed(1),
    p.params,
    p.record.history.filter((l) => l.complete).length,
    p.outcome,
    p.record.earlyStop ? `epoch ${p.record.earlyStop.stoppedEpoch + 1}` : '',
    p.runId,
    // A cell starting with = + - @ would be a formula in a spreadsheet: a note is the learner's text.
    (p.record.note ?? '').replace(/^([=+\-@])/, "'$1"),
  ]);
  return [csvRow(header), ...rows.map(csvRow)].join('\r\n') + '\r\n';
}

/** Whether the chart's x axis steps by a factor (learning rate, L2) or is a list of names (optimizer). */
export function xScaleOf(axes: SweepSummary['axes']): 'log' | 'linear' | 'category' {
  const info = SWEEP_SETTING_INFO[axes[0]!.setting];
  return info.kind === 'choice' ? 'category' : info.log ? 'log' : 'linear';
}

import { z } from 'zod';
import { modelSpecSchema } from '../model-metadata';
import { validateSpec, type ModelSpec } from '../model-spec';
import { applySweepValue, axisLabel, formatSweepValue, SWEEP_LIMITS, SWEEP_SETTINGS, valueProblem, type SweepAxis, type SweepValue } from './sweep-values';

/**
 * A sweep: one setting (or two, for a grid) varied over given values, everything else from the base
 * settings, each combination trained as a normal run tagged with the sweep. This file holds what the
 * window asks for, the plan main runs, the record kept in <userData>/sweeps/, and the progress it
 * reports. Pure.
 */

export const SWEEP_FORMAT = 'mlp-lab-sweep';
export const SWEEP_ID_PATTERN = /^[a-z0-9-]{1,64}$/;
export const MAX_SWEEP_NOTE = 4000;

export interface SweepRequest {
  base: ModelSpec;
  datasetId: string;
  /** One axis, or two for a grid (the second gives one line per value on the chart). */
  axes: SweepAxis[];
}

const valueSchema = z.union([z.number(), z.string().max(40)]);
export const sweepAxisSchema = z.object({
  setting: z.enum(SWEEP_SETTINGS),
  layer: z.number().int().nonnegative().max(16).optional(),
  values: z.array(valueSchema).min(1).max(SWEEP_LIMITS.values),
});

/** One planned run: its spec and the value of each axis. */
export interface SweepPoint {
  spec: ModelSpec;
  values: SweepValue[];
}

/**
 * Every combination of the axes' values (the first axis varying fastest), each as a checked spec.
 * Throws naming the value and the problem, before anything is trained.
 */
export function planSweep(request: SweepRequest): SweepPoint[] {
  const { axes, base } = request;
  if (axes.length < 1 || axes.length > 2) throw new Error('a sweep varies one setting, or two for a grid');
  if (axes.length === 2 && axes[0]!.setting === axes[1]!.setting && axes[0]!.layer === axes[1]!.layer) throw new Error('a grid varies two different settings');
  for (const axis of axes) {
    if (axis.values.length === 0) throw new Error(`${axisLabel(axis)}: give at least one value`);
    const problem = axis.values.map((v) => valueProblem(axis.setting, v)).find((p) => p !== null);
    if (problem) throw new Error(problem);
  }
  const total = axes.reduce((n, axis) => n * axis.values.length, 1);
  if (total > SWEEP_LIMITS.runs) throw new Error(`a sweep runs at most ${SWEEP_LIMITS.runs} trainings (this one would run ${total})`);
  const [first, second] = axes as [SweepAxis, SweepAxis | undefined];
  const points: SweepPoint[] = [];
  for (const outer of second?.values ?? [undefined]) {
    for (const value of first.values) {
      let spec = applySweepValue(base, first, value);
      if (second) spec = applySweepValue(spec, second, outer!);
      const values = second ? [value, outer!] : [value];
      const problems = validateSpec(spec);
      if (problems.length > 0) throw new Error(`the run with ${describeValues(axes, values)} is not usable: ${problems.join('; ')}`);
      points.push({ spec, values });
    }
  }
  return points;
}

/** "Hidden units (layer 1) = 32, Optimizer = adam". */
export function describeValues(axes: readonly Pick<SweepAxis, 'setting' | 'layer'>[], values: readonly SweepValue[]): string {
  return axes.map((axis, i) => `${axisLabel(axis)} = ${formatSweepValue(values[i]!)}`).join(', ');
}

export type SweepState = 'running' | 'finished' | 'cancelled' | 'failed';

/** A sweep as kept on disk: what it varied over which base, how it ended, and its note. */
export interface SweepRecord {
  format: typeof SWEEP_FORMAT;
  version: 1;
  id: string;
  datasetId: string;
  base: ModelSpec;
  axes: SweepAxis[];
  /** ISO 8601. */
  startedAt: string;
  finishedAt: string | null;
  state: SweepState;
  /** Why it ended early (cancelled, or a run that could not start). */
  message: string | null;
  note: string;
}

export const sweepRecordSchema = z.object({
  format: z.literal(SWEEP_FORMAT),
  version: z.literal(1),
  id: z.string().regex(SWEEP_ID_PATTERN),
  datasetId: z.string().min(1).max(80),
  base: modelSpecSchema,
  axes: z.array(sweepAxisSchema).min(1).max(2),
  startedAt: z.string().max(40),
  finishedAt: z.string().max(40).nullable(),
  state: z.enum(['running', 'finished', 'cancelled', 'failed']),
  message: z.string().max(2000).nullable(),
  note: z.string().max(MAX_SWEEP_NOTE),
}) satisfies z.ZodType<SweepRecord>;

/** Where a sweep stands; sent as `sweep:progress` whenever it changes. */
export interface SweepProgress {
  id: string;
  state: SweepState;
  /** 0-based index of the run training now (or last trained). */
  current: number;
  total: number;
  /** Runs that have ended (any outcome). */
  done: number;
  /** Seconds left at the measured speed; null until something has been measured. */
  etaSeconds: number | null;
  /** The values of the run training now, in words. */
  currentValues: string;
  message: string | null;
}

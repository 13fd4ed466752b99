import { z } from 'zod';
import { epochLogSchema, modelSpecSchema } from '../model-metadata';
import type { ModelSpec } from '../model-spec';
import type { EpochLog, StepperReport } from '../training';
import { EARLY_STOPPING_MONITORS, type EarlyStopReport } from '../experiments/early-stopping';
import { SWEEP_LIMITS, SWEEP_SETTINGS, type SweepSetting, type SweepValue } from '../experiments/sweep-values';

/**
 * One training call (a Train or a Continue) as the run history keeps it: one JSON file per run in
 * <userData>/runs/. Files are read back through `runRecordSchema`, so a hand-edited or foreign file is
 * refused field by field rather than trusted.
 */

export const RUN_FORMAT = 'mlp-lab-run';
/** A run's id, which is also its file name: no dots or separators, so never a path. */
export const RUN_ID_PATTERN = /^[a-z0-9-]{1,64}$/;
/** Enough for any run: a call trains at most 1000 epochs. */
export const MAX_RUN_EPOCHS = 1000;

export type RunKind = 'train' | 'continue';
/**
 * `running` is only ever seen for the run in progress, or for one the app was closed during.
 * `diverged`: the loss or a weight became NaN or infinite (a sweep goes on past such a run).
 */
export const RUN_OUTCOMES = ['running', 'completed', 'stopped', 'failed', 'diverged'] as const;
export type RunOutcome = (typeof RUN_OUTCOMES)[number];

/** A note's length: a paragraph or two of observations, as the notebooks ask for. */
export const MAX_NOTE_LENGTH = 4000;

/** Which sweep a run belongs to, and the values of the settings it varied. */
export interface RunSweepTag {
  /** The sweep's id (a RUN_ID_PATTERN name). */
  id: string;
  /** 0-based place of this run in the sweep, out of `count`. */
  index: number;
  count: number;
  axes: { setting: SweepSetting; layer?: number; value: SweepValue }[];
}

export interface RunRecord {
  format: typeof RUN_FORMAT;
  version: 1;
  id: string;
  kind: RunKind;
  /** The training session (Train, then any Continues of the same model) this run belongs to. */
  sessionId: string;
  /** For a Continue: the run whose model it trained further. */
  continuedFrom: string | null;
  spec: ModelSpec;
  datasetId: string;
  /** The backend the worker trained on; null if it never started. */
  backend: string | null;
  /** How that backend was chosen, e.g. "tfjs-node: 2.4× faster than wasm for this model" (absent in older runs). */
  backendChoice?: string | null;
  appVersion: string;
  /** ISO 8601. */
  startedAt: string;
  finishedAt: string | null;
  /** Wall time from the press of Train (or Continue) to the end of the run. */
  durationSeconds: number;
  /** The epochs this call set out to train (a Continue's own count, not the spec's). */
  epochsPlanned: number;
  outcome: RunOutcome;
  /** Why a failed run failed. */
  error: string | null;
  /** This call's epochs; their numbers count on from the session's earlier runs. */
  history: EpochLog[];
  /** Test-set scores of the model at the end of the run; null until it finished. */
  final: { testAccuracy: number; testLoss: number; epochsDone: number } | null;
  /** The model library folder the trained model was saved to, if it was. */
  savedModel: { id: string; name: string } | null;
  /** Set when early stopping ended the run (absent in files written before it existed). */
  earlyStop?: EarlyStopReport | null;
  /** Set for a run of a sweep. */
  sweep?: RunSweepTag | null;
  /** What stepped the batches, and why the kernel was not used when it was wanted (absent in older runs). */
  stepper?: StepperReport | null;
  /** The learner's free-text note. */
  note?: string;
}

const text = (max: number) => z.string().max(max);

export const runRecordSchema = z.object({
  format: z.literal(RUN_FORMAT),
  version: z.literal(1),
  id: z.string().regex(RUN_ID_PATTERN),
  kind: z.enum(['train', 'continue']),
  sessionId: text(80),
  continuedFrom: z.string().regex(RUN_ID_PATTERN).nullable(),
  spec: modelSpecSchema,
  datasetId: text(80).min(1),
  backend: text(40).nullable(),
  backendChoice: text(300).nullable().optional(),
  appVersion: text(40),
  startedAt: text(40),
  finishedAt: text(40).nullable(),
  durationSeconds: z.number().nonnegative(),
  epochsPlanned: z.number().int().nonnegative().max(MAX_RUN_EPOCHS),
  outcome: z.enum(RUN_OUTCOMES),
  error: text(2000).nullable(),
  history: z.array(epochLogSchema).max(MAX_RUN_EPOCHS),
  final: z.object({ testAccuracy: z.number(), testLoss: z.number(), epochsDone: z.number().int().nonnegative() }).nullable(),
  savedModel: z.object({ id: text(200), name: text(200) }).nullable(),
  stepper: z.object({ name: z.enum(['tfjs', 'kernel']), detail: text(200).nullable(), fallback: text(400).nullable() }).nullable().optional(),
  // The three below are optional: run files written before they existed must still read.
  earlyStop: z
    .object({
      stoppedEpoch: z.number().int().nonnegative(),
      bestEpoch: z.number().int().nonnegative(),
      monitor: z.enum(EARLY_STOPPING_MONITORS),
      best: z.number(),
      restored: z.boolean(),
      reason: text(400),
    })
    .nullable()
    .optional(),
  sweep: z
    .object({
      id: z.string().regex(RUN_ID_PATTERN),
      index: z.number().int().nonnegative().max(SWEEP_LIMITS.runs),
      count: z.number().int().positive().max(SWEEP_LIMITS.runs),
      axes: z
        .array(z.object({ setting: z.enum(SWEEP_SETTINGS), layer: z.number().int().nonnegative().max(16).optional(), value: z.union([z.number(), text(40)]) }))
        .min(1)
        .max(2),
    })
    .nullable()
    .optional(),
  note: text(MAX_NOTE_LENGTH).optional(),
}) satisfies z.ZodType<RunRecord>;

/** A file of the runs folder that is not a readable run, and why: the Runs view lists these. */
export interface SkippedRunFile {
  file: string;
  reason: string;
}

export interface RunListing {
  /** Newest first. */
  runs: RunRecord[];
  skipped: SkippedRunFile[];
  /** The last write that failed (a full disk, a read-only folder), so the view can say runs are not being kept. */
  writeError: string | null;
}

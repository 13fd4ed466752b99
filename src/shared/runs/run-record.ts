import { z } from 'zod';
import { epochLogSchema, modelSpecSchema } from '../model-metadata';
import type { ModelSpec } from '../model-spec';
import type { EpochLog } from '../training';

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
/** `running` is only ever seen for the run in progress, or for one the app was closed during. */
export type RunOutcome = 'running' | 'completed' | 'stopped' | 'failed';

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
  outcome: z.enum(['running', 'completed', 'stopped', 'failed']),
  error: text(2000).nullable(),
  history: z.array(epochLogSchema).max(MAX_RUN_EPOCHS),
  final: z.object({ testAccuracy: z.number(), testLoss: z.number(), epochsDone: z.number().int().nonnegative() }).nullable(),
  savedModel: z.object({ id: text(200), name: text(200) }).nullable(),
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

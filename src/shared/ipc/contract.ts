import { z } from 'zod';
import { DATASET_IDS, type DatasetId } from '../datasets/catalog';
import { modelSpecSchema, type ModelMetadata } from '../model-metadata';
import type { ModelSpec } from '../model-spec';
import type { BatchLog, EpochLog } from '../training';
import type { subscriptions, verbs } from './channels';

/**
 * The one contract between renderer and main. Request channels carry a zod schema for their arguments
 * (main validates every call against it) and a phantom result type; event channels carry their payload
 * type. Channel names are `domain:verb`. Everything else (preload API, handler table, renderer types) is
 * derived from this file.
 */

/** A phantom marker: carries a type, holds nothing at run time. */
const type = <T>(): T => undefined as T;

export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

export interface AppInfo {
  version: string;
  /** The backend training uses (or will use): tfjs-node when installed, else wasm, else cpu. */
  trainingBackend: BackendName;
  /** Set when the native backend is not available, saying why and how to get it. */
  backendHint: string | null;
  /** Where the window runs inference: TensorFlow.js in the renderer. */
  inferenceBackend: string;
}

/** A model as it travels to the renderer: the standard TensorFlow.js files plus MLP Lab's metadata. */
export interface ModelPayload {
  id: string;
  metadata: ModelMetadata;
  /** model.json (topology + weights manifest). */
  modelJson: { modelTopology: unknown; weightsManifest: { paths: string[]; weights: WeightSpec[] }[] };
  /** weights.bin: float32 values in manifest order. */
  weights: ArrayBuffer;
}

export interface WeightSpec {
  name: string;
  shape: number[];
  /** MLP Lab models hold float32 weights only; readModelFiles checks the byte count against that. */
  dtype: string;
}

export interface DatasetSummary {
  id: DatasetId;
  displayName: string;
  classNames: readonly string[];
  bundled: boolean;
  /** Its files are on this machine (bundled, or downloaded). */
  available: boolean;
}

export interface SampleImages {
  datasetId: DatasetId;
  split: 'train' | 'test';
  rows: number;
  cols: number;
  indices: number[];
  /** indices.length × rows × cols grey levels, 0..255. */
  images: Uint8Array;
  labels: Uint8Array;
}

export type TrainingPhase = 'idle' | 'starting' | 'training' | 'stopping';

/** Where training stands; sent whenever it changes, and on request. */
export interface TrainingStatus {
  phase: TrainingPhase;
  /** The backend the training worker really runs on, once it has started. */
  backend: BackendName | null;
  /** The model being trained or last trained (kept for Continue), if any. */
  run: {
    id: string;
    spec: ModelSpec;
    datasetId: DatasetId;
    epochsDone: number;
    history: EpochLog[];
  } | null;
}

export interface TrainingProgress {
  runId: string;
  /** The last batch, with loss and accuracy averaged over the batches since the previous report. */
  batch: BatchLog;
  /** Epoch index this call started at, and the one it will stop before. */
  firstEpoch: number;
  lastEpoch: number;
  /** Seconds left at the current rate, validation excluded. */
  etaSeconds: number;
}

export interface TrainingFinished {
  runId: string;
  /** True when Stop ended it early. */
  stopped: boolean;
  testAccuracy: number;
  testLoss: number;
  epochsDone: number;
  /** The trained model is now the active one for drawing, under this name. */
  modelName: string;
}

export type TrainingErrorKind = 'diverged' | 'out-of-memory' | 'worker-crashed' | 'dataset' | 'failed';

export interface TrainingError {
  runId: string | null;
  kind: TrainingErrorKind;
  message: string;
  /** What the user can do about it. */
  advice: string;
}

export interface SavedModel {
  name: string;
  dir: string;
}

const datasetId = z.enum(DATASET_IDS as [DatasetId, ...DatasetId[]]);

export const requests = {
  'app:get-info': { args: z.tuple([]), result: type<AppInfo>() },
  'model:get-active': { args: z.tuple([]), result: type<ModelPayload>() },
  'dataset:list': { args: z.tuple([]), result: type<DatasetSummary[]>() },
  'dataset:get-samples': {
    args: z.tuple([
      z.object({
        datasetId,
        split: z.enum(['train', 'test']),
        indices: z.array(z.number().int().nonnegative()).min(1).max(1000),
      }),
    ]),
    result: type<SampleImages>(),
  },
  'training:get-status': { args: z.tuple([]), result: type<TrainingStatus>() },
  /** Starts a fresh model from the spec (Train, or Reset then Train). */
  'training:start': {
    args: z.tuple([z.object({ spec: modelSpecSchema, datasetId })]),
    result: type<{ runId: string }>(),
  },
  /** Trains the current model for more epochs with its optimizer state (Continue). */
  'training:continue': {
    args: z.tuple([z.object({ epochs: z.number().int().min(1).max(1000) })]),
    result: type<{ runId: string }>(),
  },
  /** Stops after the current batch; the model keeps its weights. */
  'training:stop': { args: z.tuple([]), result: type<void>() },
  /** Forgets the current model so the next Train starts from fresh weights. */
  'training:reset': { args: z.tuple([]), result: type<void>() },
  /** Saves the active model into the model library. */
  'model:save': {
    args: z.tuple([z.object({ name: z.string().trim().min(1).max(80) })]),
    result: type<SavedModel>(),
  },
} as const;

export const events = {
  /** The active model changed (trained, loaded); fetch it with model:get-active. */
  'model:changed': type<{ id: string; name: string }>(),
  'training:status': type<TrainingStatus>(),
  /** At most ~10 a second while training. */
  'training:progress': type<TrainingProgress>(),
  'training:epoch': type<{ runId: string; log: EpochLog }>(),
  'training:finished': type<TrainingFinished>(),
  'training:error': type<TrainingError>(),
} as const;

export type RequestChannel = keyof typeof requests;
export type RequestArgs<C extends RequestChannel> = z.infer<(typeof requests)[C]['args']>;
export type RequestResult<C extends RequestChannel> = (typeof requests)[C]['result'];
export type EventChannel = keyof typeof events;
export type EventPayload<E extends EventChannel> = (typeof events)[E];

type Verbs = typeof verbs;
type Subscriptions = typeof subscriptions;

/** window.api, as the preload exposes it and the renderer sees it. */
export type Api = {
  [V in keyof Verbs]: (...args: RequestArgs<Verbs[V]>) => Promise<RequestResult<Verbs[V]>>;
} & {
  /** Returns a function that unsubscribes. */
  [S in keyof Subscriptions]: (listener: (payload: EventPayload<Subscriptions[S]>) => void) => () => void;
};

/** The main side: one handler per request channel. */
export type Handlers = {
  [C in RequestChannel]: (...args: RequestArgs<C>) => Promise<RequestResult<C>>;
};

/** How main pushes events, whatever carries them (webContents.send, or the test harness). */
export type EventSink = <E extends EventChannel>(event: E, payload: EventPayload<E>) => void;

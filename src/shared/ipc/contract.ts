import { z } from 'zod';
import { CATALOG_IDS, DATASET_ID_PATTERN, type CatalogId } from '../datasets/catalog';
import type { AppInfo } from '../app-info';
import type { DatasetSummary, SampleImages, SplitLabels } from '../datasets/dataset-summary';
import type { DownloadProgress } from '../datasets/download';
import type { ImportedDataset, ImportedListing, ImportPreview } from '../datasets/imported';
import type { ModelComparison } from '../comparison';
import { MAX_DROPPED_PATHS, type DropTarget } from '../drop';
import type { EvaluationProgress, ModelEvaluation } from '../evaluation';
import { digitLabel, HANDWRITING_LIMITS, sampleId, saveSampleSchema, type HandwritingSample, type HandwritingSet } from '../handwriting/handwriting';
import { finetuneOptionsSchema, type FinetuneResult } from '../handwriting/finetune';
import { modelSpecSchema } from '../model-metadata';
import { NORMALIZATIONS } from '../model-spec';
import type { ImportedLibraryModel, LibraryModel, ModelImportOutcome, ModelListing, ModelPayload, SavedModel } from '../models';
import type { RobustnessResult } from '../robustness';
import { MAX_NOTE_LENGTH, RUN_ID_PATTERN, type RunListing } from '../runs/run-record';
import { MAX_SWEEP_NOTE, SWEEP_ID_PATTERN, sweepAxisSchema, type SweepProgress, type SweepRecord } from '../experiments/sweep';
import type { EpochLog, TrainingError, TrainingFinished, TrainingProgress, TrainingStatus } from '../training';
import type { TrainingWeights } from '../weights';
import type { subscriptions, verbs } from './channels';

/**
 * The one contract between renderer and main. Request channels carry a zod schema for their arguments
 * (main validates every call against it) and a phantom result type; event channels carry their payload
 * type. Channel names are `domain:verb`. Everything else (preload API, handler table, renderer types) is
 * derived from this file.
 */

/** A phantom marker: carries a type, holds nothing at run time. */
const type = <T>(): T => undefined as T;

const datasetId = z.string().regex(DATASET_ID_PATTERN);
/** Paths of files the user dropped on the window: absolute, and a bounded number of bounded strings. */
const droppedPaths = z.array(z.string().min(2).max(4096).refine((p) => p.startsWith('/') || /^[a-zA-Z]:[\\/]/.test(p), 'must be an absolute path')).min(1).max(MAX_DROPPED_PATHS);
/** Only catalog datasets have mirrors to download from. */
const catalogId = z.enum(CATALOG_IDS as [CatalogId, ...CatalogId[]]);
/** A model library folder's name (or 'default'): no dots or separators, so never a path. */
const libraryId = z.string().regex(/^[a-z0-9_-]{1,80}$/);

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
  /** Downloads a catalog dataset into the user-data folder; resolves when it is done, failed or cancelled. */
  'dataset:download': { args: z.tuple([z.object({ datasetId: catalogId })]), result: type<DownloadProgress>() },
  'dataset:cancel-download': { args: z.tuple([z.object({ datasetId: catalogId })]), result: type<void>() },
  /** Every label of a split with its image size: the Data tab pages, filters and counts from these. */
  'dataset:get-labels': {
    args: z.tuple([z.object({ datasetId, split: z.enum(['train', 'test']) })]),
    result: type<SplitLabels>(),
  },
  /** Asks for CSV or IDX files or a folder of class folders and describes what importing them would bring; null if cancelled. */
  /** Reads the files given (dropped on the window), or else those picked in the open dialog; null if cancelled. */
  'dataset:import-preview': {
    args: z.tuple([z.object({ format: z.enum(['csv', 'idx', 'folder', 'png-batch']), paths: droppedPaths.optional() })]),
    result: type<ImportPreview | null>(),
  },
  /** Which import takes the files dropped on the window, or why none does. */
  'files:classify-drop': { args: z.tuple([z.object({ paths: droppedPaths })]), result: type<DropTarget>() },
  /** Stores the previewed import as IDX under <userData>/datasets/imported/<id>/. */
  'dataset:import-save': {
    args: z.tuple([
      z.object({
        token: z.string().min(1).max(64),
        name: z.string().trim().min(1).max(80),
        classNames: z.array(z.string().trim().min(1).max(40)).min(1).max(256),
        testFraction: z.number().min(0.01).max(0.5),
      }),
    ]),
    result: type<ImportedDataset>(),
  },
  /** The imported datasets, and the folders among them whose dataset.json does not read, with why. */
  'dataset:list-imported': { args: z.tuple([]), result: type<ImportedListing>() },
  /**
   * Deletes an imported dataset, or a folder listed as a problem (its name is the id), after the user
   * confirms; false when they decline.
   */
  'dataset:delete-imported': { args: z.tuple([z.object({ id: datasetId })]), result: type<boolean>() },
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
  /**
   * Trains a library model (or 'default') more epochs on its dataset with its spec and a fresh optimizer,
   * as a new run whose result is a new, unsaved model: the saved one is never overwritten.
   */
  'training:continue-model': {
    args: z.tuple([z.object({ id: libraryId, epochs: z.number().int().min(1).max(1000) })]),
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
  /** The model library: the bundled default and every saved or imported model, plus unreadable folders. */
  'model:list': { args: z.tuple([]), result: type<ModelListing>() },
  /** A library model's (or the default's) files, for inference in the window (Compare). */
  'model:get': { args: z.tuple([z.object({ id: libraryId })]), result: type<ModelPayload>() },
  /** Makes a library model (or 'default') the active one. */
  'model:load': { args: z.tuple([z.object({ id: libraryId })]), result: type<void>() },
  'model:rename': {
    args: z.tuple([z.object({ id: libraryId, name: z.string().trim().min(1).max(80) })]),
    result: type<LibraryModel>(),
  },
  'model:duplicate': { args: z.tuple([z.object({ id: libraryId })]), result: type<LibraryModel>() },
  /** Asks for confirmation, then moves the model to the trash; false when the user declined. */
  'model:delete': { args: z.tuple([z.object({ id: libraryId })]), result: type<boolean>() },
  /** Exports through the save dialog; null when cancelled. */
  'model:export': {
    args: z.tuple([z.object({ id: libraryId, format: z.enum(['folder', 'zip']) })]),
    result: type<{ path: string } | null>(),
  },
  /**
   * Imports the paths given (dropped on the window), or else a model.json, a zip ('file') or a folder
   * picked in the open dialog; null when cancelled. A model without metadata.json is not added yet: its
   * preview asks for class names and normalisation.
   */
  'model:import': {
    args: z.tuple([z.object({ kind: z.enum(['file', 'folder']), paths: droppedPaths.optional() })]),
    result: type<ModelImportOutcome | null>(),
  },
  /** Adds a previewed model without metadata, with one class name per softmax unit and its normalisation. */
  'model:import-confirm': {
    args: z.tuple([
      z.object({
        token: z.string().min(1).max(64),
        classNames: z.array(z.string().trim().min(1).max(40)).min(2).max(256),
        normalization: z.enum(NORMALIZATIONS),
      }),
    ]),
    result: type<ImportedLibraryModel>(),
  },
  /**
   * Evaluates the active model on its dataset's test split in the training worker, with
   * evaluation:progress events; a newer request or evaluation:cancel ends an older one.
   */
  'evaluation:evaluate': { args: z.tuple([]), result: type<ModelEvaluation>() },
  /** The robustness check of the active model, and of a library model beside it when one is named. */
  'evaluation:robustness': {
    args: z.tuple([
      z.object({
        /** A library model's id (the bundled default is 'default'), or null for the active model alone. */
        compareWith: z.string().min(1).max(200).nullable(),
        /** The first this many test images; null for the whole split. */
        images: z.number().int().min(100).max(1_000_000).nullable(),
      }),
    ]),
    result: type<RobustnessResult[]>(),
  },
  /**
   * Two library models (or 'default') side by side: test accuracy, recall per class, and the robustness
   * check on the same images (the first `images` test images; null for the whole test split).
   */
  'evaluation:compare': {
    args: z.tuple([z.object({ a: libraryId, b: libraryId, images: z.number().int().min(100).max(1_000_000).nullable() })]),
    result: type<ModelComparison>(),
  },
  /** Cancels the evaluation or robustness check in progress, if any. */
  'evaluation:cancel': { args: z.tuple([]), result: type<void>() },
  /** Every recorded training run, newest first, and the files of the runs folder that were skipped. */
  'runs:list': { args: z.tuple([]), result: type<RunListing>() },
  /** Asks for confirmation, then deletes a run's record; false when the user declined. */
  'runs:delete': { args: z.tuple([z.object({ id: z.string().regex(RUN_ID_PATTERN) })]), result: type<boolean>() },
  /** Saves the learner's note on a run. */
  'runs:set-note': { args: z.tuple([z.object({ id: z.string().regex(RUN_ID_PATTERN), note: z.string().max(MAX_NOTE_LENGTH) })]), result: type<void>() },
  /** Starts a sweep: every combination of the axes' values over the base settings, one run after another. */
  'sweep:start': {
    args: z.tuple([z.object({ base: modelSpecSchema, datasetId, axes: z.array(sweepAxisSchema).min(1).max(2) })]),
    result: type<{ sweepId: string }>(),
  },
  /** Stops the sweep's run under way and starts no more. */
  'sweep:cancel': { args: z.tuple([]), result: type<void>() },
  'sweep:get-progress': { args: z.tuple([]), result: type<SweepProgress | null>() },
  /** Every recorded sweep, newest first. */
  'sweep:list': { args: z.tuple([]), result: type<SweepRecord[]>() },
  'sweep:set-note': { args: z.tuple([z.object({ id: z.string().regex(SWEEP_ID_PATTERN), note: z.string().max(MAX_SWEEP_NOTE) })]), result: type<void>() },
  /** Puts text on the system clipboard (the window's own clipboard access is denied with every permission). */
  'app:copy-text': { args: z.tuple([z.object({ text: z.string().max(200_000) })]), result: type<void>() },
  /** Your handwriting: every saved drawing (its 28×28 image, label, id) and the count per class. */
  'handwriting:list': { args: z.tuple([]), result: type<HandwritingSet>() },
  /** Saves a drawing's raw strokes and preprocessed image under a label. */
  'handwriting:save': { args: z.tuple([saveSampleSchema]), result: type<HandwritingSample>() },
  'handwriting:relabel': { args: z.tuple([z.object({ id: sampleId, label: digitLabel })]), result: type<HandwritingSample>() },
  /** Deletes samples by id (Undo of a save deletes that one); answers how many went. */
  'handwriting:delete': { args: z.tuple([z.object({ ids: z.array(sampleId).min(1).max(HANDWRITING_LIMITS.samples) })]), result: type<number>() },
  /** Writes the set as one file where the save dialog says; null when cancelled. */
  'handwriting:export': { args: z.tuple([]), result: type<{ path: string; count: number } | null>() },
  /** Adds the samples of an exported set chosen in the open dialog; null when cancelled. */
  'handwriting:import': { args: z.tuple([]), result: type<{ added: number; skipped: number } | null>() },
  /** Rebuilds every 28×28 image from its strokes with the current preprocessing; answers how many changed. */
  'handwriting:rebuild': { args: z.tuple([]), result: type<number>() },
  /** The active model on every sample of your handwriting, for the Gallery (evaluation:progress events). */
  'handwriting:evaluate': { args: z.tuple([]), result: type<ModelEvaluation>() },
  /** Fine-tunes a copy of the active model on your samples with MNIST replay; the copy waits for keep or discard. */
  'handwriting:finetune': { args: z.tuple([finetuneOptionsSchema]), result: type<FinetuneResult>() },
  /** Adds the fine-tuned model to the library as a new model, made active when asked. */
  'handwriting:keep': { args: z.tuple([z.object({ token: z.string().min(1).max(64), activate: z.boolean() })]), result: type<LibraryModel>() },
  'handwriting:discard': { args: z.tuple([z.object({ token: z.string().min(1).max(64) })]), result: type<void>() },
} as const;

export const events = {
  /** The active model changed (trained, loaded); fetch it with model:get-active. */
  'model:changed': type<{ id: string; name: string }>(),
  'training:status': type<TrainingStatus>(),
  /** At most ~10 a second while training. */
  'training:progress': type<TrainingProgress>(),
  'training:epoch': type<{ runId: string; log: EpochLog }>(),
  /** The model's weights mid-run, at most about once a second: every layer of a small model, else the first. */
  'training:weights': type<TrainingWeights>(),
  'training:finished': type<TrainingFinished>(),
  'training:error': type<TrainingError>(),
  /** At most ~10 a second while an evaluation or robustness check runs. */
  'evaluation:progress': type<EvaluationProgress>(),
  /** At most ~10 a second while a dataset downloads, and once at its end. */
  'dataset:download-progress': type<DownloadProgress>(),
  /** Which datasets are on this machine changed (a download finished). */
  'dataset:list-changed': type<DatasetSummary[]>(),
  /** A run was recorded, finished, linked to a saved model or deleted; fetch the list with runs:list. */
  'runs:changed': type<{ id: string }>(),
  /** A sweep started a run, measured its speed (at most twice a second), or ended. */
  'sweep:progress': type<SweepProgress>(),
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
} & LocalApi;

/** What the preload answers itself, with no IPC. */
export interface LocalApi {
  /** The paths of files dropped on the window, in order; '' for one that has none (such as a web image). */
  pathsForFiles(files: readonly File[]): string[];
}

/** The main side: one handler per request channel. */
export type Handlers = {
  [C in RequestChannel]: (...args: RequestArgs<C>) => Promise<RequestResult<C>>;
};

/** How main pushes events, whatever carries them (webContents.send, or the test harness). */
export type EventSink = <E extends EventChannel>(event: E, payload: EventPayload<E>) => void;

import { z } from 'zod';
import type { AppInfo } from '../app-info';
import { TRAINING_BACKENDS } from '../backend';
import type { AppDiagnostics } from '../diagnostics';
import type { DatasetSummary, SampleImages, SplitLabels } from '../datasets/dataset-summary';
import type { DownloadProgress } from '../datasets/download';
import type { ImportedDataset, ImportedListing, ImportPreview } from '../datasets/imported';
import type { ModelComparison } from '../comparison';
import type { DropTarget } from '../drop';
import type { ModelEvaluation } from '../evaluation';
import { digitLabel, HANDWRITING_LIMITS, sampleId, saveSampleSchema, type HandwritingSample, type HandwritingSet } from '../handwriting/handwriting';
import { finetuneOptionsSchema, type FinetuneResult } from '../handwriting/finetune';
import { modelSpecSchema } from '../model-metadata';
import { NORMALIZATIONS } from '../model-spec';
import type { ImportedLibraryModel, LibraryModel, ModelImportOutcome, ModelListing, ModelPayload, SavedModel } from '../models';
import type { RobustnessResult } from '../robustness';
import { MAX_NOTE_LENGTH, type RunListing } from '../runs/run-record';
import { MAX_SWEEP_NOTE, SWEEP_ID_PATTERN, sweepAxisSchema, type SweepProgress, type SweepRecord } from '../experiments/sweep';
import type { TrainingStatus } from '../training';
import { catalogId, className, classNames, clipboardText, datasetId, displayName, droppedPaths, epochs, imageCount, libraryId, runId, split, token } from './schemas';
import { desktopRequests } from './desktop-requests';
import { events } from './events';
import { projectorRequests } from './projector-requests';
import { speedRequests } from './speed-channels';
import { lessonRequests } from './lessons';
import type { LocalApi } from './local-api';
import { type } from './phantom';

export { events, type LocalApi };

/**
 * The one contract between renderer and main, and the one place a channel is declared. A request channel
 * carries the window.api verb that calls it, a zod schema for its arguments (main validates every call
 * against it) and a phantom result type; an event channel (events.ts) carries its window.api subscription
 * and its payload type. Channel names are `domain:verb`. Everything else (the preload's and the e2e
 * bridge's window.api, the handler table, the renderer's types) is derived from these two tables.
 */
export const requests = {
  'app:get-info': { verb: 'getAppInfo', args: z.tuple([]), result: type<AppInfo>() },
  /** What the app holds, for leak checks: the training worker's TensorFlow.js tensor count (null with no worker). */
  'app:diagnostics': { verb: 'getDiagnostics', args: z.tuple([]), result: type<AppDiagnostics>() },
  'model:get-active': { verb: 'getActiveModel', args: z.tuple([]), result: type<ModelPayload>() },
  'dataset:list': { verb: 'listDatasets', args: z.tuple([]), result: type<DatasetSummary[]>() },
  'dataset:get-samples': {
    verb: 'getSamples',
    args: z.tuple([
      z.object({
        datasetId,
        split,
        indices: z.array(z.number().int().nonnegative()).min(1).max(1000),
      }),
    ]),
    result: type<SampleImages>(),
  },
  /** Downloads a catalog dataset into the user-data folder; resolves when it is done, failed or cancelled. */
  'dataset:download': { verb: 'downloadDataset', args: z.tuple([z.object({ datasetId: catalogId })]), result: type<DownloadProgress>() },
  'dataset:cancel-download': { verb: 'cancelDownload', args: z.tuple([z.object({ datasetId: catalogId })]), result: type<void>() },
  /** Every label of a split with its image size: the Data tab pages, filters and counts from these. */
  'dataset:get-labels': {
    verb: 'getDatasetLabels',
    args: z.tuple([z.object({ datasetId, split })]),
    result: type<SplitLabels>(),
  },
  /** Reads the CSV, IDX or class-folder files given (dropped on the window), or else those picked in the open dialog, and describes what importing them would bring; null if cancelled. */
  'dataset:import-preview': {
    verb: 'previewImport',
    args: z.tuple([z.object({ format: z.enum(['csv', 'idx', 'folder', 'png-batch']), paths: droppedPaths.optional() })]),
    result: type<ImportPreview | null>(),
  },
  /** Which import takes the files dropped on the window, or why none does. */
  'files:classify-drop': { verb: 'classifyDrop', args: z.tuple([z.object({ paths: droppedPaths })]), result: type<DropTarget>() },
  /** Stores the previewed import as IDX under <userData>/datasets/imported/<id>/. */
  'dataset:import-save': {
    verb: 'saveImport',
    args: z.tuple([
      z.object({
        token,
        name: displayName,
        classNames: classNames(1),
        testFraction: z.number().min(0.01).max(0.5),
      }),
    ]),
    result: type<ImportedDataset>(),
  },
  /** Stops the import preview's read under way (a folder's images decode one by one); its preview answers null. */
  'dataset:cancel-import': { verb: 'cancelImport', args: z.tuple([]), result: type<void>() },
  /** The imported datasets, and the folders among them whose dataset.json does not read, with why. */
  'dataset:list-imported': { verb: 'listImported', args: z.tuple([]), result: type<ImportedListing>() },
  /**
   * Deletes an imported dataset, or a folder listed as a problem (its name is the id), after the user
   * confirms; false when they decline.
   */
  'dataset:delete-imported': { verb: 'deleteImported', args: z.tuple([z.object({ id: datasetId })]), result: type<boolean>() },
  'training:get-status': { verb: 'getTrainingStatus', args: z.tuple([]), result: type<TrainingStatus>() },
  /** Starts a fresh model from the spec (Train, or Reset then Train). */
  'training:start': {
    verb: 'startTraining',
    args: z.tuple([z.object({ spec: modelSpecSchema, datasetId })]),
    result: type<{ runId: string }>(),
  },
  /** Trains the current model for more epochs with its optimizer state (Continue). */
  'training:continue': {
    verb: 'continueTraining',
    args: z.tuple([z.object({ epochs })]),
    result: type<{ runId: string }>(),
  },
  /**
   * Trains a library model (or 'default') more epochs on its dataset with its spec and a fresh optimizer,
   * as a new run whose result is a new, unsaved model: the saved one is never overwritten.
   */
  'training:continue-model': {
    verb: 'continueModel',
    args: z.tuple([z.object({ id: libraryId, epochs })]),
    result: type<{ runId: string }>(),
  },
  /** Stops after the current batch; the model keeps its weights. */
  'training:stop': { verb: 'stopTraining', args: z.tuple([]), result: type<void>() },
  /** Pins the backend the next runs train on (null: measure and take the faster). */
  'training:pin-backend': { verb: 'pinTrainingBackend', args: z.tuple([z.enum(TRAINING_BACKENDS).nullable()]), result: type<void>() },
  /** Forgets the current model so the next Train starts from fresh weights. */
  'training:reset': { verb: 'resetTraining', args: z.tuple([]), result: type<void>() },
  /** Saves the active model into the model library. */
  'model:save': {
    verb: 'saveModel',
    args: z.tuple([z.object({ name: displayName })]),
    result: type<SavedModel>(),
  },
  /** The model library: the bundled default and every saved or imported model, plus unreadable folders. */
  'model:list': { verb: 'listModels', args: z.tuple([]), result: type<ModelListing>() },
  /** A library model's (or the default's) files, for inference in the window (Compare). */
  'model:get': { verb: 'getModel', args: z.tuple([z.object({ id: libraryId })]), result: type<ModelPayload>() },
  /** Makes a library model (or 'default') the active one. */
  'model:load': { verb: 'loadModel', args: z.tuple([z.object({ id: libraryId })]), result: type<void>() },
  'model:rename': {
    verb: 'renameModel',
    args: z.tuple([z.object({ id: libraryId, name: displayName })]),
    result: type<LibraryModel>(),
  },
  'model:duplicate': { verb: 'duplicateModel', args: z.tuple([z.object({ id: libraryId })]), result: type<LibraryModel>() },
  /** Asks for confirmation, then moves the model to the trash; false when the user declined. */
  'model:delete': { verb: 'deleteModel', args: z.tuple([z.object({ id: libraryId })]), result: type<boolean>() },
  /** Exports through the save dialog; null when cancelled. */
  'model:export': {
    verb: 'exportModel',
    args: z.tuple([z.object({ id: libraryId, format: z.enum(['folder', 'zip']) })]),
    result: type<{ path: string } | null>(),
  },
  /**
   * Imports the paths given (dropped on the window), or else a model.json, a zip ('file') or a folder
   * picked in the open dialog; null when cancelled. A model without metadata.json is not added yet: its
   * preview asks for class names and normalisation.
   */
  'model:import': {
    verb: 'importModel',
    args: z.tuple([z.object({ kind: z.enum(['file', 'folder']), paths: droppedPaths.optional() })]),
    result: type<ModelImportOutcome | null>(),
  },
  /** Adds a previewed model without metadata, with one class name per softmax unit and its normalisation. */
  'model:import-confirm': {
    verb: 'confirmModelImport',
    args: z.tuple([
      z.object({
        token,
        classNames: classNames(2),
        normalization: z.enum(NORMALIZATIONS),
      }),
    ]),
    result: type<ImportedLibraryModel>(),
  },
  /**
   * Evaluates the active model on its dataset's test split in the training worker, with
   * evaluation:progress events; a newer request or evaluation:cancel ends an older one.
   */
  'evaluation:evaluate': { verb: 'evaluateModel', args: z.tuple([]), result: type<ModelEvaluation>() },
  /** The robustness check of the active model, and of a library model beside it when one is named. */
  'evaluation:robustness': {
    verb: 'checkRobustness',
    args: z.tuple([
      z.object({
        /** A library model's id (the bundled default is 'default'), or null for the active model alone. */
        compareWith: libraryId.nullable(),
        /** The first this many test images; null for the whole split. */
        images: imageCount,
      }),
    ]),
    result: type<RobustnessResult[]>(),
  },
  /**
   * Two library models (or 'default') side by side: test accuracy, recall per class, and the robustness
   * check on the same images (the first `images` test images; null for the whole test split).
   */
  'evaluation:compare': {
    verb: 'compareModels',
    args: z.tuple([z.object({ a: libraryId, b: libraryId, images: imageCount })]),
    result: type<ModelComparison>(),
  },
  /** Cancels the evaluation or robustness check in progress, if any. */
  'evaluation:cancel': { verb: 'cancelEvaluation', args: z.tuple([]), result: type<void>() },
  /** Every recorded training run, newest first, and the files of the runs folder that were skipped. */
  'runs:list': { verb: 'listRuns', args: z.tuple([]), result: type<RunListing>() },
  /** Asks for confirmation, then deletes a run's record; false when the user declined. */
  'runs:delete': { verb: 'deleteRun', args: z.tuple([z.object({ id: runId })]), result: type<boolean>() },
  /** Saves the learner's note on a run. */
  'runs:set-note': { verb: 'setRunNote', args: z.tuple([z.object({ id: runId, note: z.string().max(MAX_NOTE_LENGTH) })]), result: type<void>() },
  /** Starts a sweep: every combination of the axes' values over the base settings, one run after another. */
  'sweep:start': {
    verb: 'startSweep',
    args: z.tuple([z.object({ base: modelSpecSchema, datasetId, axes: z.array(sweepAxisSchema).min(1).max(2) })]),
    result: type<{ sweepId: string }>(),
  },
  /** Stops the sweep's run under way and starts no more. */
  'sweep:cancel': { verb: 'cancelSweep', args: z.tuple([]), result: type<void>() },
  'sweep:get-progress': { verb: 'getSweepProgress', args: z.tuple([]), result: type<SweepProgress | null>() },
  /** Every recorded sweep, newest first. */
  'sweep:list': { verb: 'listSweeps', args: z.tuple([]), result: type<SweepRecord[]>() },
  'sweep:set-note': { verb: 'setSweepNote', args: z.tuple([z.object({ id: z.string().regex(SWEEP_ID_PATTERN), note: z.string().max(MAX_SWEEP_NOTE) })]), result: type<void>() },
  /** Puts text on the system clipboard (the window's own clipboard access is denied with every permission). */
  'app:copy-text': { verb: 'copyText', args: z.tuple([z.object({ text: clipboardText })]), result: type<void>() },
  /** Your handwriting: every saved drawing (its 28×28 image, label, id) and the count per class. */
  'handwriting:list': { verb: 'listHandwriting', args: z.tuple([]), result: type<HandwritingSet>() },
  /** Saves a drawing's raw strokes and preprocessed image under a label. */
  'handwriting:save': { verb: 'saveHandwriting', args: z.tuple([saveSampleSchema]), result: type<HandwritingSample>() },
  'handwriting:relabel': { verb: 'relabelHandwriting', args: z.tuple([z.object({ id: sampleId, label: digitLabel })]), result: type<HandwritingSample>() },
  /** Deletes samples by id (Undo of a save deletes that one); answers how many went. */
  'handwriting:delete': { verb: 'deleteHandwriting', args: z.tuple([z.object({ ids: z.array(sampleId).min(1).max(HANDWRITING_LIMITS.samples) })]), result: type<number>() },
  /** Writes the set as one file where the save dialog says; null when cancelled. */
  'handwriting:export': { verb: 'exportHandwriting', args: z.tuple([]), result: type<{ path: string; count: number } | null>() },
  /** Adds the samples of an exported set chosen in the open dialog; null when cancelled. */
  'handwriting:import': { verb: 'importHandwriting', args: z.tuple([]), result: type<{ added: number; skipped: number } | null>() },
  /** Rebuilds every 28×28 image from its strokes with the current preprocessing; answers how many changed. */
  'handwriting:rebuild': { verb: 'rebuildHandwriting', args: z.tuple([]), result: type<number>() },
  /** The active model on every sample of your handwriting, for the Gallery (evaluation:progress events). */
  'handwriting:evaluate': { verb: 'evaluateHandwriting', args: z.tuple([]), result: type<ModelEvaluation>() },
  /** Fine-tunes a copy of the active model on your samples with MNIST replay; the copy waits for keep or discard. */
  'handwriting:finetune': { verb: 'finetuneHandwriting', args: z.tuple([finetuneOptionsSchema]), result: type<FinetuneResult>() },
  /** Adds the fine-tuned model to the library as a new model, made active when asked. */
  'handwriting:keep': { verb: 'keepFinetuned', args: z.tuple([z.object({ token, activate: z.boolean() })]), result: type<LibraryModel>() },
  'handwriting:discard': { verb: 'discardFinetuned', args: z.tuple([z.object({ token })]), result: type<void>() },
  ...projectorRequests,
  ...speedRequests,
  ...desktopRequests,
  ...lessonRequests,
} as const;

type Requests = typeof requests;
type Events = typeof events;
export type RequestChannel = keyof Requests;
export type RequestArgs<C extends RequestChannel> = z.infer<Requests[C]['args']>;
export type RequestResult<C extends RequestChannel> = Requests[C]['result'];
export type EventChannel = keyof Events;
export type EventPayload<E extends EventChannel> = Events[E]['payload'];

/** window.api, as the preload exposes it and the renderer sees it: one verb per request, one subscription per event. */
export type Api = {
  [C in RequestChannel as Requests[C]['verb']]: (...args: RequestArgs<C>) => Promise<RequestResult<C>>;
} & {
  /** Returns a function that unsubscribes. */
  [E in EventChannel as Events[E]['on']]: (listener: (payload: EventPayload<E>) => void) => () => void;
} & LocalApi;

/**
 * The names window.api is built from, read off the two tables above: verb → request channel and
 * subscription → event channel. Plain strings: the sandboxed preload gets them baked in when it is built
 * (electron.vite.config.ts), so it bundles neither zod nor a schema.
 */
export interface ApiTables {
  verbs: { [C in RequestChannel as Requests[C]['verb']]: C };
  subscriptions: { [E in EventChannel as Events[E]['on']]: E };
}

export const apiTables: ApiTables = {
  verbs: Object.fromEntries(Object.entries(requests).map(([channel, { verb }]) => [verb, channel])) as ApiTables['verbs'],
  subscriptions: Object.fromEntries(Object.entries(events).map(([event, { on }]) => [on, event])) as ApiTables['subscriptions'],
};

/** The main side: one handler per request channel. */
export type Handlers = {
  [C in RequestChannel]: (...args: RequestArgs<C>) => Promise<RequestResult<C>>;
};

/** How main pushes events, whatever carries them (webContents.send, or the test harness). */
export type EventSink = <E extends EventChannel>(event: E, payload: EventPayload<E>) => void;

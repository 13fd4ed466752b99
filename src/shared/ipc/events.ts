import type { DatasetSummary } from '../datasets/dataset-summary';
import type { DownloadProgress } from '../datasets/download';
import type { ImportProgress } from '../datasets/imported';
import type { EvaluationProgress } from '../evaluation';
import type { SweepProgress } from '../experiments/sweep';
import type { LessonImportOutcome } from '../lessons/lesson';
import type { EpochProjection, ProjectorProgress } from '../projector/projector';
import type { EpochLog, TrainingError, TrainingFinished, TrainingProgress, TrainingStatus } from '../training';
import type { TrainingWeights } from '../weights';
import type { MenuCommand } from '../menu-commands';
import { type } from './phantom';

/**
 * The contract's event channels (main → window), each with its window.api subscription and its payload
 * type; contract.ts declares the request channels and derives everything else from both tables.
 */
export const events = {
  /** The active model changed (trained, loaded); fetch it with model:get-active. */
  'model:changed': { on: 'onModelChanged', payload: type<{ id: string; name: string }>() },
  'training:status': { on: 'onTrainingStatus', payload: type<TrainingStatus>() },
  /** At most ~10 a second while training. */
  'training:progress': { on: 'onTrainingProgress', payload: type<TrainingProgress>() },
  'training:epoch': { on: 'onTrainingEpoch', payload: type<{ runId: string; log: EpochLog }>() },
  /** The model's weights mid-run, at most about once a second: every layer of a small model, else the first. */
  'training:weights': { on: 'onTrainingWeights', payload: type<TrainingWeights>() },
  'training:finished': { on: 'onTrainingFinished', payload: type<TrainingFinished>() },
  'training:error': { on: 'onTrainingError', payload: type<TrainingError>() },
  /** At most ~10 a second while an evaluation or robustness check runs. */
  'evaluation:progress': { on: 'onEvaluationProgress', payload: type<EvaluationProgress>() },
  /** At most ~10 a second while a dataset downloads, and once at its end. */
  'dataset:download-progress': { on: 'onDownloadProgress', payload: type<DownloadProgress>() },
  /** About ten a second while an import preview decodes a folder's images, and once at its end. */
  'dataset:import-progress': { on: 'onImportProgress', payload: type<ImportProgress>() },
  /** Which datasets are on this machine changed (a download finished). */
  'dataset:list-changed': { on: 'onDatasetsChanged', payload: type<DatasetSummary[]>() },
  /** A run was recorded, finished, linked to a saved model or deleted; fetch the list with runs:list. */
  'runs:changed': { on: 'onRunsChanged', payload: type<{ id: string }>() },
  /** At most ~10 a second while a projector map is made. */
  'projector:progress': { on: 'onProjectorProgress', payload: type<ProjectorProgress>() },
  /** The projector's maps at the end of each epoch of a run (PCA of the first test images). */
  'training:epoch-maps': { on: 'onTrainingEpochMaps', payload: type<EpochProjection>() },
  /** A sweep started a run, measured its speed (at most twice a second), or ended. */
  'sweep:progress': { on: 'onSweepProgress', payload: type<SweepProgress>() },
  /** The application menu's command for the window (src/shared/menu-commands.ts). */
  'menu:command': { on: 'onMenuCommand', payload: type<{ command: MenuCommand }>() },
  /** The system handed the app a model bundle (double click, second launch, Open recent): import it. */
  'file:open-model': { on: 'onOpenModelFile', payload: type<{ path: string }>() },
  /** A lesson file given to the app (opened with it, or from the file manager) was imported or refused. */
  'lessons:imported': { on: 'onLessonImported', payload: type<LessonImportOutcome>() },
} as const;

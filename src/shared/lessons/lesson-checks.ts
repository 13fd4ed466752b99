import { detectOverfitting } from '../experiments/overfitting';
import type { ModelSpec } from '../model-spec';
import type { EpochLog } from '../training';
import type { LessonCheck, RunSetting } from './lesson';

/**
 * What a lesson's checks look at: the app's real state, gathered by the window from the run history,
 * the handwriting set, the datasets on this machine and what the learner opened. Pure, so each kind of
 * check is tested on hand-made facts.
 */
export interface LessonFacts {
  /** Recorded runs (the run history), any order. */
  runs: readonly { datasetId: string; spec: ModelSpec; outcome: string; final: { testAccuracy: number } | null; history: readonly EpochLog[] }[];
  /** The label of each saved drawing of your handwriting. */
  drawings: readonly number[];
  datasets: readonly { id: string; available: boolean; source: 'catalog' | 'imported' }[];
  /** What the learner has opened in this window: `panel:<id>`, `gallery-failures:<class>`, `robustness`. */
  seen: ReadonlySet<string>;
  /** The Draw canvas holds a drawing the model answers. */
  drawingInk: boolean;
}

/** A finished run: it ended with its test score (completed, or stopped with the epochs it had). */
const finished = (run: LessonFacts['runs'][number]): run is LessonFacts['runs'][number] & { final: { testAccuracy: number } } =>
  run.final !== null && (run.outcome === 'completed' || run.outcome === 'stopped');

/** Whether the check is met by these facts. */
export function checkMet(check: LessonCheck, facts: LessonFacts): boolean {
  switch (check.kind) {
    case 'trained':
      return facts.runs.some(
        (run) =>
          finished(run) &&
          run.final.testAccuracy * 100 >= check.atLeast &&
          (check.dataset === undefined || run.datasetId === check.dataset) &&
          (check.hiddenLayers === undefined || run.spec.hiddenLayers.length === check.hiddenLayers) &&
          (check.units === undefined || run.spec.hiddenLayers[0]?.units === check.units),
      );
    case 'gallery-failures':
      return facts.seen.has(`gallery-failures:${check.class}`);
    case 'drawings':
      return facts.drawings.filter((label) => check.digit === undefined || label === check.digit).length >= check.count;
    case 'runs-differ': {
      const runs = facts.runs.filter((run) => finished(run) && (check.dataset === undefined || run.datasetId === check.dataset));
      return runs.some((a, i) => runs.slice(i + 1).some((b) => a.datasetId === b.datasetId && differOnlyIn(a.spec, b.spec, check.setting)));
    }
    case 'dataset':
      return facts.datasets.some((d) => d.id === check.id && d.available);
    case 'imported-dataset':
      return facts.datasets.some((d) => d.source === 'imported' && d.available);
    case 'visited':
      return facts.seen.has(`panel:${check.panel}`);
    case 'robustness':
      return facts.seen.has('robustness');
    case 'drawn':
      return facts.drawingInk;
    case 'overfitting':
      return facts.runs.some((run) => finished(run) && detectOverfitting(run.history) !== null);
  }
}

/** What a check asks for, in words, when the lesson gives it no label. */
export function checkLabel(check: LessonCheck): string {
  if (check.label) return check.label;
  switch (check.kind) {
    case 'trained': {
      const shape = check.hiddenLayers === undefined ? '' : ` with ${check.hiddenLayers} hidden layer${check.hiddenLayers === 1 ? '' : 's'}`;
      const units = check.units === undefined ? '' : ` (${check.units} units first)`;
      const on = check.dataset ? ` on ${check.dataset}` : '';
      return check.atLeast > 0 ? `A model${shape}${units} trained${on} to at least ${check.atLeast} % test accuracy` : `A model${shape}${units} trained${on}`;
    }
    case 'gallery-failures':
      return `The failures of class ${check.class} opened in the Gallery`;
    case 'drawings':
      return `${check.count} drawing${check.count === 1 ? '' : 's'}${check.digit === undefined ? '' : ` of ${check.digit}`} saved`;
    case 'runs-differ':
      return `Two finished runs that differ only in ${SETTING_WORDS[check.setting]}`;
    case 'dataset':
      return `The ${check.id} dataset on this computer`;
    case 'imported-dataset':
      return 'A dataset of your own imported';
    case 'visited':
      return `The ${check.panel[0].toUpperCase()}${check.panel.slice(1)} tab opened`;
    case 'robustness':
      return 'The robustness check run in the Gallery';
    case 'drawn':
      return 'A digit drawn in the Draw tab';
    case 'overfitting':
      return 'A run whose validation loss rose while its training loss fell';
  }
}

const SETTING_WORDS: Record<RunSetting, string> = {
  dropout: 'dropout',
  learningRate: 'the learning rate',
  optimizer: 'the optimizer',
  l2: 'the L2 penalty',
  batchSize: 'the batch size',
  epochs: 'the number of epochs',
  hiddenLayers: 'the hidden layers',
  activation: 'the activation',
  momentum: 'momentum',
};

/** The settings that make a run what it is, with `setting` left out; the seed is not one of them. */
function comparable(spec: ModelSpec, setting: RunSetting): unknown {
  const layers = spec.hiddenLayers.map((layer) => ({
    units: setting === 'hiddenLayers' ? null : layer.units,
    activation: setting === 'activation' || setting === 'hiddenLayers' ? null : layer.activation,
    dropout: setting === 'dropout' ? null : layer.dropout,
  }));
  return {
    layers: setting === 'hiddenLayers' ? null : layers,
    activations: setting === 'hiddenLayers' ? null : layers.map((l) => l.activation),
    optimizer: setting === 'optimizer' ? null : spec.optimizer,
    learningRate: setting === 'learningRate' ? null : spec.learningRate,
    lrSchedule: spec.lrSchedule,
    momentum: setting === 'momentum' || setting === 'optimizer' ? null : spec.momentum,
    nesterov: setting === 'momentum' || setting === 'optimizer' ? null : spec.nesterov,
    l2: setting === 'l2' ? null : spec.l2,
    batchSize: setting === 'batchSize' ? null : spec.batchSize,
    epochs: setting === 'epochs' ? null : spec.epochs,
    validation: spec.validation,
    normalization: spec.normalization,
    trainSubset: spec.trainSubset,
    augment: spec.augment,
    earlyStopping: spec.earlyStopping ?? null,
  };
}

/** The two specs differ in `setting` and in nothing else that shapes the run. */
export function differOnlyIn(a: ModelSpec, b: ModelSpec, setting: RunSetting): boolean {
  const same = (x: unknown, y: unknown): boolean => JSON.stringify(x) === JSON.stringify(y);
  return same(comparable(a, setting), comparable(b, setting)) && !same(comparable(a, 'none' as RunSetting), comparable(b, 'none' as RunSetting));
}

import type { ModelMetadata } from '$shared/model-metadata';
import type { ModelSpec } from '$shared/model-spec';
import { formatSetting } from './format';

const OPTIMIZER_NAMES: Record<ModelSpec['optimizer'], string> = { sgd: 'SGD', adam: 'Adam', rmsprop: 'RMSprop', adagrad: 'Adagrad' };

/** What the Train panel says before it continues a saved model, from that model's metadata. */
export interface ContinuePlan {
  name: string;
  datasetId: string;
  /** Epochs it has trained so far: the continued run numbers its epochs on from here. */
  epochsTrained: number;
  /** "784-512-256-10 · Adam, learning rate 0.002 (cosine) · batch 256". */
  settings: string;
  /** Which optimizer state the run starts with, and why. */
  optimizer: string;
}

/** The plan for continuing a saved model: MLP Lab saves no optimizer state, so every run starts a fresh one. */
export function continuePlan(metadata: ModelMetadata): ContinuePlan {
  const { spec } = metadata;
  const layers = [metadata.imageShape[0] * metadata.imageShape[1], ...spec.hiddenLayers.map((l) => l.units), metadata.classNames.length];
  const optimizer = optimizerName(spec);
  const stateless = spec.optimizer === 'sgd' && spec.momentum === 0;
  const schedule = spec.lrSchedule === 'cosine' ? ' (cosine, restarting from the full rate)' : '';
  return {
    name: metadata.name,
    datasetId: metadata.datasetId,
    epochsTrained: metadata.epochsTrained,
    settings: `${layers.join('-')} · ${optimizer}, learning rate ${formatSetting(spec.learningRate)}${schedule} · batch ${spec.batchSize}`,
    optimizer: stateless
      ? 'Continues with plain SGD, which keeps no optimizer state: nothing is lost by starting it afresh.'
      : `Continues with a fresh ${optimizer} optimizer: the saved model has no optimizer state, so its ${stateName(spec)} start over.`,
  };
}

function optimizerName(spec: ModelSpec): string {
  if (spec.optimizer === 'sgd' && spec.momentum > 0) return `SGD with ${spec.nesterov ? 'Nesterov ' : ''}momentum ${formatSetting(spec.momentum)}`;
  return OPTIMIZER_NAMES[spec.optimizer];
}

function stateName(spec: ModelSpec): string {
  switch (spec.optimizer) {
    case 'adam':
      return 'moment estimates';
    case 'rmsprop':
      return 'running averages of squared gradients';
    case 'adagrad':
      return 'accumulated squared gradients';
    case 'sgd':
      return 'momentum terms';
  }
}

import type { ModelSpec } from './model-spec';

/**
 * This machine's measured training speed for a model, as main finds it before a run (#24: "estimates
 * come from measured speed"): from the epochs of the newest earlier run of the same kind in the run
 * history, or else from the training backend choice's own measurement of a model of this shape.
 */
export interface MeasuredSpeed {
  /** Training images a second, validation excluded. */
  samplesPerSecond: number;
  /** The backend it was measured on ('tensorflow', 'wasm', 'kernel', …). */
  backend: string;
  /**
   * `run`: the complete epochs of an earlier run of this model shape and batch size on this dataset;
   * `benchmark`: the short timing the backend choice made of a model of this shape on made-up data.
   */
  source: 'run' | 'benchmark';
  /** When it was measured (ISO 8601). */
  measuredAt: string;
}

/**
 * What decides a training step's speed, as the backend choice's key has it: the layers (units,
 * activation, dropout), the optimizer with its momentum, the L2 term and the batch a step really takes.
 * Not the learning rate, epochs, seed or dataset (the model's input and output sizes are compared apart).
 */
export function speedKind(spec: Pick<ModelSpec, 'hiddenLayers' | 'optimizer' | 'momentum' | 'nesterov' | 'l2' | 'batchSize' | 'trainSubset'>): string {
  const layers = spec.hiddenLayers.map((l) => `${l.units}${l.activation}${l.dropout > 0 ? 'd' : ''}`).join('-');
  const optimizer = spec.optimizer === 'sgd' ? `sgd${spec.momentum > 0 ? (spec.nesterov ? 'n' : 'm') : ''}` : spec.optimizer;
  return `${layers} ${optimizer}${spec.l2 > 0 ? '+l2' : ''} b${Math.min(spec.batchSize, spec.trainSubset ?? Infinity)}`;
}

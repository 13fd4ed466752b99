/** Dense weights as plain arrays: what the Weights panel draws and what training snapshots carry. */

/** One Dense layer. `kernel` is row-major [inputs, units], as TensorFlow.js stores it. */
export interface DenseLayerWeights {
  inputs: number;
  units: number;
  kernel: Float32Array;
  bias: Float32Array;
  /** Keras activation name: relu, tanh, sigmoid, elu, selu, linear, or softmax on the output layer. */
  activation: string;
}

/** The weights of the model being trained, taken between two batches (at most about once a second). */
export interface TrainingWeights {
  runId: string;
  /** 0-based, counting earlier runs of the same model, as in BatchLog. */
  epoch: number;
  /** 0-based batch of the epoch after which the weights were read, of `batches`. */
  batch: number;
  batches: number;
  /** Every Dense layer when `allLayers`; otherwise the first hidden layer only (a big model). */
  layers: DenseLayerWeights[];
  allLayers: boolean;
}

/** "epoch 3, batch 120": the moment a snapshot shows, counted from 1 as the Train panel does. */
export function snapshotLabel(snapshot: Pick<TrainingWeights, 'epoch' | 'batch'>): string {
  return `epoch ${snapshot.epoch + 1}, batch ${snapshot.batch + 1}`;
}

import type { ModelMetadata } from './model-metadata';

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

export interface SavedModel {
  name: string;
  dir: string;
}

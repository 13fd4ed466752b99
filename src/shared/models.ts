import type { ModelMetadata } from './model-metadata';
import type { Normalization } from './model-spec';

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

/** One model of the library, as the Models tab lists it. */
export interface LibraryModel {
  /** The library folder's name; 'default' for the bundled model. */
  id: string;
  name: string;
  /** The bundled default: always listed, never renamed or deleted. */
  builtIn: boolean;
  /** Layer sizes from input to output: "784-512-256-10". */
  architecture: string;
  parameters: number;
  datasetId: string;
  testAccuracy: number | null;
  epochs: number;
  /** ISO date it was trained or imported. */
  created: string;
  backend: string;
  /** Training accuracy (validation when measured) per epoch, at most 200 points, for the sparkline. */
  curve: number[];
}

export interface ModelListing {
  models: LibraryModel[];
  /** Library folders that are not readable models, each with why: skipped, never deleted. */
  problems: { folder: string; message: string }[];
}

export interface ImportedLibraryModel {
  model: LibraryModel;
  /** What was assumed for a model without MLP Lab's metadata ("class names 0–9", …). */
  assumed: string[];
}

/** An imported model that came without MLP Lab's metadata.json: the user names its classes and normalisation first. */
export interface ModelImportPreview {
  /** Names the checked model main holds until it is confirmed (model:import-confirm). */
  token: string;
  /** model.json's path (or "<zip>: model.json"). */
  file: string;
  name: string;
  /** Layer sizes from input to output: "784-128-10". */
  architecture: string;
  /** Softmax units: the number of class names to give. */
  outputs: number;
  /** The dataset it is taken to belong to ('mnist' for 10 outputs, else 'unknown'). */
  datasetId: string;
  /** What is proposed: 0, 1, … and pixels divided by 255. */
  defaults: { classNames: string[]; normalization: Normalization };
}

/** What an import did: the model is in the library, or it waits for its class names and normalisation. */
export type ModelImportOutcome =
  | { status: 'imported'; imported: ImportedLibraryModel }
  | { status: 'needs-metadata'; preview: ModelImportPreview };

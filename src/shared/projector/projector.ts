/**
 * The projector's domain: 2-D maps of test images as a network sees them at one layer, and the training
 * images nearest an input in the last hidden layer's space. Pure types and limits; the maths runs in the
 * training worker (src/engine/projector).
 */

/** 0 is the input pixels, i the i-th hidden layer, 'output' the class probabilities. */
export type ProjectorLayer = number | 'output';
export type ProjectorMethod = 'pca' | 'umap';

/** The sample sizes offered: the first N test images; null is all of them. */
export const PROJECTOR_SAMPLES = [1000, 5000, null] as const;
export type ProjectorSample = (typeof PROJECTOR_SAMPLES)[number];

/** How many training images a nearest-digits search answers with. */
export const NEAREST_COUNT = 8;
/** The test images each epoch's map shows while training: few enough to cost little per epoch. */
export const EPOCH_MAP_IMAGES = 1000;
/** The most hidden layers a model may have for the projector (model specs allow far fewer). */
export const MAX_PROJECTOR_LAYER = 64;

export interface ProjectorRequest {
  layer: ProjectorLayer;
  method: ProjectorMethod;
  sample: ProjectorSample;
}

/** A PCA's two axes, so the window can place a new input (the drawing) on the same map. */
export interface PcaAxes {
  /** dim values. */
  mean: Float32Array;
  /** 2 × dim values, row-major. */
  components: Float32Array;
  /** Each axis's share of the total variance. */
  explainedVariance: [number, number];
}

/** One map: the first `count` test images at `layer`. */
export interface ProjectionMap {
  layer: ProjectorLayer;
  method: ProjectorMethod;
  count: number;
  /** The layer's width: the values per image the map was made from. */
  dim: number;
  /** count × 2, row-major. */
  coords: Float32Array;
  labels: Uint8Array;
  /** The model's answer for each image. */
  predictions: Uint8Array;
  /** With PCA only. */
  pca: PcaAxes | null;
  /** The share of points whose nearest neighbour on the map has the same true class. */
  knnAccuracy: number;
  seconds: number;
}

/**
 * With UMAP, the images' values at the layer (count × dim), so the window can place the drawing among
 * its nearest images: UMAP has no axes to project a new point on.
 */
export interface Projection extends ProjectionMap {
  activations: Float32Array | null;
  modelId: string;
  datasetId: string;
}

/** The maps of one epoch of a training run: every hidden layer and the output, PCA of the first images. */
export interface EpochProjection {
  runId: string;
  epoch: number;
  maps: ProjectionMap[];
}

export interface NearestDigit {
  /** The training image's index in its split. */
  index: number;
  label: number;
  distance: number;
}

export interface NearestDigits {
  modelId: string;
  datasetId: string;
  /** The layer searched: the last hidden one, or 0 (the pixels) for a model without any. */
  layer: number;
  neighbours: NearestDigit[];
  /** The search itself, in milliseconds. */
  searchMs: number;
  /** Computing the training set's values at that layer, once per model; 0 when they were ready. */
  indexMs: number;
  /** Training images searched. */
  searched: number;
}

export interface ProjectorProgress {
  requestId: string;
  done: number;
  total: number;
}

/** Names a layer as the hooks do: 0, 1, 2 …, or 'output'. */
export function layerKey(layer: ProjectorLayer): string {
  return String(layer);
}

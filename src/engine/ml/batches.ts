import type { ImageSet, LoadedDataset } from '../../shared/datasets/image-set';
import type { AugmentSpec, ModelSpec, Normalization } from '../../shared/model-spec';
import { scaleToUnitLength } from '../../shared/vector';
import { augmentImage } from './augment';
import { fillRows, fillRowsAndTranspose, transposeInto } from './batch-fill';
import type { Random } from './random';
import type { Batch } from './stepper';

export interface TrainingData {
  train: ImageSet;
  /** Held-out part of the training set, the test set, or null (no validation). */
  validation: ImageSet | null;
  test: ImageSet;
  classNames: readonly string[];
}

/** Images first..first+count of a set, sharing its buffers. */
export function sliceSet(set: ImageSet, first: number, count: number): ImageSet {
  const size = set.rows * set.cols;
  return {
    images: set.images.subarray(first * size, (first + count) * size),
    labels: set.labels.subarray(first, first + count),
    count,
    rows: set.rows,
    cols: set.cols,
  };
}

/** Applies the spec's training subset and validation choice; the held-out part is the end, as in Keras. */
export function prepareTrainingData(dataset: LoadedDataset, spec: ModelSpec): TrainingData {
  const total = Math.min(spec.trainSubset ?? dataset.train.count, dataset.train.count);
  const subset = sliceSet(dataset.train, 0, total);
  const base = { test: dataset.test, classNames: dataset.classNames };
  if (spec.validation === 'test') return { ...base, train: subset, validation: dataset.test };
  const held = Math.floor(total * spec.validation);
  if (total - held < 1) throw new Error(`validation fraction ${spec.validation} leaves no training images`);
  return {
    ...base,
    train: sliceSet(subset, 0, total - held),
    validation: held > 0 ? sliceSet(subset, total - held, held) : null,
  };
}

/** Converts grey levels of `count` images of `size` pixels, in place, to the model's input scale. */
export function normalizeRows(values: Float32Array, count: number, size: number, normalization: Normalization): void {
  if (normalization === 'divide255') {
    const scale = 1 / 255;
    for (let i = 0; i < count * size; i++) values[i] *= scale;
    return;
  }
  for (let r = 0; r < count; r++) scaleToUnitLength(values, r * size, size);
}

/** Every image of a set as model input: [count × rows·cols] float32, row-major. */
export function normalizedImages(set: ImageSet, normalization: Normalization): Float32Array {
  const values = new Float32Array(set.images.length);
  if (normalization === 'divide255') {
    // One pass, multiplying: this runs over 47M pixels before every full-MNIST training run.
    const scale = 1 / 255;
    for (let i = 0; i < values.length; i++) values[i] = set.images[i] * scale;
    return values;
  }
  values.set(set.images);
  normalizeRows(values, set.count, set.rows * set.cols, normalization);
  return values;
}

/**
 * Per-image factors that turn grey levels into model input: 1/255 for every image, or each image's
 * inverse L2 norm (0-norm images stay 0, as scaleToUnitLength leaves them).
 */
export function rowScales(set: ImageSet, normalization: Normalization): Float64Array {
  const scales = new Float64Array(set.count);
  if (normalization === 'divide255') return scales.fill(1 / 255);
  const size = set.rows * set.cols;
  for (let r = 0; r < set.count; r++) {
    let sumSquares = 0;
    for (let p = r * size; p < (r + 1) * size; p++) sumSquares += set.images[p] * set.images[p];
    scales[r] = sumSquares === 0 ? 1 : 1 / Math.sqrt(sumSquares);
  }
  return scales;
}

/**
 * Fills input batches from a training set, as rows [count × size] and, when asked, transposed
 * [size × count]: the first layer's weight gradient needs Xᵀ, and making it here, during the copy from
 * bytes, spares the step its largest transpose kernel. Without augmentation a batch is scaled straight
 * from the set's bytes with one factor per image (no normalised copy of the whole set is kept: that
 * would be 4 bytes a pixel, 188 MB for MNIST); with it, each image is distorted afresh from its bytes.
 * The values are those of normalizedImages, bit for bit.
 */
export class BatchFiller {
  private readonly size: number;
  /** Per-image scale factors, when batches need no augmentation. */
  private readonly scales: Float64Array | null;

  constructor(
    private readonly set: ImageSet,
    private readonly normalization: Normalization,
    private readonly augment: AugmentSpec | null,
  ) {
    this.size = set.rows * set.cols;
    this.scales = augment ? null : rowScales(set, normalization);
  }

  /**
   * Writes images order[start..start+count) into out ([count × size]), their transpose into outT
   * ([size × count], when given) and their labels into labels.
   */
  fill(
    order: Int32Array,
    start: number,
    count: number,
    out: Float32Array,
    labels: Uint8Array,
    random: Random,
    outT?: Float32Array,
  ): void {
    const { size, set } = this;
    for (let i = 0; i < count; i++) labels[i] = set.labels[order[start + i]];
    if (!this.scales) {
      for (let i = 0; i < count; i++) {
        augmentImage(set.images, order[start + i] * size, set.rows, set.cols, this.augment!, random, out, i * size);
      }
      normalizeRows(out, count, size, this.normalization);
      if (outT) transposeInto(out, count, size, outT);
      return;
    }
    if (outT) fillRowsAndTranspose(set.images, order, start, count, size, this.scales, out, outT);
    else fillRows(set.images, order, start, count, size, this.scales, out);
  }
}

/**
 * The training set cut into batches of the spec's size, visited in `order` (which the training loop
 * shuffles each epoch) and filled into buffers reused batch after batch.
 */
export class EpochBatches {
  readonly order: Int32Array;
  readonly perEpoch: number;
  private readonly size: number;
  private readonly batch: Batch;
  private readonly filler: BatchFiller;

  constructor(
    private readonly set: ImageSet,
    spec: Pick<ModelSpec, 'batchSize' | 'normalization' | 'augment'>,
  ) {
    this.filler = new BatchFiller(set, spec.normalization, spec.augment);
    this.size = Math.min(spec.batchSize, set.count);
    this.perEpoch = Math.ceil(set.count / this.size);
    this.order = new Int32Array(set.count);
    const features = set.rows * set.cols;
    this.batch = {
      count: 0,
      features,
      input: new Float32Array(this.size * features),
      inputT: new Float32Array(this.size * features),
      labels: new Uint8Array(this.size),
    };
  }

  /** Where batch b starts in the order, and its images (the last batch may be short). */
  range(b: number): { start: number; count: number } {
    return { start: b * this.size, count: Math.min(this.size, this.set.count - b * this.size) };
  }

  /** Batch b of the epoch (the last may be short); augmentation draws from `random`. */
  fill(b: number, random: Random): Batch {
    const { batch } = this;
    batch.count = this.range(b).count;
    this.filler.fill(this.order, b * this.size, batch.count, batch.input, batch.labels, random, batch.inputT);
    return batch;
  }
}

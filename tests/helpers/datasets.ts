import path from 'node:path';
import type { ImageSet, LoadedDataset } from '../../src/shared/datasets/image-set';
import { loadDataset } from '../../src/engine/data/load-dataset';
import { isCatalogId } from '../../src/shared/datasets/catalog';
import { catalogDescriptor, type DatasetDescriptor } from '../../src/shared/datasets/descriptor';
import { Random } from '../../src/engine/ml/random';

export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');
export const RESOURCES_DIR = path.join(REPO_ROOT, 'resources');

let mnist: Promise<LoadedDataset> | undefined;
/** The bundled MNIST, loaded once per test file. */
export function bundledMnist(): Promise<LoadedDataset> {
  mnist ??= loadDataset(path.join(RESOURCES_DIR, 'datasets', 'mnist'), 'mnist');
  return mnist;
}

/**
 * A small learnable image set: class c lights up a distinct block of pixels, plus noise, so a model can
 * reach high accuracy in a few steps. Images are rows×cols bytes.
 */
export function syntheticSet(count: number, seed = 1, rows = 4, cols = 4, numClasses = 4): ImageSet {
  const random = new Random(seed);
  const size = rows * cols;
  const images = new Uint8Array(count * size);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const label = i % numClasses;
    labels[i] = label;
    for (let p = 0; p < size; p++) {
      const lit = Math.floor((p * numClasses) / size) === label;
      images[i * size + p] = Math.round((lit ? 160 : 0) + random.next() * 90);
    }
  }
  return { images, labels, count, rows, cols };
}

export function syntheticDataset(trainCount = 256, testCount = 64): LoadedDataset {
  return {
    id: 'mnist',
    classNames: ['a', 'b', 'c', 'd'],
    train: syntheticSet(trainCount, 1),
    test: syntheticSet(testCount, 2),
  };
}

/** A dataset lookup for service tests: every catalog dataset is "here", in `<root>/<id>`. */
export const hereAt =
  (root: string) =>
  async (id: string): Promise<DatasetDescriptor> => {
    if (!isCatalogId(id)) throw new Error(`${id} is not a catalog dataset`);
    return catalogDescriptor(id, `${root}/${id}`);
  };

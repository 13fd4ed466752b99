import { DATASETS, type CatalogId, type DatasetId, type FileRole, type SplitName } from './catalog';

/**
 * Everything a reader needs to load a dataset, whatever its source: main resolves an id to one of
 * these and hands it to the training worker, so an imported dataset trains and evaluates like MNIST.
 */
export interface DatasetDescriptor {
  id: DatasetId;
  displayName: string;
  classNames: readonly string[];
  imageSize: { rows: number; cols: number };
  /** Images per split, checked against the files' headers. */
  counts: Record<SplitName, number>;
  /** The folder holding the four IDX files (gzip, or raw under the name without .gz). */
  dir: string;
  files: Record<FileRole, { name: string; decompressedSha256?: string }>;
}

/** A catalog dataset in `dir`, its files held to the catalog's checksums. */
export function catalogDescriptor(id: CatalogId, dir: string): DatasetDescriptor {
  const info = DATASETS[id];
  const file = (role: FileRole) => ({ name: info.files[role].name, decompressedSha256: info.files[role].decompressedSha256 });
  return {
    id,
    displayName: info.displayName,
    classNames: info.classNames,
    imageSize: info.imageSize,
    counts: info.counts,
    dir,
    files: { trainImages: file('trainImages'), trainLabels: file('trainLabels'), testImages: file('testImages'), testLabels: file('testLabels') },
  };
}

/** The shape of a dataset that sizes work: a summary or a descriptor both have it. */
export type DatasetShape = Pick<DatasetDescriptor, 'classNames' | 'imageSize' | 'counts'>;

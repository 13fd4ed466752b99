import { MODEL_IMAGE } from '../model-input';

/**
 * The datasets MLP Lab knows by name. Sizes and SHA-256 of the original archives are recorded by
 * TensorFlow Datasets (tensorflow_datasets/url_checksums) and Keras; mirrors recompress archives, so a
 * file is also accepted when its decompressed bytes match `decompressedSha256`, where the catalog has
 * one (computed from copies of the files; KMNIST has none, so only its original archives are accepted).
 */

/** The datasets the catalog describes: bundled, or downloaded from their mirrors. */
export type CatalogId = 'mnist' | 'fashion-mnist' | 'kmnist';
/**
 * Any dataset's id: a catalog one, an imported one (its name's slug and a time stamp, so never a
 * catalog id) or another source's. Always matches DATASET_ID_PATTERN, so it is safe as a folder name.
 */
export type DatasetId = string;
export const DATASET_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,79}$/;
export type SplitName = 'train' | 'test';
export type FileRole = 'trainImages' | 'trainLabels' | 'testImages' | 'testLabels';

export interface DatasetFile {
  /** Canonical file name, identical on every mirror. */
  name: string;
  /** Size of the original .gz archive in bytes. */
  archiveBytes: number;
  /** SHA-256 of the original .gz archive. */
  archiveSha256: string;
  /** SHA-256 of the decompressed IDX bytes, when known: without it only the original archive is accepted. */
  decompressedSha256?: string;
}

export interface DatasetInfo {
  id: CatalogId;
  displayName: string;
  description: string;
  classNames: readonly string[];
  imageSize: { rows: number; cols: number };
  counts: Record<SplitName, number>;
  files: Record<FileRole, DatasetFile>;
  /** HTTPS base URLs that serve the canonical file names, tried in order. */
  mirrors: readonly string[];
  /** Shipped inside the app's resources, so it works offline on first launch. */
  bundled: boolean;
  licence: string;
}

export const DATASETS: Readonly<Record<CatalogId, DatasetInfo>> = {
  mnist: {
    id: 'mnist',
    displayName: 'MNIST',
    description: 'Handwritten digits 0–9 (LeCun, Cortes, Burges)',
    classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    imageSize: { ...MODEL_IMAGE },
    counts: { train: 60_000, test: 10_000 },
    files: {
      trainImages: {
        name: 'train-images-idx3-ubyte.gz',
        archiveBytes: 9_912_422,
        archiveSha256: '440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609',
        decompressedSha256: 'ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db',
      },
      trainLabels: {
        name: 'train-labels-idx1-ubyte.gz',
        archiveBytes: 28_881,
        archiveSha256: '3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c',
        decompressedSha256: '65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5',
      },
      testImages: {
        name: 't10k-images-idx3-ubyte.gz',
        archiveBytes: 1_648_877,
        archiveSha256: '8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6',
        decompressedSha256: '0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7',
      },
      testLabels: {
        name: 't10k-labels-idx1-ubyte.gz',
        archiveBytes: 4_542,
        archiveSha256: 'f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6',
        decompressedSha256: 'ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2',
      },
    },
    mirrors: [
      'https://storage.googleapis.com/cvdf-datasets/mnist/',
      'https://ossci-datasets.s3.amazonaws.com/mnist/',
    ],
    bundled: true,
    licence: 'CC BY-SA 3.0',
  },
  'fashion-mnist': {
    id: 'fashion-mnist',
    displayName: 'Fashion-MNIST',
    description: 'Zalando article images in 10 clothing classes',
    classNames: [
      'T-shirt/top',
      'Trouser',
      'Pullover',
      'Dress',
      'Coat',
      'Sandal',
      'Shirt',
      'Sneaker',
      'Bag',
      'Ankle boot',
    ],
    imageSize: { ...MODEL_IMAGE },
    counts: { train: 60_000, test: 10_000 },
    files: {
      trainImages: {
        name: 'train-images-idx3-ubyte.gz',
        archiveBytes: 26_421_880,
        archiveSha256: '3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84',
        decompressedSha256: 'c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888',
      },
      trainLabels: {
        name: 'train-labels-idx1-ubyte.gz',
        archiveBytes: 29_515,
        archiveSha256: 'a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845',
        decompressedSha256: 'bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9',
      },
      testImages: {
        name: 't10k-images-idx3-ubyte.gz',
        archiveBytes: 4_422_102,
        archiveSha256: '346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073',
        decompressedSha256: '5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b',
      },
      testLabels: {
        name: 't10k-labels-idx1-ubyte.gz',
        archiveBytes: 5_148,
        archiveSha256: '67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5',
        decompressedSha256: '0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34',
      },
    },
    mirrors: ['https://storage.googleapis.com/tensorflow/tf-keras-datasets/'],
    bundled: false,
    licence: 'MIT',
  },
  kmnist: {
    id: 'kmnist',
    displayName: 'KMNIST',
    description: 'Kuzushiji-MNIST: ten cursive Japanese hiragana (CODH, from the NIJL Kuzushiji dataset)',
    // The hiragana of kmnist_classmap.csv, each with its reading.
    classNames: ['お o', 'き ki', 'す su', 'つ tsu', 'な na', 'は ha', 'ま ma', 'や ya', 'れ re', 'を wo'],
    imageSize: { ...MODEL_IMAGE },
    counts: { train: 60_000, test: 10_000 },
    // Sizes and archive SHA-256 as TensorFlow Datasets records them (url_checksums/kmnist.txt).
    files: {
      trainImages: {
        name: 'train-images-idx3-ubyte.gz',
        archiveBytes: 18_165_135,
        archiveSha256: '51467d22d8cc72929e2a028a0428f2086b092bb31cfb79c69cc0a90ce135fde4',
      },
      trainLabels: {
        name: 'train-labels-idx1-ubyte.gz',
        archiveBytes: 29_497,
        archiveSha256: 'e38f9ebcd0f3ebcdec7fc8eabdcdaef93bb0df8ea12bee65224341c8183d8e17',
      },
      testImages: {
        name: 't10k-images-idx3-ubyte.gz',
        archiveBytes: 3_041_136,
        archiveSha256: 'edd7a857845ad6bb1d0ba43fe7e794d164fe2dce499a1694695a792adfac43c5',
      },
      testLabels: {
        name: 't10k-labels-idx1-ubyte.gz',
        archiveBytes: 5_120,
        archiveSha256: '20bb9a0ef54c7db3efc55a92eef5582c109615df22683c380526788f98e42a1c',
      },
    },
    mirrors: ['https://codh.rois.ac.jp/kmnist/dataset/kmnist/'],
    bundled: false,
    licence: 'CC BY-SA 4.0',
  },
};

export const CATALOG_IDS = Object.keys(DATASETS) as CatalogId[];

export function isCatalogId(value: string): value is CatalogId {
  return Object.hasOwn(DATASETS, value);
}

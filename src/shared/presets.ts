import type { CatalogId } from './datasets/catalog';
import { DEFAULT_AUGMENT, DEFAULT_SPEC, type HiddenLayerSpec, type ModelSpec } from './model-spec';

export interface Preset {
  id: string;
  title: string;
  /** Where the configuration comes from and what it reproduces. */
  source: string;
  dataset: CatalogId;
  spec: ModelSpec;
}

const layer = (units: number, activation: HiddenLayerSpec['activation'], dropout = 0): HiddenLayerSpec => ({
  units,
  activation,
  dropout,
});

const preset = (id: string, title: string, source: string, dataset: CatalogId, spec: Partial<ModelSpec>): Preset => ({
  id,
  title,
  source,
  dataset,
  spec: { ...DEFAULT_SPEC, ...spec },
});

/** scikit-learn's default alpha: its penalty is (alpha / 2n)·Σw² on a batch of n. */
const SKLEARN_ALPHA = 1e-4;

/** Keras' SGD default learning rate, used where a notebook keeps `optimizer='sgd'`. */
const KERAS_SGD_LR = 0.01;

/** How the Flatiron notebook trains all three of its models. */
const FLATIRON_TRAINING: Partial<ModelSpec> = {
  optimizer: 'sgd',
  learningRate: KERAS_SGD_LR,
  batchSize: 64,
  epochs: 5,
  validation: 'test',
};

export const PRESETS: readonly Preset[] = [
  preset(
    'sklearn-exercise',
    'scikit-learn MLPClassifier exercise',
    'MLPClassifier(hidden_layer_sizes=(50,), solver="sgd", learning_rate_init=0.1, alpha=1e-4, max_iter=10): ' +
      'scikit-learn reaches train 0.9868 / test 0.9700. Its SGD defaults to Nesterov momentum 0.9, kept here; ' +
      'its alpha=1e-4 penalises (alpha/2)·Σw² per batch of 200, which is L2 2.5e-7 in our Keras terms.',
    'mnist',
    {
      hiddenLayers: [layer(50, 'relu')],
      optimizer: 'sgd',
      learningRate: 0.1,
      momentum: 0.9,
      nesterov: true,
      l2: SKLEARN_ALPHA / (2 * 200),
      batchSize: 200,
      epochs: 10,
      validation: 0,
    },
  ),
  preset('keras-intro', 'Keras MLP intro', 'Dense(20, relu) then softmax, Adam, batch 32: 15,910 parameters.', 'fashion-mnist', {
    hiddenLayers: [layer(20, 'relu')],
    optimizer: 'adam',
    batchSize: 32,
    epochs: 10,
  }),
  preset(
    'keras-two-layers',
    'Keras MLP, two layers with dropout',
    'Dense(50, relu), Dropout(0.2), Dense(50, relu), Dropout(0.2), softmax; Adam, batch 32: 42,310 parameters.',
    'fashion-mnist',
    { hiddenLayers: [layer(50, 'relu', 0.2), layer(50, 'relu', 0.2)], optimizer: 'adam', batchSize: 32, epochs: 10 },
  ),
  preset(
    'flatiron-tanh',
    'Flatiron intro: one tanh layer',
    'Dense(64, tanh), SGD, batch 64, 5 epochs, test set as validation: 50,890 parameters.',
    'mnist',
    { ...FLATIRON_TRAINING, hiddenLayers: [layer(64, 'tanh')] },
  ),
  preset(
    'flatiron-bigger',
    'Flatiron intro: two tanh layers',
    'Dense(64, tanh), Dense(32, tanh), SGD, batch 64, 5 epochs, test set as validation: 52,650 parameters.',
    'mnist',
    { ...FLATIRON_TRAINING, hiddenLayers: [layer(64, 'tanh'), layer(32, 'tanh')] },
  ),
  preset(
    'flatiron-relu',
    'Flatiron intro: two relu layers',
    'The two-layer Flatiron model with relu instead of tanh: 52,650 parameters.',
    'mnist',
    { ...FLATIRON_TRAINING, hiddenLayers: [layer(64, 'relu'), layer(32, 'relu')] },
  ),
  preset(
    'dropout-tutorial',
    'Dropout tutorial',
    'Dense(64, elu), Dropout(0.9), Dense(128, relu), Dropout(0.7), Dense(32, elu), softmax; Adam: 63,018 parameters.',
    'mnist',
    {
      hiddenLayers: [layer(64, 'elu', 0.9), layer(128, 'relu', 0.7), layer(32, 'elu')],
      optimizer: 'adam',
      batchSize: 128,
      epochs: 10,
    },
  ),
  preset(
    'ou-notebook',
    'Open University interactive trainer',
    'One hidden layer of 40 units trained on the first 2,900 images, each image scaled to unit length.',
    'mnist',
    {
      hiddenLayers: [layer(40, 'relu')],
      optimizer: 'adam',
      batchSize: 200,
      epochs: 20,
      trainSubset: 2900,
      normalization: 'unit',
      validation: 'test',
    },
  ),
  preset(
    'best-mlp',
    'Best MLP within a minute',
    'The strongest plain MLP we found for MNIST that trains in under 60 s on a 2-core machine: two wide ' +
      'relu layers with dropout, Adam with a cosine-decaying learning rate and large batches.',
    'mnist',
    {
      hiddenLayers: [layer(400, 'relu', 0.2), layer(200, 'relu', 0.2)],
      optimizer: 'adam',
      learningRate: 0.003,
      lrSchedule: 'cosine',
      batchSize: 512,
      epochs: 12,
      validation: 0,
    },
  ),
  preset(
    'robust-drawing',
    'Robust to drawn digits (the default model)',
    'Trained on randomly shifted, rotated and scaled digits so it tolerates how people draw.',
    'mnist',
    {
      hiddenLayers: [layer(512, 'relu', 0.2), layer(256, 'relu', 0.2)],
      optimizer: 'adam',
      learningRate: 0.002,
      lrSchedule: 'cosine',
      batchSize: 256,
      epochs: 30,
      validation: 0,
      augment: DEFAULT_AUGMENT,
    },
  ),
];

export function findPreset(id: string): Preset | undefined {
  return PRESETS.find((p) => p.id === id);
}

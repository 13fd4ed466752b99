import { DEFAULT_SPEC, NORMALIZATIONS, type Activation, type Normalization } from '../../shared/model-spec';
import { METADATA_LIMITS, MODEL_FORMAT, modelMetadataSchema, type ModelMetadata } from '../../shared/model-metadata';
import { READ_LIMITS, WEIGHTS_FILE, type ModelFiles } from '../../engine/ml/model-files';
import { firstIssue } from '../../shared/first-issue';
import { ImportError, readLayerChain, type DenseLayer, type LayerChain } from './model-import-topology';
import { decodeWeights } from './model-import-weights';
import { DIGIT_CLASSES, MODEL_IMAGE, MODEL_INPUTS } from '../../shared/model-input';

export { ImportError } from './model-import-topology';

/** A model to import, however it arrived (folder, model.json and shards, zip). */
export interface ImportSource {
  /** Names model.json in messages: its path, or "<zip>: model.json". */
  file: string;
  modelJson: unknown;
  /** metadata.json's parsed content, or null when there is none. */
  metadata: unknown;
  /**
   * The bytes of a shard beside model.json (the name is already checked to be a plain file name); a
   * shard over `maxBytes`, more than its group's weights need, is refused without being read.
   */
  readShard: (name: string, maxBytes: number) => Promise<Uint8Array>;
  /** The name to give a model that comes without metadata. */
  fallbackName: string;
}

export interface ImportedModel {
  files: ModelFiles;
  /** What was assumed because the model came without MLP Lab's metadata (shown to the user). */
  assumed: string[];
  /** No metadata.json came with it: its class names and normalisation are placeholders to confirm (withMetadata). */
  metadataMissing: boolean;
}

/**
 * Turns any accepted TensorFlow.js Layers MLP into MLP Lab's own form: a Sequential topology that every
 * tfjs version loads (no "Functional", no batch_shape), one float32 weights.bin, and metadata.
 */
export async function importModel(source: ImportSource): Promise<ImportedModel> {
  const { file } = source;
  const chain = readLayerChain(file, source.modelJson);
  checkWeightsSize(file, chain);
  const outputs = chain.dense[chain.dense.length - 1].units;
  if (outputs > METADATA_LIMITS.classes) {
    throw new ImportError(`${file}: the model has ${outputs} softmax outputs; MLP Lab models have at most ${METADATA_LIMITS.classes} classes`);
  }
  const weights = await decodeWeights(file, (source.modelJson as { weightsManifest?: unknown }).weightsManifest, source.readShard);
  const arrays: Float32Array[] = [];
  const specs: { name: string; shape: number[]; dtype: 'float32' }[] = [];
  const layers: object[] = [];
  let inputs = chain.inputs;
  chain.dense.forEach((layer, i) => {
    const last = i === chain.dense.length - 1;
    const name = last ? 'output' : `hidden_${i + 1}`;
    const kernel = findWeight(file, weights, layer, 'kernel', [inputs, layer.units]);
    arrays.push(kernel);
    specs.push({ name: `${name}/kernel`, shape: [inputs, layer.units], dtype: 'float32' });
    if (layer.useBias) {
      arrays.push(findWeight(file, weights, layer, 'bias', [layer.units]));
      specs.push({ name: `${name}/bias`, shape: [layer.units], dtype: 'float32' });
    }
    layers.push({
      class_name: 'Dense',
      config: {
        units: layer.units,
        activation: layer.activation,
        use_bias: layer.useBias,
        name,
        trainable: true,
        dtype: 'float32',
        ...(i === 0 ? { batch_input_shape: [null, chain.inputs] } : {}),
      },
    });
    if (layer.dropout > 0 && !last) layers.push({ class_name: 'Dropout', config: { rate: layer.dropout, name: `dropout_${i + 1}`, trainable: true } });
    inputs = layer.units;
  });
  const { metadata, assumed } = readMetadata(source, chain.dense);
  const total = arrays.reduce((n, a) => n + a.length, 0);
  const buffer = new Float32Array(total);
  let offset = 0;
  for (const a of arrays) {
    buffer.set(a, offset);
    offset += a.length;
  }
  return {
    files: {
      modelJson: {
        modelTopology: {
          class_name: 'Sequential',
          config: { name: 'mlp', layers },
          keras_version: 'tfjs-layers 4.22.0',
          backend: 'tensor_flow.js',
        },
        format: 'layers-model',
        generatedBy: 'MLP Lab import',
        convertedBy: null,
        weightsManifest: [{ paths: [`./${WEIGHTS_FILE}`], weights: specs }],
      },
      weights: buffer.buffer,
      metadata,
    },
    assumed,
    metadataMissing: source.metadata === null,
  };
}

/**
 * weights.bin as written above, sized from the layers before any shard is read: readModelFiles refuses
 * one over READ_LIMITS.weights, which would leave a model in the library that cannot be opened.
 */
function checkWeightsSize(file: string, chain: LayerChain): void {
  let bytes = 0;
  let inputs = chain.inputs;
  for (const layer of chain.dense) {
    bytes += (inputs * layer.units + (layer.useBias ? layer.units : 0)) * 4;
    if (bytes > READ_LIMITS.weights) {
      throw new ImportError(`${file}: layer ${layer.name} (${inputs} inputs, ${layer.units} units) brings ${WEIGHTS_FILE} past the ${READ_LIMITS.weights / 2 ** 20} MiB a model's weights may take`);
    }
    inputs = layer.units;
  }
}

/**
 * Gives a model imported without metadata the class names and normalisation the user chose: one
 * distinct, non-empty name per softmax unit. Messages name the model.json it came from.
 */
export function withMetadata(file: string, files: ModelFiles, choice: { classNames: readonly string[]; normalization: Normalization }): ModelFiles {
  const outputs = files.metadata.classNames.length;
  const names = choice.classNames.map((n) => n.trim());
  if (names.length !== outputs) {
    throw new ImportError(`${file}: ${names.length} class names were given, but the model has ${outputs} softmax outputs`);
  }
  const empty = names.findIndex((n) => n === '');
  if (empty >= 0) throw new ImportError(`${file}: class name ${empty + 1} is empty`);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice !== undefined) throw new ImportError(`${file}: the class name "${twice}" is given twice`);
  if (!NORMALIZATIONS.includes(choice.normalization)) throw new ImportError(`${file}: normalisation "${String(choice.normalization)}" is not one MLP Lab runs`);
  const { metadata } = files;
  return {
    ...files,
    metadata: { ...metadata, classNames: names, normalization: choice.normalization, spec: { ...metadata.spec, normalization: choice.normalization } },
  };
}

/** A Dense layer's kernel or bias: named "<layer>/kernel" itself or under a parent ("model/<layer>/kernel"). */
function findWeight(
  file: string,
  weights: Map<string, { shape: number[]; values: Float32Array }>,
  layer: DenseLayer,
  part: 'kernel' | 'bias',
  shape: number[],
): Float32Array {
  const wanted = `${layer.name}/${part}`;
  const matches = [...weights.entries()].filter(([name]) => name === wanted || name.endsWith(`/${wanted}`));
  if (matches.length !== 1) {
    throw new ImportError(`${file}: weightsManifest has ${matches.length === 0 ? 'no' : 'more than one'} weight ${wanted} for layer ${layer.name}`);
  }
  const [name, weight] = matches[0];
  if (weight.shape.length !== shape.length || weight.shape.some((n, i) => n !== shape[i])) {
    throw new ImportError(`${file}: weight ${name} has shape [${weight.shape.join(', ')}], but layer ${layer.name} needs [${shape.join(', ')}]`);
  }
  return weight.values;
}

function readMetadata(source: ImportSource, dense: DenseLayer[]): { metadata: ModelMetadata; assumed: string[] } {
  const outputs = dense[dense.length - 1].units;
  if (source.metadata !== null) {
    const file = source.file.replace(/model\.json$/, 'metadata.json');
    const parsed = modelMetadataSchema.safeParse(source.metadata);
    if (!parsed.success) throw new ImportError(`${file}: invalid ${firstIssue(parsed.error)}`);
    const metadata = parsed.data;
    if (metadata.classNames.length !== outputs) {
      throw new ImportError(`${file}: classNames lists ${metadata.classNames.length} classes, but the model has ${outputs} outputs`);
    }
    if (metadata.imageShape[0] * metadata.imageShape[1] !== MODEL_INPUTS) throw new ImportError(`${file}: imageShape is not ${MODEL_IMAGE.rows}×${MODEL_IMAGE.cols}`);
    return { metadata, assumed: [] };
  }
  const classNames = Array.from({ length: outputs }, (_, i) => String(i));
  const hidden = dense.slice(0, -1);
  const metadata: ModelMetadata = {
    format: MODEL_FORMAT,
    version: 1,
    name: source.fallbackName.slice(0, METADATA_LIMITS.name),
    datasetId: outputs === DIGIT_CLASSES ? 'mnist' : 'unknown',
    classNames,
    imageShape: [MODEL_IMAGE.rows, MODEL_IMAGE.cols],
    normalization: 'divide255',
    spec: {
      ...DEFAULT_SPEC,
      hiddenLayers: hidden.map((layer) => ({ units: layer.units, activation: layer.activation as Activation, dropout: layer.dropout })),
    },
    metrics: {},
    history: [],
    epochsTrained: 0,
    trainSeconds: 0,
    backend: 'imported',
    created: new Date().toISOString(),
  };
  return {
    metadata,
    assumed: [`class names ${classNames[0]}–${classNames[classNames.length - 1]}`, 'pixels divided by 255', outputs === 10 ? 'the MNIST dataset' : 'no dataset'],
  };
}

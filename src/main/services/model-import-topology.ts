import { ACTIVATIONS, type Activation } from '../../shared/model-spec';

/**
 * Reads the layer chain out of a TensorFlow.js Layers topology, as MLP Lab, tfjs `model.save` and
 * Keras through tensorflowjs_converter write it, without TensorFlow.js: main never loads it. Only a
 * plain MLP is accepted (optional Flatten, then Dense layers with optional Activation and Dropout).
 */

export interface DenseLayer {
  /** The name its weights carry in the manifest. */
  name: string;
  units: number;
  activation: Activation | 'softmax';
  useBias: boolean;
  /** Dropout rate right after it (0 when none). */
  dropout: number;
}

export interface LayerChain {
  /** Values per image the first Dense takes. */
  inputs: number;
  dense: DenseLayer[];
}

export class ImportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportError';
  }
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const MAX_LAYERS = 64;

/** The MLP in `modelJson`; `file` names it in every message. */
export function readLayerChain(file: string, modelJson: unknown): LayerChain {
  const fail = (field: string, problem: string): never => {
    throw new ImportError(`${file}: ${field} ${problem}`);
  };
  if (!isObject(modelJson)) fail('the file', 'is not a JSON object');
  const root = modelJson as Json;
  if (!('modelTopology' in root) || root.modelTopology === null) {
    // tfjs#2455: a weights-only file gives "model_config of null" deep inside the loader.
    fail('modelTopology', 'is missing: this holds weights only; export the whole model (model.save, or tensorflowjs_converter on the full Keras model)');
  }
  let topology = root.modelTopology;
  if (isObject(topology) && 'model_config' in topology) {
    if (topology.model_config === null) fail('modelTopology.model_config', 'is null: this holds weights only, not the model');
    topology = topology.model_config;
  }
  if (!isObject(topology)) return fail('modelTopology', 'is not an object');
  const className = topology.class_name;
  // tfjs#3786/#8178: Keras 2.4+ names a functional model "Functional", which older loaders do not know.
  if (className !== 'Sequential' && className !== 'Functional' && className !== 'Model') {
    fail('modelTopology.class_name', `is ${JSON.stringify(className)}, not Sequential or Functional`);
  }
  const config = topology.config;
  const layers = Array.isArray(config) ? config : isObject(config) ? config.layers : undefined;
  if (!Array.isArray(layers) || layers.length === 0) return fail('modelTopology.config.layers', 'is missing or empty');
  if (layers.length > MAX_LAYERS) fail('modelTopology.config.layers', `has ${layers.length} layers, more than ${MAX_LAYERS}`);
  if (className !== 'Sequential') checkChain(file, layers);

  let inputShape: number[] | null = null;
  let flattened = false;
  const dense: DenseLayer[] = [];
  layers.forEach((layer: unknown, i) => {
    const at = `layer ${i + 1}`;
    if (!isObject(layer) || !isObject(layer.config)) return fail(at, 'is not an object with a config');
    const layerClass = String(layer.class_name);
    const c = layer.config;
    const name = typeof c.name === 'string' ? c.name : typeof layer.name === 'string' ? layer.name : `layer_${i + 1}`;
    const label = `layer ${name} (${layerClass})`;
    // Keras 2 writes batch_input_shape, Keras 3 batch_shape (tfjs#8494), both with a leading null.
    const declared = c.batch_input_shape ?? c.batch_shape;
    if (declared !== undefined && declared !== null) {
      if (dense.length > 0 || inputShape) fail(label, 'declares an input shape after the model input');
      inputShape = readShape(file, `${label} ${c.batch_input_shape !== undefined ? 'batch_input_shape' : 'batch_shape'}`, declared);
    }
    switch (layerClass) {
      case 'InputLayer':
        if (!inputShape) fail(label, 'has no batch_input_shape or batch_shape');
        return;
      case 'Flatten':
        if (dense.length > 0) fail(label, 'comes after a Dense layer: not an MLP that MLP Lab can run');
        flattened = true;
        return;
      case 'Dropout': {
        const rate = Number(c.rate);
        if (!(rate >= 0 && rate < 1)) fail(`${label} rate`, `is ${JSON.stringify(c.rate)}, not in [0, 1)`);
        if (dense.length > 0) dense[dense.length - 1].dropout = rate;
        return;
      }
      case 'Activation': {
        const last = dense[dense.length - 1];
        if (!last) return fail(label, 'comes before any Dense layer');
        if (last.activation !== 'linear') fail(label, `follows ${last.name}, which already applies ${last.activation}`);
        last.activation = readActivation(file, `${label} activation`, c.activation);
        return;
      }
      case 'Dense': {
        if (!inputShape) fail(label, 'has no input shape (batch_input_shape or batch_shape), and no InputLayer comes first');
        const units = c.units;
        if (!Number.isInteger(units) || (units as number) < 1 || (units as number) > 100_000) {
          fail(`${label} units`, `is ${JSON.stringify(units)}, not a whole number from 1 to 100000`);
        }
        if (dense.length > 0 && dense[dense.length - 1].activation === 'softmax') fail(label, 'follows a softmax layer');
        dense.push({
          name,
          units: units as number,
          activation: readActivation(file, `${label} activation`, c.activation ?? 'linear'),
          useBias: c.use_bias !== false,
          dropout: 0,
        });
        return;
      }
      default:
        fail('not an MLP that MLP Lab can run:', label);
    }
  });
  if (!inputShape || dense.length === 0) return fail('modelTopology', 'has no Dense layer');
  const shape = inputShape as number[];
  if (shape.length > 1 && !flattened) fail('the input', `is ${shape.join('×')} with no Flatten layer before the first Dense`);
  const inputs = shape.reduce((a, b) => a * b, 1);
  if (inputs !== 784) fail('the input', `is ${inputs} values (${shape.join('×')}); MLP Lab takes 28×28 images, 784 values`);
  const output = dense[dense.length - 1];
  if (output.activation !== 'softmax') fail(`the output layer ${output.name}`, `applies ${output.activation}, not softmax`);
  return { inputs, dense };
}

/** A Functional model is accepted when it is a chain: each layer reads the one before it. */
function checkChain(file: string, layers: unknown[]): void {
  let previous: string | null = null;
  for (const layer of layers) {
    if (!isObject(layer)) continue;
    const name = String(layer.name ?? (isObject(layer.config) ? layer.config.name : ''));
    const sources = inboundNames(layer.inbound_nodes);
    if (previous !== null && (sources.length !== 1 || sources[0] !== previous)) {
      throw new ImportError(`${file}: layer ${name} reads ${sources.join(', ') || 'nothing'}, not ${previous}: not a chain of layers (an MLP)`);
    }
    previous = name;
  }
}

/** Layer names a Keras 2 (`[[["dense", 0, 0, {}]]]`) or Keras 3 (`[{args: [{config: {keras_history}}]}]`) node list reads. */
function inboundNames(nodes: unknown): string[] {
  if (!Array.isArray(nodes)) return [];
  const names: string[] = [];
  for (const node of nodes) {
    if (Array.isArray(node)) {
      for (const entry of node) if (Array.isArray(entry) && typeof entry[0] === 'string') names.push(entry[0]);
    } else if (isObject(node) && Array.isArray(node.args)) {
      for (const arg of node.args) {
        const history = isObject(arg) && isObject(arg.config) ? arg.config.keras_history : undefined;
        if (Array.isArray(history) && typeof history[0] === 'string') names.push(history[0]);
      }
    }
  }
  return names;
}

function readShape(file: string, field: string, value: unknown): number[] {
  if (!Array.isArray(value) || value.length < 2 || value.length > 4 || value[0] !== null) {
    throw new ImportError(`${file}: ${field} is ${JSON.stringify(value)?.slice(0, 80)}, not [null, …sizes]`);
  }
  const sizes = value.slice(1);
  if (!sizes.every((n) => Number.isInteger(n) && n > 0 && n <= 100_000)) {
    throw new ImportError(`${file}: ${field} has sizes ${JSON.stringify(sizes)}, not positive whole numbers`);
  }
  // A trailing channel of 1 (28×28×1) is the same 784 values.
  return sizes.length === 3 && sizes[2] === 1 ? sizes.slice(0, 2) : sizes;
}

function readActivation(file: string, field: string, value: unknown): Activation | 'softmax' {
  if (value === 'softmax' || (ACTIVATIONS as readonly unknown[]).includes(value)) return value as Activation | 'softmax';
  throw new ImportError(`${file}: ${field} is ${JSON.stringify(value)?.slice(0, 60)}; MLP Lab runs ${ACTIVATIONS.join(', ')} and softmax`);
}

import { z } from 'zod';
import { ACTIVATIONS, type Activation } from '../../shared/model-spec';

/**
 * Reads the layer chain out of a TensorFlow.js Layers topology, as MLP Lab, tfjs `model.save` and
 * Keras through tensorflowjs_converter write it, without TensorFlow.js: main never loads it. Only a
 * plain MLP is accepted (optional Flatten, then Dense layers with optional Activation and Dropout).
 * What each layer may hold is a zod schema; the order the layers come in is checked after it.
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
/** The most units a layer, or values an input dimension, may have. */
const MAX_SIZE = 100_000;
/** Values per image MLP Lab's models take: 28×28. */
const INPUT_VALUES = 784;
/** A refused value as its message shows it: JSON, cut short (the file is hostile). */
const show = (value: unknown, max = 80): string => String(JSON.stringify(value)?.slice(0, max));
/** The message of a layer whose class no MLP has; the field it names is the layer itself. */
const NOT_AN_MLP = 'not an MLP that MLP Lab can run:';

const isSize = (n: unknown): boolean => Number.isInteger(n) && (n as number) > 0 && (n as number) <= MAX_SIZE;

/** Keras 2's batch_input_shape or Keras 3's batch_shape (tfjs#8494): [null, …sizes], as the sizes. */
const batchShape = z
  .custom<[null, ...number[]]>((v) => Array.isArray(v) && v.length >= 2 && v.length <= 4 && v[0] === null, {
    error: (issue) => `is ${show(issue.input)}, not [null, …sizes]`,
  })
  .refine((v) => v.slice(1).every(isSize), { error: (issue) => `has sizes ${show((issue.input as unknown[]).slice(1))}, not positive whole numbers` })
  // A trailing channel of 1 (28×28×1) is the same 784 values.
  .transform((v) => {
    const sizes = v.slice(1) as number[];
    return sizes.length === 3 && sizes[2] === 1 ? sizes.slice(0, 2) : sizes;
  });

const activation = z.enum([...ACTIVATIONS, 'softmax'], {
  error: (issue) => `is ${show(issue.input, 60)}; MLP Lab runs ${ACTIVATIONS.join(', ')} and softmax`,
});

/** Every layer's config: its name and, on the first, the input shape. */
const layerConfig = z.looseObject({ name: z.unknown().optional(), batch_input_shape: batchShape.nullish(), batch_shape: batchShape.nullish() });

const layerOf = <C extends string, S extends z.ZodRawShape>(className: C, config: S) =>
  z.looseObject({ class_name: z.literal(className), name: z.unknown().optional(), config: layerConfig.extend(config) });

const layerSchema = z.discriminatedUnion(
  'class_name',
  [
    layerOf('InputLayer', {}),
    layerOf('Flatten', {}),
    layerOf('Dropout', {
      // Number(): a rate written as a string is still a rate.
      rate: z.unknown().optional().refine((v) => Number(v) >= 0 && Number(v) < 1, { error: (issue) => `is ${show(issue.input)}, not in [0, 1)` }).transform(Number),
    }),
    layerOf('Activation', { activation }),
    layerOf('Dense', {
      units: z.unknown().optional().refine(isSize, { error: (issue) => `is ${show(issue.input)}, not a whole number from 1 to ${MAX_SIZE}` }).transform(Number),
      activation: activation.nullish().transform((a) => a ?? 'linear'),
      use_bias: z.unknown().optional().transform((v) => v !== false),
    }),
  ],
  { error: NOT_AN_MLP },
);
type Layer = z.infer<typeof layerSchema>;

/** A model's config is its layer list (Sequential in old Keras) or holds it (`config.layers`). */
const layersOf = (config: unknown): unknown => (Array.isArray(config) ? config : isObject(config) ? config.layers : undefined);

const topologySchema = z.object(
  {
    // tfjs#3786/#8178: Keras 2.4+ names a functional model "Functional", which older loaders do not know.
    class_name: z.enum(['Sequential', 'Functional', 'Model'], { error: (issue) => `is ${show(issue.input)}, not Sequential or Functional` }),
    config: z.preprocess(
      layersOf,
      z
        .array(z.unknown(), { error: 'is missing or empty' })
        .min(1, { error: 'is missing or empty' })
        .max(MAX_LAYERS, { error: (issue) => `has ${(issue.input as unknown[]).length} layers, more than ${MAX_LAYERS}` })
        // Each layer only once the count is known to be bounded.
        .pipe(z.array(layerSchema)),
    ),
  },
  { error: 'is not an object' },
);

/** The MLP in `modelJson`; `file` names it in every message. */
export function readLayerChain(file: string, modelJson: unknown): LayerChain {
  const topology = topologyOf(file, modelJson);
  const parsed = topologySchema.safeParse(topology);
  if (!parsed.success) throw new ImportError(`${file}: ${describeIssue(parsed.error.issues[0], topology)}`);
  const { class_name: className, config: layers } = parsed.data;
  if (className !== 'Sequential') checkChain(file, layers);
  return assembleChain(file, layers);
}

/** modelTopology, or inside it model_config when a converter wrapped it. */
function topologyOf(file: string, modelJson: unknown): unknown {
  const fail = (field: string, problem: string): never => {
    throw new ImportError(`${file}: ${field} ${problem}`);
  };
  if (!isObject(modelJson)) return fail('the file', 'is not a JSON object');
  if (modelJson.modelTopology === undefined || modelJson.modelTopology === null) {
    // tfjs#2455: a weights-only file gives "model_config of null" deep inside the loader.
    fail('modelTopology', 'is missing: this holds weights only; export the whole model (model.save, or tensorflowjs_converter on the full Keras model)');
  }
  const topology = modelJson.modelTopology;
  if (!isObject(topology) || !('model_config' in topology)) return topology;
  if (topology.model_config === null) fail('modelTopology.model_config', 'is null: this holds weights only, not the model');
  return topology.model_config;
}

/** A schema issue as "field problem", the field named as a person reads the file: `layer dense_1 (Dense) units`. */
function describeIssue(issue: z.core.$ZodIssue, topology: unknown): string {
  const [section, index, part, field] = issue.path;
  if (section === 'class_name') return `modelTopology.class_name ${issue.message}`;
  if (section !== 'config') return `modelTopology ${issue.message}`;
  if (typeof index !== 'number') return `modelTopology.config.layers ${issue.message}`;
  const raw = (layersOf((topology as Json).config) as unknown[])[index];
  if (!isObject(raw) || !isObject(raw.config)) return `layer ${index + 1} is not an object with a config`;
  const label = `layer ${layerName(raw as { name?: unknown; config: Json }, index)} (${String(raw.class_name)})`;
  if (issue.message === NOT_AN_MLP) return `${NOT_AN_MLP} ${label}`;
  return `${label}${part === 'config' && typeof field === 'string' ? ` ${field}` : ''} ${issue.message}`;
}

function layerName(layer: { name?: unknown; config: { name?: unknown } }, index: number): string {
  const { name } = layer.config;
  return typeof name === 'string' ? name : typeof layer.name === 'string' ? layer.name : `layer_${index + 1}`;
}

/** The Dense layers with their activations and dropout, once the layers come in an order an MLP has. */
function assembleChain(file: string, layers: Layer[]): LayerChain {
  const fail = (field: string, problem: string): never => {
    throw new ImportError(`${file}: ${field} ${problem}`);
  };
  let inputShape: number[] | null = null;
  let flattened = false;
  const dense: DenseLayer[] = [];
  layers.forEach((layer, i) => {
    const name = layerName(layer, i);
    const label = `layer ${name} (${layer.class_name})`;
    const declared = layer.config.batch_input_shape ?? layer.config.batch_shape;
    if (declared) {
      if (dense.length > 0 || inputShape) fail(label, 'declares an input shape after the model input');
      inputShape = declared;
    }
    const last = dense.at(-1);
    switch (layer.class_name) {
      case 'InputLayer':
        if (!inputShape) fail(label, 'has no batch_input_shape or batch_shape');
        return;
      case 'Flatten':
        if (last) fail(label, 'comes after a Dense layer: not an MLP that MLP Lab can run');
        flattened = true;
        return;
      case 'Dropout':
        if (last) last.dropout = layer.config.rate;
        return;
      case 'Activation':
        if (!last) return fail(label, 'comes before any Dense layer');
        if (last.activation !== 'linear') fail(label, `follows ${last.name}, which already applies ${last.activation}`);
        last.activation = layer.config.activation;
        return;
      case 'Dense':
        if (!inputShape) fail(label, 'has no input shape (batch_input_shape or batch_shape), and no InputLayer comes first');
        if (last?.activation === 'softmax') fail(label, 'follows a softmax layer');
        dense.push({ name, units: layer.config.units, activation: layer.config.activation, useBias: layer.config.use_bias, dropout: 0 });
        return;
    }
  });
  const shape = inputShape as number[] | null;
  const output = dense.at(-1);
  if (!shape || !output) return fail('modelTopology', 'has no Dense layer');
  if (shape.length > 1 && !flattened) fail('the input', `is ${shape.join('×')} with no Flatten layer before the first Dense`);
  const inputs = shape.reduce((a, b) => a * b, 1);
  if (inputs !== INPUT_VALUES) fail('the input', `is ${inputs} values (${shape.join('×')}); MLP Lab takes 28×28 images, ${INPUT_VALUES} values`);
  if (output.activation !== 'softmax') fail(`the output layer ${output.name}`, `applies ${output.activation}, not softmax`);
  return { inputs, dense };
}

/** A Functional model is accepted when it is a chain: each layer reads the one before it. */
function checkChain(file: string, layers: readonly (Layer & { inbound_nodes?: unknown })[]): void {
  let previous: string | null = null;
  for (const layer of layers) {
    const name = String(layer.name ?? layer.config.name ?? '');
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

import { parseArgs } from 'node:util';
import { CATALOG_IDS, isCatalogId, type CatalogId } from '../../shared/datasets/catalog';
import {
  ACTIVATIONS,
  DEFAULT_AUGMENT,
  DEFAULT_SPEC,
  LR_SCHEDULES,
  OPTIMIZERS,
  validateSpec,
  type Activation,
  type ModelSpec,
  type OptimizerName,
} from '../../shared/model-spec';
import { PRESETS, findPreset } from '../../shared/presets';
import { TRAINING_BACKENDS, type TrainingBackendName } from '../../shared/backend';

const BACKEND_NAMES = TRAINING_BACKENDS;

export class UsageError extends Error {
  override name = 'UsageError';
}

export interface TrainCommand {
  presetId: string | null;
  spec: ModelSpec;
  dataset: CatalogId;
  dataDir: string | null;
  outDir: string | null;
  summary: boolean;
  json: boolean;
  help: boolean;
  /** A backend to train on without measuring (as MLP_LAB_BACKEND, which it overrides), or null. */
  backend: TrainingBackendName | null;
  /** Where the backend measurements are cached between runs, or null: measure every run. */
  cacheDir: string | null;
}

const OPTIONS = {
  preset: { type: 'string' },
  hidden: { type: 'string' },
  activation: { type: 'string' },
  dropout: { type: 'string' },
  optimizer: { type: 'string' },
  lr: { type: 'string' },
  'lr-schedule': { type: 'string' },
  momentum: { type: 'string' },
  nesterov: { type: 'string' },
  l2: { type: 'string' },
  'batch-size': { type: 'string' },
  epochs: { type: 'string' },
  validation: { type: 'string' },
  normalize: { type: 'string' },
  subset: { type: 'string' },
  augment: { type: 'boolean' },
  seed: { type: 'string' },
  dataset: { type: 'string' },
  'data-dir': { type: 'string' },
  out: { type: 'string' },
  backend: { type: 'string' },
  'cache-dir': { type: 'string' },
  summary: { type: 'boolean' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const HELP = `Usage: npm run train -- [options]

Trains an MLP with TensorFlow.js and reports test accuracy. Explicit flags override the preset.

Model and training
  --preset NAME          start from a preset: ${PRESETS.map((p) => p.id).join(', ')}
  --hidden 64,32         hidden layer sizes, comma-separated (empty string: no hidden layer)
  --activation NAME      hidden activation: ${ACTIVATIONS.join(', ')}  (default relu)
  --dropout R            dropout after every hidden layer, 0–0.9  (default 0)
  --optimizer NAME       ${OPTIMIZERS.join(', ')}  (default ${DEFAULT_SPEC.optimizer})
  --lr X                 learning rate  (default ${DEFAULT_SPEC.learningRate})
  --lr-schedule NAME     constant, or cosine: decay to 0 over the run  (default constant)
  --momentum X           SGD momentum, 0–0.999  (default 0)
  --nesterov on|off      Nesterov momentum for SGD  (default off)
  --l2 X                 L2 penalty λ: loss += λ·Σw² over kernels  (default 0)
  --batch-size N         (default ${DEFAULT_SPEC.batchSize})
  --epochs N             (default ${DEFAULT_SPEC.epochs})
  --validation F|test    hold out fraction F of the training set (0 = none), or validate on the test set
                         (default ${DEFAULT_SPEC.validation})
  --normalize 255|unit   divide pixels by 255, or scale each image to unit length  (default 255)
  --subset N             train on the first N training images only
  --augment              random shifts (±${DEFAULT_AUGMENT.maxShift} px), rotations (±${DEFAULT_AUGMENT.maxRotation}°) and scaling (±${DEFAULT_AUGMENT.maxScale * 100}%)
  --seed N               same seed + same backend → same result  (default ${DEFAULT_SPEC.seed})

Data and output
  --dataset ID           ${CATALOG_IDS.join(', ')}  (default: the preset's, else mnist, bundled)
  --data-dir DIR         folder with the dataset's four IDX files (.gz or raw); required for datasets
                         that are not bundled
  --out DIR              save the trained model (model.json, weights.bin, metadata.json) to DIR: a new
                         or empty folder, or a saved model's folder to replace
  --backend NAME         train on kernel, tensorflow (tfjs-node), wasm or cpu, without measuring which is faster
  --cache-dir DIR        keep the backend measurements in DIR/backend-choice.json for the next runs
                         (default: measure each run, about a second)
  --summary              print the model summary and exit without training
  --json                 end with one line of JSON: dataset, preset, backend, backendChoice (how it was
                         chosen, each backend's measured samples/s), params, epochs, trainSeconds,
                         samplesPerSecond, trainAccuracy, testAccuracy, testLoss, stepper (kernel|tfjs),
                         stepperDetail (the kernel's build and threads, and why one thread when one),
                         kernelFallback (why the kernel was wanted but not used, or null)
  -h, --help             this help

Backend: every training backend there is takes part: the training kernel (one WebAssembly call per
batch), tfjs-node (installed by npm run native:install) and wasm. A few steps of this model are timed on
each and the fastest trains; --backend or MLP_LAB_BACKEND=kernel|tensorflow|wasm|cpu forces one
(tensorflow, wasm or cpu also rule the kernel out). The kernel splits a big enough step across one
thread per physical core; MLP_LAB_KERNEL_THREADS=N (1-8) sets the count.
Ctrl+C stops after the current batch, then evaluates and saves (with --out); press it twice to quit at once.`;

export function parseTrainArgs(argv: string[]): TrainCommand {
  let values: ReturnType<typeof parseArgs<{ options: typeof OPTIONS }>>['values'];
  try {
    ({ values } = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: false }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const presetId = values.preset ?? null;
  const preset = presetId === null ? undefined : findPreset(presetId);
  if (presetId !== null && !preset) {
    throw new UsageError(`unknown preset "${presetId}"; choose one of ${PRESETS.map((p) => p.id).join(', ')}`);
  }
  const spec: ModelSpec = structuredClone(preset?.spec ?? DEFAULT_SPEC);

  if (values.hidden !== undefined) {
    const sizes = values.hidden.trim() === '' ? [] : values.hidden.split(',').map((s) => integer('--hidden', s));
    const template = spec.hiddenLayers[0] ?? { units: 0, activation: 'relu' as Activation, dropout: 0 };
    spec.hiddenLayers = sizes.map((units) => ({ ...template, units }));
  }
  if (values.activation !== undefined) {
    const activation = oneOf('--activation', values.activation, ACTIVATIONS);
    spec.hiddenLayers.forEach((l) => (l.activation = activation));
  }
  if (values.dropout !== undefined) {
    const rate = number('--dropout', values.dropout);
    spec.hiddenLayers.forEach((l) => (l.dropout = rate));
  }
  if (values.optimizer !== undefined) {
    spec.optimizer = oneOf('--optimizer', values.optimizer, OPTIMIZERS) as OptimizerName;
    // A preset's SGD momentum does not carry over to another optimizer.
    if (spec.optimizer !== 'sgd') Object.assign(spec, { momentum: 0, nesterov: false });
  }
  if (values.lr !== undefined) spec.learningRate = number('--lr', values.lr);
  if (values['lr-schedule'] !== undefined) spec.lrSchedule = oneOf('--lr-schedule', values['lr-schedule'], LR_SCHEDULES);
  if (values.momentum !== undefined) {
    spec.momentum = number('--momentum', values.momentum);
    if (spec.momentum === 0) spec.nesterov = false;
  }
  if (values.nesterov !== undefined) spec.nesterov = oneOf('--nesterov', values.nesterov, ['on', 'off']) === 'on';
  if (values.l2 !== undefined) spec.l2 = number('--l2', values.l2);
  if (values['batch-size'] !== undefined) spec.batchSize = integer('--batch-size', values['batch-size']);
  if (values.epochs !== undefined) spec.epochs = integer('--epochs', values.epochs);
  if (values.validation !== undefined) {
    spec.validation = values.validation === 'test' ? 'test' : number('--validation', values.validation);
  }
  if (values.normalize !== undefined) {
    spec.normalization = oneOf('--normalize', values.normalize, ['255', 'unit']) === 'unit' ? 'unit' : 'divide255';
  }
  if (values.subset !== undefined) spec.trainSubset = integer('--subset', values.subset);
  if (values.augment) spec.augment = { ...DEFAULT_AUGMENT };
  if (values.seed !== undefined) spec.seed = integer('--seed', values.seed);

  const problems = validateSpec(spec);
  if (problems.length > 0) throw new UsageError(problems.join('; '));

  // A preset names the dataset it was made for (keras-two-layers is Fashion-MNIST); --dataset overrides it.
  const dataset = values.dataset ?? preset?.dataset ?? 'mnist';
  if (!isCatalogId(dataset)) throw new UsageError(`unknown dataset "${dataset}"; choose one of ${CATALOG_IDS.join(', ')}`);
  return {
    presetId,
    spec,
    dataset,
    dataDir: values['data-dir'] ?? null,
    outDir: values.out ?? null,
    summary: values.summary ?? false,
    json: values.json ?? false,
    help: values.help ?? false,
    backend: values.backend === undefined ? null : oneOf('--backend', values.backend, BACKEND_NAMES),
    cacheDir: values['cache-dir'] === undefined ? null : nonEmpty('--cache-dir', values['cache-dir']),
  };
}

function nonEmpty(flag: string, text: string): string {
  if (text.trim() === '') throw new UsageError(`${flag} needs a folder`);
  return text;
}

function number(flag: string, text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) throw new UsageError(`${flag} needs a number (got "${text}")`);
  return value;
}

function integer(flag: string, text: string): number {
  const value = number(flag, text);
  if (!Number.isInteger(value)) throw new UsageError(`${flag} needs a whole number (got "${text}")`);
  return value;
}

function oneOf<T extends string>(flag: string, text: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(text)) {
    throw new UsageError(`${flag} must be one of ${allowed.join(', ')} (got "${text}")`);
  }
  return text as T;
}

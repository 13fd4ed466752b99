import { DATASETS, isCatalogId, type DatasetId } from '$shared/datasets/catalog';
import { catalogSummary, type DatasetSummary } from '$shared/datasets/dataset-summary';
import { LIMITS, validateSpec, type HiddenLayerSpec, type ModelSpec, type OptimizerName } from '$shared/model-spec';
import { summarizeSpec } from '$shared/model-summary';
import { MNIST_SIZE } from '$shared/preprocess/mnist-preprocess';
import { findPreset, PRESETS, type Preset } from '$shared/presets';
import { fieldErrors } from './field-checks';

export const DEFAULT_PRESET = 'sklearn-exercise';

const preset = (id: string): Preset => findPreset(id) ?? findPreset(DEFAULT_PRESET)!;
/** The training-set size the field checks assume before the dataset is known: no count is refused as too large. */
const UNKNOWN_TRAIN_COUNT = 1_000_000_000;
/** The class count assumed for a dataset not listed yet (MNIST's). */
export const ASSUMED_CLASSES = 10;

/**
 * What the Train panel's settings edit: the preset they started from, the model spec and the dataset,
 * with what follows from them (problems, the Keras-style summary, whether the preset was modified).
 */
export class SpecEditor {
  presetId = $state(DEFAULT_PRESET);
  spec = $state<ModelSpec>(structuredClone(preset(DEFAULT_PRESET).spec));
  datasetId = $state<DatasetId>(preset(DEFAULT_PRESET).dataset);
  /** The datasets main knows of; empty until it has said. */
  datasets = $state.raw<readonly DatasetSummary[]>([]);

  readonly #locked: () => boolean;

  /** The chosen dataset as main listed it; until main has said, a catalog one is taken as it ships. */
  readonly dataset = $derived<DatasetSummary | null>(
    this.datasets.find((d) => d.id === this.datasetId) ??
      (isCatalogId(this.datasetId) ? catalogSummary(this.datasetId, DATASETS[this.datasetId].bundled) : null),
  );
  readonly problems = $derived(validateSpec(this.spec));
  readonly summary = $derived(
    summarizeSpec(this.spec, MNIST_SIZE * MNIST_SIZE, this.dataset?.classNames.length ?? ASSUMED_CLASSES),
  );
  /** Each typed-in field's problem, in its own words (see field-checks.ts). */
  readonly fieldErrors = $derived(fieldErrors(this.spec, this.dataset?.counts.train ?? UNKNOWN_TRAIN_COUNT));
  readonly preset = $derived(preset(this.presetId));
  readonly modified = $derived(
    this.datasetId !== this.preset.dataset || JSON.stringify(this.spec) !== JSON.stringify(this.preset.spec),
  );
  readonly datasetProblem = $derived.by((): string | null => {
    const dataset = this.dataset;
    if (!dataset) return 'That dataset is no longer on this machine: choose another';
    if (!dataset.available) return `${dataset.displayName} is not downloaded: press Download under Dataset, or choose MNIST`;
    const { rows, cols } = dataset.imageSize;
    // Draw, Gallery and Weights all work on 28×28 images: a model of another size could be used by none.
    if (rows !== MNIST_SIZE || cols !== MNIST_SIZE) {
      return `${dataset.displayName} holds ${rows}×${cols} images; MLP Lab's models take ${MNIST_SIZE}×${MNIST_SIZE}`;
    }
    return null;
  });
  /** The settings can be trained as they are: a valid spec, every field usable, the dataset here. */
  readonly ready = $derived(this.problems.length === 0 && Object.keys(this.fieldErrors).length === 0 && this.datasetProblem === null);

  /** A dataset by id: the chosen one, or one main listed. */
  datasetOf(id: string): DatasetSummary | null {
    return id === this.datasetId ? this.dataset : (this.datasets.find((d) => d.id === id) ?? null);
  }

  /** `locked` says when a preset may not replace the settings (while a run uses them). */
  constructor(locked: () => boolean = () => false) {
    this.#locked = locked;
  }

  /**
   * Where settings that are not a preset's came from (a Re-run), said instead of the preset's
   * description, which a Re-run had left in place.
   */
  origin = $state<string | null>(null);

  /** Takes a recorded run's settings; the preset that has exactly them, if one does, is shown as chosen. */
  adopt(request: { spec: ModelSpec; datasetId: DatasetId; origin?: string }): void {
    this.spec = structuredClone(request.spec);
    this.datasetId = request.datasetId;
    const same = PRESETS.find((p) => p.dataset === request.datasetId && JSON.stringify(p.spec) === JSON.stringify(this.spec));
    if (same) this.presetId = same.id;
    this.origin = same ? null : (request.origin ?? 'Settings from elsewhere, not a preset’s.');
  }

  /** Sets every control from a preset. */
  selectPreset(id: string): void {
    const chosen = findPreset(id);
    if (!chosen || this.#locked()) return;
    this.origin = null;
    this.presetId = chosen.id;
    this.spec = structuredClone(chosen.spec);
    this.datasetId = chosen.dataset;
  }

  /** Momentum and Nesterov belong to SGD: leaving it clears them rather than leaving an invalid spec. */
  setOptimizer(optimizer: OptimizerName): void {
    this.spec.optimizer = optimizer;
    if (optimizer !== 'sgd') {
      this.spec.momentum = 0;
      this.spec.nesterov = false;
    }
  }

  setMomentum(momentum: number): void {
    this.spec.momentum = momentum;
    if (momentum === 0) this.spec.nesterov = false;
  }

  addLayer(): void {
    const layers = this.spec.hiddenLayers;
    if (layers.length >= LIMITS.hiddenLayers.max) return;
    const last = layers[layers.length - 1];
    const layer: HiddenLayerSpec = { units: last?.units ?? 64, activation: last?.activation ?? 'relu', dropout: 0 };
    layers.push(layer);
  }

  removeLayer(index: number): void {
    this.spec.hiddenLayers.splice(index, 1);
  }
}

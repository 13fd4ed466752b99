import { DATASETS, type DatasetId } from '../../../../shared/datasets/catalog';
import type { DatasetSummary } from '../../../../shared/datasets/dataset-summary';
import { LIMITS, validateSpec, type HiddenLayerSpec, type ModelSpec, type OptimizerName } from '../../../../shared/model-spec';
import { summarizeSpec } from '../../../../shared/model-summary';
import { findPreset, type Preset } from '../../../../shared/presets';

export const DEFAULT_PRESET = 'sklearn-exercise';

const preset = (id: string): Preset => findPreset(id) ?? findPreset(DEFAULT_PRESET)!;

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

  readonly problems = $derived(validateSpec(this.spec));
  readonly summary = $derived(summarizeSpec(this.spec, 784, DATASETS[this.datasetId].classNames.length));
  readonly preset = $derived(preset(this.presetId));
  readonly modified = $derived(
    this.datasetId !== this.preset.dataset || JSON.stringify(this.spec) !== JSON.stringify(this.preset.spec),
  );
  readonly datasetProblem = $derived.by((): string | null => {
    const summary = this.datasets.find((d) => d.id === this.datasetId);
    if (!summary || summary.available) return null;
    return `${summary.displayName} is not downloaded: press Download under Dataset, or choose MNIST`;
  });

  /** `locked` says when a preset may not replace the settings (while a run uses them). */
  constructor(locked: () => boolean = () => false) {
    this.#locked = locked;
  }

  /** Sets every control from a preset. */
  selectPreset(id: string): void {
    const chosen = findPreset(id);
    if (!chosen || this.#locked()) return;
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

import type { Api } from '$shared/ipc/contract';
import type { ModelEvaluation } from '$shared/evaluation';
import { QUICK_ROBUSTNESS_IMAGES, type RobustnessResult } from '$shared/robustness';
import { errorText } from '../../app/error-text';
import { Latest } from '../../lib/latest';
import { isCancelled } from './finetune.svelte';

export type RobustnessApi = Pick<Api, 'checkRobustness' | 'listModels'>;

/**
 * The Gallery's robustness check: the evaluated model's accuracy on shifted, turned, scaled and
 * re-centred test images, beside another library model of the same dataset if one is chosen.
 */
export class RobustnessState {
  results = $state.raw<RobustnessResult[] | null>(null);
  running = $state(false);
  error = $state<string | null>(null);
  /**
   * The library model to check beside the active one, by id; the bundled default at first, so
   * augmentation's effect shows. Null checks the active model alone.
   */
  compareWith = $state<string | null>('default');
  /** Library models trained on the evaluated model's dataset, other than the model itself. */
  comparable = $state.raw<readonly { id: string; name: string }[]>([]);
  /** The quick check's few thousand images, or (false) the whole test split. */
  quick = $state(true);

  #api: RobustnessApi | null = null;
  /** A newer evaluation's listing makes an older one's stale. */
  readonly #listing = new Latest();
  readonly #onEnd: () => void;

  /** `onEnd` runs after every check, however it ended. */
  constructor(onEnd: () => void = () => undefined) {
    this.#onEnd = onEnd;
  }

  connect(api: RobustnessApi): () => void {
    this.#api = api;
    return () => {
      this.#api = null;
    };
  }

  /** A new evaluation: the last check's results go, and the models it can be compared with are listed again. */
  async evaluated(evaluation: ModelEvaluation): Promise<void> {
    this.results = null;
    const api = this.#api;
    if (!api) return;
    const request = this.#listing.next();
    try {
      const { models } = await api.listModels();
      if (!request.current) return;
      this.comparable = models
        .filter((m) => m.datasetId === evaluation.datasetId && m.id !== evaluation.modelId)
        .map(({ id, name }) => ({ id, name }));
    } catch (error) {
      this.error = `Could not list the saved models: ${errorText(error)}`;
    }
  }

  async check(): Promise<void> {
    const api = this.#api;
    if (!api || this.running) return;
    this.running = true;
    this.error = null;
    try {
      this.results = await api.checkRobustness({
        compareWith: this.comparable.some((m) => m.id === this.compareWith) ? this.compareWith : null,
        images: this.quick ? QUICK_ROBUSTNESS_IMAGES : null,
      });
    } catch (error) {
      if (!isCancelled(error)) this.error = errorText(error);
    } finally {
      this.running = false;
      this.#onEnd();
    }
  }
}

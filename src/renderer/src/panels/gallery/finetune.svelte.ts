import type { Api } from '../../../../shared/ipc/contract';
import { DEFAULT_FINETUNE, FEW_SAMPLES, type FinetuneResult } from '../../../../shared/handwriting/finetune';
import type { LibraryModel } from '../../../../shared/models';

export type FinetuneApi = Pick<Api, 'finetuneHandwriting' | 'keepFinetuned' | 'discardFinetuned'>;

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Classes (0..9) with fewer saved samples than FEW_SAMPLES, whose held-out figures say little. */
export function sparseClasses(counts: readonly number[]): number[] {
  return counts.flatMap((n, digit) => (n < FEW_SAMPLES ? [digit] : []));
}

/**
 * Fine-tuning the active model on your handwriting: the settings, the before/after figures, and what
 * became of the new model (kept, made active or discarded). Lives in the Gallery's state, beside the
 * evaluation on your handwriting it follows.
 */
export class FinetuneState {
  share = $state(DEFAULT_FINETUNE.share);
  epochs = $state(DEFAULT_FINETUNE.epochs);
  augment = $state(DEFAULT_FINETUNE.augment);
  seed = $state(DEFAULT_FINETUNE.seed);
  running = $state(false);
  result = $state.raw<FinetuneResult | null>(null);
  error = $state<string | null>(null);
  /** What happened to the result's model: null while it waits for a decision. */
  outcome = $state.raw<{ kind: 'kept' | 'active' | 'discarded'; model: LibraryModel | null } | null>(null);

  /** Held-out drawings the fine-tuned model still gets wrong. */
  readonly stillWrong = $derived(this.result?.heldOut.filter((h) => h.after !== h.label) ?? []);

  #api: FinetuneApi | null = null;

  connect(api: FinetuneApi): () => void {
    this.#api = api;
    return () => {
      this.#api = null;
    };
  }

  async run(): Promise<void> {
    const api = this.#api;
    if (!api || this.running) return;
    this.running = true;
    this.error = null;
    try {
      // A result nobody decided on is dropped in main too, so it does not wait there for ever.
      if (this.result && !this.outcome) await api.discardFinetuned({ token: this.result.token }).catch(() => undefined);
      this.result = null;
      this.outcome = null;
      this.result = await api.finetuneHandwriting({ share: this.share, epochs: this.epochs, augment: this.augment, seed: this.seed });
    } catch (error) {
      this.error = errorText(error);
    } finally {
      this.running = false;
    }
  }

  /** Adds the fine-tuned model to the library; `activate` also makes it the active model. */
  async keep(activate: boolean): Promise<void> {
    const api = this.#api;
    const result = this.result;
    if (!api || !result || this.outcome) return;
    try {
      const model = await api.keepFinetuned({ token: result.token, activate });
      this.outcome = { kind: activate ? 'active' : 'kept', model };
    } catch (error) {
      this.error = errorText(error);
    }
  }

  async discard(): Promise<void> {
    const api = this.#api;
    const result = this.result;
    if (!api || !result || this.outcome) return;
    try {
      await api.discardFinetuned({ token: result.token });
      this.outcome = { kind: 'discarded', model: null };
    } catch (error) {
      this.error = errorText(error);
    }
  }
}

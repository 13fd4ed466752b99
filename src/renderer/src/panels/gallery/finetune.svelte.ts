import type { Api } from '$shared/ipc/contract';
import { DEFAULT_FINETUNE, FEW_SAMPLES, type FinetuneResult } from '$shared/handwriting/finetune';
import type { LibraryModel } from '$shared/models';
import { errorText } from '../../app/error-text';

export type FinetuneApi = Pick<Api, 'finetuneHandwriting' | 'keepFinetuned' | 'discardFinetuned' | 'cancelEvaluation'>;

/** A worker job ended by evaluation:cancel (or by a newer job) rejects with "… was cancelled." */
export const isCancelled = (error: unknown): boolean => /cancelled/i.test(errorText(error));

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
  /** The last run ended by Cancel (or by another job taking the worker), not by a failure. */
  cancelled = $state(false);
  /** A keep or discard is waiting for main: a second click would find the result gone. */
  deciding = $state(false);
  result = $state.raw<FinetuneResult | null>(null);
  error = $state<string | null>(null);
  /** What happened to the result's model: null while it waits for a decision. */
  outcome = $state.raw<{ kind: 'kept' | 'active' | 'discarded'; model: LibraryModel | null } | null>(null);

  /**
   * What is wrong with the typed settings, said at their fields: −1 epochs had reached main and come
   * back as its raw "invalid argument at 0.epochs".
   */
  readonly problems = $derived.by(() => {
    const whole = (v: unknown, min: number, max: number): boolean => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
    return {
      epochs: whole(this.epochs, 1, 20) ? null : 'Epochs: enter a whole number from 1 to 20.',
      seed: whole(this.seed, 0, 2147483647) ? null : 'Seed: enter a whole number, such as 1.',
    };
  });
  readonly valid = $derived(this.problems.epochs === null && this.problems.seed === null);

  /** Held-out drawings the fine-tuned model still gets wrong. */
  readonly stillWrong = $derived(this.result?.heldOut.filter((h) => h.after !== h.label) ?? []);

  #api: FinetuneApi | null = null;

  /** `onEnd` runs after every run, however it ended: the Gallery's evaluation waits for the worker until then. */
  constructor(private readonly onEnd: () => void = () => undefined) {}

  connect(api: FinetuneApi): () => void {
    this.#api = api;
    return () => {
      this.#api = null;
    };
  }

  async run(): Promise<void> {
    const api = this.#api;
    if (!api || this.running || this.deciding || !this.valid) return;
    this.running = true;
    this.cancelled = false;
    this.error = null;
    try {
      // A result nobody decided on is dropped in main too, so it does not wait there for ever.
      if (this.result && !this.outcome) await api.discardFinetuned({ token: this.result.token }).catch(() => undefined);
      this.result = null;
      this.outcome = null;
      this.result = await api.finetuneHandwriting({ share: this.share, epochs: this.epochs, augment: this.augment, seed: this.seed });
    } catch (error) {
      if (isCancelled(error)) this.cancelled = true;
      else this.error = errorText(error);
    } finally {
      this.running = false;
      this.onEnd();
    }
  }

  /** Ends the fine-tune in progress; its run then ends as cancelled. */
  async cancel(): Promise<void> {
    const api = this.#api;
    if (!api || !this.running) return;
    try {
      await api.cancelEvaluation();
    } catch (error) {
      this.error = `Could not cancel the fine-tune: ${errorText(error)}`;
    }
  }

  /** Adds the fine-tuned model to the library; `activate` also makes it the active model. */
  async keep(activate: boolean): Promise<void> {
    await this.#decide(async (api, token) => {
      const model = await api.keepFinetuned({ token, activate });
      this.outcome = { kind: activate ? 'active' : 'kept', model };
    });
  }

  async discard(): Promise<void> {
    await this.#decide(async (api, token) => {
      await api.discardFinetuned({ token });
      this.outcome = { kind: 'discarded', model: null };
    });
  }

  async #decide(work: (api: FinetuneApi, token: string) => Promise<void>): Promise<void> {
    const api = this.#api;
    const result = this.result;
    if (!api || !result || this.outcome || this.deciding) return;
    this.deciding = true;
    this.error = null;
    try {
      await work(api, result.token);
    } catch (error) {
      this.error = errorText(error);
    } finally {
      this.deciding = false;
    }
  }
}

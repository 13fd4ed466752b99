import type { ModelSpec } from '$shared/model-spec';

export interface SpecRequest {
  spec: ModelSpec;
  datasetId: string;
  /** Where the settings come from, for the Train panel to say instead of a preset's description. */
  origin?: string;
}

/** Says why the settings could not be taken (training is running), or null once they were. */
export type SpecReceiver = (request: SpecRequest) => string | null;

/**
 * Hands a run's settings from the Runs panel to the Train panel (panels never import each other). The
 * Train state registers as the receiver when it is made; a request made before that waits in `pending`
 * and is handed over on registration.
 */
export class SpecHandoff {
  pending = $state.raw<SpecRequest | null>(null);
  #receiver: SpecReceiver | null = null;
  #current: (() => SpecRequest) | null = null;

  /** The Train panel says how to read its settings as they stand (a sweep varies them). */
  provide(current: () => SpecRequest): void {
    this.#current = current;
  }

  /** A copy of the Train panel's settings as they stand, or null before it exists. */
  current(): SpecRequest | null {
    return this.#current ? structuredClone($state.snapshot(this.#current())) : null;
  }

  receive(receiver: SpecReceiver): void {
    this.#receiver = receiver;
    const waiting = this.pending;
    if (waiting && receiver(waiting) === null) this.pending = null;
  }

  /** Offers the settings to the Train panel; its problem with them, or null when it took them. */
  offer(request: SpecRequest): string | null {
    const copy = structuredClone(request);
    if (!this.#receiver) {
      this.pending = copy;
      return null;
    }
    return this.#receiver(copy);
  }
}

/** A request's claim on being the newest; `current` turns false once a newer one has begun. */
export interface Ticket {
  readonly current: boolean;
}

/**
 * "Latest request wins": of overlapping requests, only the newest one's answer is used, so a slow old
 * answer never overwrites a newer one. A request either takes a ticket (`next`) or is named by an id
 * main gave it (`claim`, e.g. a training run's), whose events are then the only ones that count.
 */
export class Latest<Id = string> {
  #current: Id | symbol | null = null;

  /** Begins a request: every earlier ticket and claimed id stops being current. */
  next(): Ticket {
    const mine = Symbol('request');
    this.#current = mine;
    const latest = this;
    return {
      get current(): boolean {
        return latest.#current === mine;
      },
    };
  }

  /** Makes the request main named `id` the newest (an id is current until something newer begins). */
  claim(id: Id): void {
    this.#current = id;
  }

  /** Whether `id` names the newest request. */
  holds(id: Id): boolean {
    return this.#current === id;
  }

  /** No request is current any more: answers still on their way are all dropped. */
  drop(): void {
    this.#current = null;
  }
}

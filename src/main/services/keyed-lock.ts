/**
 * Runs tasks one at a time per key, in the order they were asked for; different keys run side by side.
 * The model library keys it by model id: a rename reads then writes the folder, a delete moves it to the
 * trash, and with nothing ordering the two a delete could answer true while the rename wrote it back.
 */
export class KeyedLock {
  /** The tail of each key's queue; gone once the key's last task ends, so the map stays small. */
  private readonly tails = new Map<string, Promise<unknown>>();

  /** Runs `task` after every task already queued for `key`; its result or error is the caller's. */
  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const before = this.tails.get(key) ?? Promise.resolve();
    // A failed task must not stop the ones queued behind it.
    const result = before.then(task, task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** True while a task of `key` runs or waits (for tests and for debris checks). */
  isHeld(key: string): boolean {
    return this.tails.has(key);
  }
}

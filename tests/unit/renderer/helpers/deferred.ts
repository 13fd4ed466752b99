/** A promise with its resolve and reject at hand: a fake API call the test settles when it chooses. */
export interface Deferred<T = void> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: Error): void;
}

export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

/** Lets pending promise callbacks and timers of 0 ms run. */
export const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * Promise.all for reads whose failures are shown to people: it waits for every promise and rethrows
 * the first failure in argument order. Promise.all rejects with whichever failure came first in time,
 * so the same broken folder would be explained by a different file from one run to the next.
 */
export async function allInOrder<T extends readonly unknown[]>(promises: { readonly [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const settled = await Promise.allSettled(promises);
  const values: unknown[] = [];
  for (const result of settled) {
    if (result.status === 'rejected') throw result.reason;
    values.push(result.value);
  }
  return values as unknown as T;
}

import { describe, expect, it } from 'vitest';
import { allInOrder } from '$shared/all-in-order';

const failsAfter = (ms: number, message: string): Promise<never> => new Promise((_, reject) => setTimeout(() => reject(new Error(message)), ms));
const givesAfter = <T>(ms: number, value: T): Promise<T> => new Promise((resolve) => setTimeout(() => resolve(value), ms));

describe('allInOrder', () => {
  it('reports the first failure in argument order, though a later one failed sooner', async () => {
    const all = allInOrder([Promise.resolve(1), failsAfter(30, 'model.json is missing'), failsAfter(0, 'weights.bin is missing')]);
    await expect(all).rejects.toThrow('model.json is missing');
  });

  it('gives the values in order when all succeed', async () => {
    await expect(allInOrder([givesAfter(20, 'a'), Promise.resolve(2)])).resolves.toEqual(['a', 2]);
  });
});

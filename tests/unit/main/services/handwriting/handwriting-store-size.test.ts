import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { HandwritingStore } from '$main/services/handwriting/handwriting-store';
import { serializeSet, type StoredSample } from '$main/services/handwriting/set-file';
import { tempDirs } from '$tests/helpers/temp-dirs';

// A set file of at most 20,000 bytes, for the store's writes and its reads alike: the limit is reached
// with a dozen samples rather than thousands.
vi.mock('$shared/handwriting/handwriting', async (importOriginal) => {
  const real = await importOriginal<typeof import('$shared/handwriting/handwriting')>();
  return { ...real, HANDWRITING_LIMITS: { ...real.HANDWRITING_LIMITS, fileBytes: 20_000 } };
});

const tempDir = tempDirs('mlp-lab-handwriting-size-');

/** `count` samples of about 1.4 KB each in the set file's format, ids prefixed by `prefix`. */
function samples(prefix: string, count: number): StoredSample[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `${prefix}${i}`,
    label: i % 10,
    created: '2026-12-01T20:00:00.000Z',
    strokes: [Array.from({ length: 20 }, (_, j) => ({ x: 100 + i, y: 60 + j * 8 }))],
    image: new Uint8Array(784).fill(i),
  }));
}

async function setFile(prefix: string, count: number): Promise<string> {
  const file = path.join(await tempDir(), `${prefix}.json`);
  await writeFile(file, serializeSet(samples(prefix, count)));
  return file;
}

describe('HandwritingStore size limit', () => {
  it('refuses a change that would take the set file past the limit, keeping the set and its file readable', async () => {
    const store = new HandwritingStore({ dir: path.join(await tempDir(), 'handwriting') });
    const first = await setFile('a', 8);
    const second = await setFile('b', 8);
    expect((await readFile(first)).length).toBeLessThan(20_000);
    expect(await store.importFrom(first)).toEqual({ added: 8, skipped: 0 });
    const bytes = await readFile(store.file);
    const before = await store.list();
    await expect(store.importFrom(second)).rejects.toThrow(/would take 2\d KB, past the 20 KB its file may hold .*set\.json.*nothing was changed/);
    expect(await store.list()).toEqual(before);
    expect(await readFile(store.file)).toEqual(bytes);
    // The next launch reads it: the set is not locked out.
    expect((await new HandwritingStore({ dir: store.dir }).list()).samples).toHaveLength(8);
  });

  it('refuses the one save too many, and the saves before it stay', async () => {
    const store = new HandwritingStore({ dir: path.join(await tempDir(), 'handwriting') });
    await store.importFrom(await setFile('a', 12));
    const [extra] = samples('c', 1);
    const request = { label: 3, strokes: extra.strokes, image: Array.from(extra.image) };
    let saved = 0;
    await expect(
      (async () => {
        // A handful more fill the 20 KB; the bound only stops a store that never refuses.
        for (let i = 0; i < 20; i++) {
          await store.add(request);
          saved++;
        }
      })(),
    ).rejects.toThrow(/past the 20 KB/);
    expect(saved).toBeGreaterThan(0);
    const reread = await new HandwritingStore({ dir: store.dir }).list();
    expect(reread.samples).toHaveLength(12 + saved);
  });
});

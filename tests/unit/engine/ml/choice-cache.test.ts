import { mkdtemp, mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHOICE_CACHE_ENTRIES, CHOICE_CACHE_FILE, FileChoiceCache } from '$engine/ml/choice-cache';

const rates = (n: number) => [{ name: 'wasm', label: 'wasm', samplesPerSecond: n }];

describe('FileChoiceCache', () => {
  it('keeps measurements across instances, in one file with no temporary left', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'choice-'));
    await new FileChoiceCache(path.join(dir, 'sub')).set('a', rates(5));
    expect(await new FileChoiceCache(path.join(dir, 'sub')).get('a')).toEqual(rates(5));
    expect(await new FileChoiceCache(path.join(dir, 'sub')).get('b')).toBeNull();
    expect(await readdir(path.join(dir, 'sub'))).toEqual([CHOICE_CACHE_FILE]);
  });

  it('treats a corrupt, invalid or non-regular file as empty and replaces it at the next write', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'choice-'));
    const file = path.join(dir, CHOICE_CACHE_FILE);
    await writeFile(file, '{"version":1,"entries":[{"key":"a","at":1,"rates":[{"name":"wasm","label":"wasm","samplesPerSecond":-3}]}]}');
    const cache = new FileChoiceCache(dir);
    expect(await cache.get('a')).toBeNull();
    await writeFile(file, 'not json');
    expect(await cache.get('a')).toBeNull();
    await cache.set('a', rates(7));
    expect(JSON.parse(await readFile(file, 'utf8')).entries[0].rates).toEqual(rates(7));
    const other = await mkdtemp(path.join(os.tmpdir(), 'choice-'));
    await mkdir(path.join(other, CHOICE_CACHE_FILE));
    expect(await new FileChoiceCache(other).get('a')).toBeNull();
  });

  it('keeps the newest entries only, so the file stays small', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'choice-'));
    let t = 0;
    const cache = new FileChoiceCache(dir, () => ++t);
    await Promise.all(Array.from({ length: CHOICE_CACHE_ENTRIES + 5 }, (_, i) => cache.set(`k${i}`, rates(i + 1))));
    const entries = JSON.parse(await readFile(path.join(dir, CHOICE_CACHE_FILE), 'utf8')).entries;
    expect(entries).toHaveLength(CHOICE_CACHE_ENTRIES);
    expect(await cache.get('k0')).toBeNull();
    expect(await cache.get(`k${CHOICE_CACHE_ENTRIES + 4}`)).toEqual(rates(CHOICE_CACHE_ENTRIES + 5));
  });
});

import { mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HandwritingStore, SET_FILE } from '../../../../../src/main/services/handwriting/handwriting-store';
import { imageFromStrokes } from '../../../../../src/shared/preprocess/rasterize-strokes';
import { tempDirs } from '../../../../helpers/temp-dirs';

const tempDir = tempDirs('mlp-lab-handwriting-');

/** A vertical bar at x (a "1"), as the Draw canvas records a stroke. */
const bar = (x: number) => [Array.from({ length: 20 }, (_, i) => ({ x, y: 60 + i * 8 }))];

function request(label: number, x = 140) {
  const strokes = bar(x);
  return { label, strokes, image: Array.from(imageFromStrokes(strokes)!) };
}

async function store(dir?: string) {
  const folder = dir ?? path.join(await tempDir(), 'handwriting');
  let n = 0;
  return new HandwritingStore({ dir: folder, newId: () => `s${++n}`, now: () => new Date('2026-12-01T20:00:00Z') });
}

describe('HandwritingStore', () => {
  it('starts empty, saves samples with their strokes and image, and reads them back after a restart', async () => {
    const first = await store();
    expect((await first.list()).samples).toEqual([]);
    await first.add(request(1));
    await first.add(request(7, 100));
    const again = new HandwritingStore({ dir: first.dir });
    const set = await again.list();
    expect(set.samples.map((s) => [s.id, s.label])).toEqual([
      ['s1', 1],
      ['s2', 7],
    ]);
    expect(set.counts).toEqual([0, 1, 0, 0, 0, 0, 0, 1, 0, 0]);
    expect(Array.from(set.samples[1].image)).toEqual(request(7, 100).image);
    const saved = JSON.parse(await readFile(first.file, 'utf8'));
    expect(saved.samples[0].strokes[0]).toHaveLength(20);
  });

  it('writes atomically: a temporary file renamed over the set, none left behind', async () => {
    const s = await store();
    await s.add(request(3));
    await s.add(request(4));
    expect(await readdir(s.dir)).toEqual([SET_FILE]);
  });

  it('runs concurrent saves one after another, losing none', async () => {
    const s = await store();
    await Promise.all(Array.from({ length: 10 }, (_, i) => s.add(request(i))));
    const reread = await new HandwritingStore({ dir: s.dir }).list();
    expect(reread.counts).toEqual(new Array(10).fill(1));
  });

  it('relabels and deletes samples, and refuses unknown ids without changing anything', async () => {
    const s = await store();
    await s.add(request(1));
    await s.add(request(2));
    await s.add(request(3));
    expect((await s.relabel('s2', 9)).label).toBe(9);
    expect(await s.remove(['s1', 's3'])).toBe(2);
    await expect(s.remove(['s2', 'nope'])).rejects.toThrow(/no sample "nope"/);
    await expect(s.relabel('gone', 4)).rejects.toThrow(/no sample "gone"/);
    const reread = await new HandwritingStore({ dir: s.dir }).list();
    expect(reread.samples.map((x) => [x.id, x.label])).toEqual([['s2', 9]]);
  });

  it('exports the set as one file and imports it elsewhere; importing twice adds nothing more', async () => {
    const source = await store();
    await source.add(request(5));
    await source.add(request(6, 120));
    const file = path.join(await tempDir(), 'mine.json');
    expect(await source.exportTo(file)).toBe(2);
    const target = await store();
    await target.add(request(0));
    // The target's own "s1" is kept; the file's s1 is taken for the same sample and skipped.
    expect(await target.importFrom(file)).toEqual({ added: 1, skipped: 1 });
    expect(await target.importFrom(file)).toEqual({ added: 0, skipped: 2 });
    const set = await target.list();
    expect(set.samples.map((x) => [x.id, x.label])).toEqual([
      ['s1', 0],
      ['s2', 6],
    ]);
    expect(Array.from(set.samples[1].image)).toEqual(request(6, 120).image);
  });

  it('rebuilds the images from the strokes', async () => {
    const s = await store();
    const damaged = { ...request(1), image: new Array(784).fill(0) };
    await s.add(damaged);
    await s.add(request(1));
    expect(await s.rebuildImages()).toBe(1);
    const set = await s.list();
    expect(Array.from(set.samples[0].image)).toEqual(request(1).image);
  });

  it('names the file and the field of a corrupt set, and never writes over it', async () => {
    const dir = path.join(await tempDir(), 'handwriting');
    await mkdir(dir);
    const file = path.join(dir, SET_FILE);
    const good = await store();
    await good.add(request(2));
    const text = (await readFile(good.file, 'utf8')).replace('"label":2', '"label":12');
    await writeFile(file, text);
    const s = await store(dir);
    await expect(s.list()).rejects.toThrow(`${file}: samples[0].label:`);
    await expect(s.add(request(3))).rejects.toThrow(file);
    expect(await readFile(file, 'utf8')).toBe(text);
  });

  it('refuses a set that is not JSON, has a bad image, repeats an id, or is not a regular file', async () => {
    const cases: [string, string | null, RegExp][] = [
      ['not json', '{"format":', /is not JSON/],
      ['bad image', JSON.stringify({ format: 'mlp-lab-handwriting', version: 1, samples: [{ id: 'a', label: 1, created: 'x', strokes: bar(3), image: 'AAAA' }] }), /samples\[0\]\.image: must be base64 of 784/],
      ['wrong format', JSON.stringify({ format: 'other', version: 1, samples: [] }), /format:/],
      ['too many points', JSON.stringify({ format: 'mlp-lab-handwriting', version: 1, samples: [{ id: 'a', label: 1, created: 'x', strokes: [new Array(2001).fill({ x: 1, y: 1 })], image: '' }] }), /samples\[0\]\.strokes\[0\]:/],
      ['a folder', null, /not a regular file/],
    ];
    for (const [name, text, problem] of cases) {
      const dir = path.join(await tempDir(), 'handwriting');
      await mkdir(dir);
      if (text === null) await mkdir(path.join(dir, SET_FILE));
      else await writeFile(path.join(dir, SET_FILE), text);
      await expect((await store(dir)).list(), name).rejects.toThrow(problem);
    }
    const twice = (await readFile((await (async () => {
      const s = await store();
      await s.add(request(1));
      return s;
    })()).file, 'utf8')).replace(/"samples":\[(.*)\]/, '"samples":[$1,$1]');
    const dir = path.join(await tempDir(), 'handwriting');
    await mkdir(dir);
    await writeFile(path.join(dir, SET_FILE), twice);
    await expect((await store(dir)).list()).rejects.toThrow(/samples\[1\]\.id: "s1" appears twice/);
  });

  it('refuses to import a corrupt file, leaving the set as it was', async () => {
    const s = await store();
    await s.add(request(4));
    const bad = path.join(await tempDir(), 'bad.json');
    await writeFile(bad, '[]');
    await expect(s.importFrom(bad)).rejects.toThrow(bad);
    const link = path.join(await tempDir(), 'zero.json');
    await symlink('/dev/zero', link);
    await expect(s.importFrom(link)).rejects.toThrow(/not a regular file/);
    expect((await s.list()).counts[4]).toBe(1);
  });
});

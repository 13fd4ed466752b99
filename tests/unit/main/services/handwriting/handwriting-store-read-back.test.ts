import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HandwritingStore } from '$main/services/handwriting/handwriting-store';
import { readSetFile } from '$main/services/handwriting/set-file';
import { HANDWRITING_LIMITS, strokeLength } from '$shared/handwriting/handwriting';
import { tempDirs } from '$tests/helpers/temp-dirs';

const tempDir = tempDirs('mlp-lab-handwriting-read-back-');

/**
 * 214 crossings of the canvas between x 0.004 and 279.996, then one stroke down of 81.71: 59,999.998 units of pen
 * path as drawn, 60,001.71 once rounded to 0.01 (each crossing gains 0.008).
 */
function nearTheCap() {
  const points = Array.from({ length: 215 }, (_, i) => ({ x: i % 2 ? 279.996 : 0.004, y: 0 }));
  points.push({ x: 0.004, y: 81.71 });
  return [points];
}

const image = () => new Array<number>(784).fill(0);
const bar = [Array.from({ length: 20 }, (_, i) => ({ x: 140, y: 60 + i * 8 }))];

async function store() {
  return new HandwritingStore({ dir: path.join(await tempDir(), 'handwriting') });
}

describe('HandwritingStore: what is written reads back', () => {
  it('checks a drawing just under the pen-path cap as it will be written, and the set stays readable', async () => {
    const strokes = nearTheCap();
    expect(strokeLength(strokes)).toBeLessThan(HANDWRITING_LIMITS.strokeLength);
    const s = await store();
    await s.add({ label: 1, strokes: bar, image: image() });
    await expect(s.add({ label: 2, strokes, image: image() })).rejects.toThrow(/cannot be saved: at most 60000 canvas units of pen path/);
    await s.add({ label: 3, strokes: bar, image: image() });
    // The next launch reads every sample that was saved.
    expect((await new HandwritingStore({ dir: s.dir }).list()).samples.map((x) => x.label)).toEqual([1, 3]);
  });

  it('keeps a saved drawing as rounded, so the file holds what was checked', async () => {
    const s = await store();
    await s.add({ label: 4, strokes: [[{ x: 10.004, y: 20.006 }]], image: image() });
    expect((await readSetFile(s.file))[0].strokes).toEqual([[{ x: 10, y: 20.01 }]]);
  });

  it('refuses to import a set whose finer coordinates round past the cap, leaving the set readable', async () => {
    const file = path.join(await tempDir(), 'fine.json');
    // Written by hand, not by serializeSet: the coordinates are as fine as the file has them.
    const sample = { id: 'fine', label: 5, created: '2026-12-01T20:00:00.000Z', strokes: nearTheCap(), image: Buffer.alloc(784).toString('base64') };
    await writeFile(file, JSON.stringify({ format: 'mlp-lab-handwriting', version: 1, samples: [sample] }));
    const s = await store();
    await s.add({ label: 1, strokes: bar, image: image() });
    const before = await readFile(s.file);
    await expect(s.importFrom(file)).rejects.toThrow(`${file}: samples[0].strokes: at most 60000 canvas units of pen path`);
    expect(await readFile(s.file)).toEqual(before);
    expect((await new HandwritingStore({ dir: s.dir }).list()).samples).toHaveLength(1);
  });

  it('refuses a change whose file would not read back, leaving the set and its file as they were', async () => {
    // Ids the set file refuses stand for any sample the entry checks let through by mistake.
    const ids = ['good', 'not an id!', 'good'];
    const s = new HandwritingStore({ dir: path.join(await tempDir(), 'handwriting'), newId: () => ids.shift()! });
    await s.add({ label: 1, strokes: bar, image: image() });
    const before = await readFile(s.file);
    await expect(s.add({ label: 2, strokes: bar, image: image() })).rejects.toThrow(
      `Your handwriting would not read back (${s.file}: samples[1].id: an id of 1 to 64 letters, digits, _ or -): nothing was changed.`,
    );
    await expect(s.add({ label: 3, strokes: bar, image: image() })).rejects.toThrow(`(${s.file}: samples[1].id: "good" appears twice): nothing was changed.`);
    expect(await readFile(s.file)).toEqual(before);
    expect((await s.list()).samples.map((x) => x.id)).toEqual(['good']);
    expect((await new HandwritingStore({ dir: s.dir }).list()).samples.map((x) => x.id)).toEqual(['good']);
  });
});

import { mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { HandwritingStore, SET_FILE } from '$main/services/handwriting/handwriting-store';
import { readSetFile, serializeSet, type StoredSample } from '$main/services/handwriting/set-file';
import { imageFromStrokes } from '$shared/preprocess/rasterize-strokes';
import { tempDirs } from '$tests/helpers/temp-dirs';

/** Faults to inject into the next write of a temporary file, or the next rename; everything else is the real file system. */
const faults = vi.hoisted(() => ({ write: false, rename: false }));
vi.mock('node:fs/promises', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...fs,
    open: async (...args: Parameters<typeof fs.open>) => {
      const handle = await fs.open(...args);
      if (!faults.write || !String(args[0]).endsWith('.tmp')) return handle;
      faults.write = false;
      // A disk that fills up halfway: half the text reaches the temporary file, then the write fails.
      return {
        writeFile: async (text: string) => {
          await handle.write(text.slice(0, text.length >> 1));
          throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
        },
        sync: () => handle.sync(),
        close: () => handle.close(),
      };
    },
    rename: async (...args: Parameters<typeof fs.rename>) => {
      if (!faults.rename) return fs.rename(...args);
      faults.rename = false;
      throw Object.assign(new Error('EIO: i/o error, rename'), { code: 'EIO' });
    },
  };
});

/** Counts the event loop's turns, and which turn each rasterization ran in. */
const turns = vi.hoisted(() => ({ now: 0, rasterized: [] as number[], clock: 0, costMs: 0 }));
vi.mock('$shared/preprocess/rasterize-strokes', async (importOriginal) => {
  const real = await importOriginal<typeof import('$shared/preprocess/rasterize-strokes')>();
  return {
    ...real,
    imageFromStrokes: (...args: Parameters<typeof real.imageFromStrokes>) => {
      turns.rasterized.push(turns.now);
      // What the sample costs on the clock a test gives the store: its time, not the machine's.
      turns.clock += turns.costMs;
      return real.imageFromStrokes(...args);
    },
  };
});

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


/** A handwriting set file of `count` bars (ids prefix0, prefix1, …) whose images are blank: all to rebuild. */
async function setOfBars(prefix: string, count: number): Promise<string> {
  const samples: StoredSample[] = Array.from({ length: count }, (_, i) => ({
    id: `${prefix}${i}`,
    label: 1,
    created: '2026-12-01T20:00:00.000Z',
    strokes: bar(100 + (i % 40)),
    image: new Uint8Array(784),
  }));
  const file = path.join(await tempDir(), `${prefix}.json`);
  await writeFile(file, serializeSet(samples));
  return file;
}

/** Runs `work` while a turn counter ticks once a turn of the event loop (turns.now), to see where it yields. */
async function whileTicking<T>(work: () => Promise<T>): Promise<T> {
  let ticking = true;
  const tick = () => {
    turns.now++;
    if (ticking) setImmediate(tick);
  };
  setImmediate(tick);
  try {
    return await work();
  } finally {
    ticking = false;
  }
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

  it('writes atomically: a write or rename that fails leaves the old file and the set as they were, and no temporary file', async () => {
    const s = await store();
    await s.add(request(3));
    await s.add(request(4));
    expect(await readdir(s.dir)).toEqual([SET_FILE]);
    const old = await readFile(s.file);
    const before = await s.list();
    for (const fault of ['write', 'rename'] as const) {
      faults[fault] = true;
      await expect(s.add(request(5)), fault).rejects.toThrow(fault === 'write' ? /^Not saved: the disk holding .*handwriting is full.*Nothing already saved was changed\.$/ : /EIO/);
      expect(faults[fault], `the ${fault} fault was hit`).toBe(false);
      expect(await readFile(s.file), fault).toEqual(old);
      expect(await readdir(s.dir), fault).toEqual([SET_FILE]);
      expect(await s.list(), fault).toEqual(before);
    }
    // And the store carries on.
    await s.add(request(6));
    expect((await new HandwritingStore({ dir: s.dir }).list()).samples.map((x) => x.label)).toEqual([3, 4, 6]);
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

  it('exports into an empty set and back with every sample whole: id, label, time, strokes and image', async () => {
    const source = await store();
    await source.add({ label: 2, strokes: [[{ x: 10.25, y: 20.5 }], [{ x: 100, y: 60 }, { x: 180.75, y: 220.01 }]], image: request(2).image });
    await source.add(request(9, 90));
    const file = path.join(await tempDir(), 'mine.json');
    await source.exportTo(file);
    const target = new HandwritingStore({ dir: path.join(await tempDir(), 'handwriting') });
    expect(await target.importFrom(file)).toEqual({ added: 2, skipped: 0 });
    const original = await readSetFile(source.file);
    expect(original.map((x) => x.id)).toEqual(['s1', 's2']);
    expect(await readSetFile(target.file)).toEqual(original);
    expect(await target.list()).toEqual(await source.list());
    expect(original[0].strokes).toEqual([[{ x: 10.25, y: 20.5 }], [{ x: 100, y: 60 }, { x: 180.75, y: 220.01 }]]);
    expect(original[0].created).toBe('2026-12-01T20:00:00.000Z');
  });

  it('exports the set as it is after the changes already asked for', async () => {
    const s = await store();
    await s.add(request(1));
    const saving = s.add(request(2));
    const file = path.join(await tempDir(), 'mine.json');
    expect(await s.exportTo(file)).toBe(2);
    await saving;
    expect((await readSetFile(file)).map((x) => x.label)).toEqual([1, 2]);
  });

  it('takes ids and images from one state of the set, after the changes already asked for', async () => {
    const s = await store();
    await s.add(request(1));
    await s.add(request(2));
    const changes = [s.remove(['s1']), s.add(request(3, 100))];
    const snapshot = await s.snapshot();
    await Promise.all(changes);
    expect(snapshot.ids).toEqual(['s2', 's3']);
    expect(Array.from(snapshot.labels)).toEqual([2, 3]);
    expect(snapshot.count).toBe(2);
    expect(Array.from(snapshot.images.subarray(784))).toEqual(request(3, 100).image);
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

  it('lets the event loop run while it rebuilds many images', async () => {
    const file = await setOfBars('m', 120);
    const s = await store();
    await s.importFrom(file);
    turns.rasterized = [];
    expect(await whileTicking(() => s.rebuildImages())).toBe(120);
    expect(turns.rasterized).toHaveLength(120);
    // Other work ran between the first image and the last: the rebuild did not hold the thread throughout.
    expect(turns.rasterized[119]).toBeGreaterThan(turns.rasterized[0]);
  });

  it('gives the thread back by time: no slice of a rebuild runs past its budget by more than one sample', async () => {
    // Samples of 70 ms each, as the slowest within the limits take, on a clock only rasterizing moves.
    const file = await setOfBars('t', 60);
    for (const sliceMs of [100, 0]) {
      const s = new HandwritingStore({ dir: await tempDir(), clock: () => turns.clock, sliceMs });
      await s.importFrom(file);
      turns.rasterized = [];
      turns.costMs = 70;
      try {
        await whileTicking(() => s.rebuildImages());
      } finally {
        turns.costMs = 0;
      }
      expect(turns.rasterized).toHaveLength(60);
      // Samples per turn of the event loop: as many as fit the budget, the last one crossing it.
      const counts = new Map<number, number>();
      for (const turn of turns.rasterized) counts.set(turn, (counts.get(turn) ?? 0) + 1);
      const perTurn = [...counts.values()];
      expect(Math.max(...perTurn)).toBe(sliceMs === 0 ? 1 : Math.ceil(sliceMs / 70));
      expect(perTurn.length).toBe(sliceMs === 0 ? 60 : 30);
    }
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
      // 300 points zig-zagging corner to corner: some 119,000 units of pen path, past the 60,000 allowed.
      ['too long a pen path', JSON.stringify({ format: 'mlp-lab-handwriting', version: 1, samples: [{ id: 'a', label: 1, created: 'x', strokes: [Array.from({ length: 300 }, (_, i) => ({ x: (i % 2) * 280, y: (i % 2) * 280 }))], image: Buffer.alloc(784).toString('base64') }] }), /samples\[0\]\.strokes: at most 60000 canvas units of pen path/],
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

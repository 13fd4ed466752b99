import { describe, expect, it } from 'vitest';
import { Handwriting, type HandwritingApi } from '$renderer/app/handwriting.svelte';
import type { HandwritingSample } from '$shared/handwriting/handwriting';
import { deferred, settle, type Deferred } from '../helpers/deferred';
import { INPUT_PIXELS } from '$renderer/lib/input-size';

const input = new Float32Array(INPUT_PIXELS).fill(0.5);
const strokes = [[{ x: 1, y: 2 }]];

/** Main's side: an in-memory set; `hold` makes the next calls of a method wait until released. */
function fakeMain(initial: HandwritingSample[] = []) {
  let samples = [...initial];
  let next = 0;
  const deleted: string[][] = [];
  const holds = new Map<string, Deferred>();
  const wait = async (method: string) => holds.get(method)?.promise;
  const sample = (label: number): HandwritingSample => ({ id: `s${++next}`, label, created: '', image: new Uint8Array(INPUT_PIXELS) });
  const api: HandwritingApi = {
    listHandwriting: async () => ({ samples: [...samples], counts: [] }),
    saveHandwriting: async ({ label }) => {
      await wait('save');
      const saved = sample(label);
      samples.push(saved);
      return saved;
    },
    relabelHandwriting: async ({ id, label }) => {
      await wait('relabel');
      const found = samples.find((s) => s.id === id);
      if (!found) throw new Error(`no sample ${id}`);
      const relabelled = { ...found, label };
      samples = samples.map((s) => (s.id === id ? relabelled : s));
      return relabelled;
    },
    deleteHandwriting: async ({ ids }) => {
      deleted.push(ids);
      samples = samples.filter((s) => !ids.includes(s.id));
      return ids.length;
    },
    exportHandwriting: async () => null,
    importHandwriting: async () => {
      await wait('import');
      samples.push(sample(4));
      return { added: 1, skipped: 0 };
    },
    rebuildHandwriting: async () => 0,
  };
  const hold = (method: string) => {
    const d = deferred();
    holds.set(method, d);
    return () => {
      holds.delete(method);
      d.resolve();
    };
  };
  return { api, deleted, hold };
}

describe('Handwriting', () => {
  it('Undo save removes the latest save of this session that is still in the set', async () => {
    const main = fakeMain();
    const handwriting = new Handwriting();
    handwriting.connect(main.api);
    await settle();
    await handwriting.save(1, strokes, input);
    await handwriting.save(2, strokes, input);
    await handwriting.save(3, strokes, input);
    // The latest save was deleted from the Data tab: Undo takes the one before it.
    await handwriting.remove(['s3']);
    expect(handwriting.canUndoSave).toBe(true);
    await handwriting.undoSave();
    expect(main.deleted.at(-1)).toEqual(['s2']);
    expect(handwriting.samples.map((s) => s.id)).toEqual(['s1']);
    expect(handwriting.notice).toBe('Removed the last 2 saved');
    await handwriting.undoSave();
    expect(handwriting.samples).toEqual([]);
    expect(handwriting.canUndoSave).toBe(false);
    await handwriting.undoSave();
    expect(main.deleted).toEqual([['s3'], ['s2'], ['s1']]);
  });

  it('stays busy until the last of two overlapping actions ends', async () => {
    const main = fakeMain();
    const handwriting = new Handwriting();
    handwriting.connect(main.api);
    await settle();
    const releaseImport = main.hold('import');
    const releaseSave = main.hold('save');
    const importing = handwriting.importSet();
    const saving = handwriting.save(7, strokes, input);
    expect(handwriting.busy).toBe(true);
    releaseSave();
    await saving;
    // The save is done, the import is not.
    expect(handwriting.busy).toBe(true);
    releaseImport();
    await importing;
    expect(handwriting.busy).toBe(false);
    expect(handwriting.samples.map((s) => s.label).sort()).toEqual([4, 7]);
  });

  it('bumps the version whenever the set changes, and keeps the old label when a relabel fails', async () => {
    const main = fakeMain();
    const handwriting = new Handwriting();
    handwriting.connect(main.api);
    await settle();
    const before = handwriting.version;
    expect(await handwriting.save(5, strokes, input)).toBe(true);
    expect(handwriting.version).toBeGreaterThan(before);
    const saved = handwriting.version;
    expect(await handwriting.relabel('missing', 3)).toBe(false);
    expect(handwriting.error).toMatch(/no sample missing/);
    expect(handwriting.version).toBe(saved);
    expect(await handwriting.relabel('s1', 6)).toBe(true);
    expect(handwriting.samples[0].label).toBe(6);
    expect(handwriting.version).toBeGreaterThan(saved);
  });
});

import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readModelFiles } from '$engine/ml/model-files';
import { scriptedDialogs } from '$main/services/dialogs';
import { KeyedLock } from '$main/services/keyed-lock';
import { ModelLibrary, type Trash } from '$main/services/model-library';
import { ModelService } from '$main/services/model-service';
import { RESOURCES_DIR } from '$tests/helpers/datasets';
import { folderTrash } from '$tests/helpers/trash';

const ROUNDS = 20;
let root: string;
let models: ModelService;
let trash: Trash;
const libraryDir = () => path.join(root, 'user', 'models');
const library = (confirm: boolean[] = []) =>
  new ModelLibrary({ models, dialogs: scriptedDialogs({ confirm }), trash });
const settled = <T>(promise: Promise<T>) => promise.then(
  (value) => ({ ok: true as const, value }),
  (error: Error) => ({ ok: false as const, error }),
);

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'mlp-lab-lock-'));
  trash = folderTrash(path.join(root, 'trash'));
  models = new ModelService({ resourcesDir: RESOURCES_DIR, userDataDir: path.join(root, 'user'), events: () => undefined });
});
afterEach(() => rm(root, { recursive: true, force: true }));

describe('KeyedLock', () => {
  it('runs the tasks of one key one at a time in order, goes on after a failure, and lets other keys run beside', async () => {
    const lock = new KeyedLock();
    const log: string[] = [];
    const step = (name: string, fail = false) => async () => {
      log.push(`${name} start`);
      await new Promise((resolve) => setImmediate(resolve));
      log.push(`${name} end`);
      if (fail) throw new Error(name);
      return name;
    };
    const a1 = lock.run('a', step('a1', true));
    const a2 = lock.run('a', step('a2'));
    const b1 = lock.run('b', step('b1'));
    await expect(a1).rejects.toThrow('a1');
    expect(await a2).toBe('a2');
    expect(await b1).toBe('b1');
    expect(log.filter((l) => l.startsWith('a'))).toEqual(['a1 start', 'a1 end', 'a2 start', 'a2 end']);
    // b1 started before a1 ended: keys do not wait on each other.
    expect(log.indexOf('b1 start')).toBeLessThan(log.indexOf('a1 end'));
    expect(lock.isHeld('a') || lock.isHeld('b')).toBe(false);
  });
});

describe('ModelLibrary: changes of one model at once', () => {
  it(`delete against rename, ${ROUNDS} rounds: a delete that answered true leaves no model behind`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const { dir } = await models.save('Mine');
      const id = path.basename(dir);
      const lib = library([true]);
      const [removed, renamed] = await Promise.all([settled(lib.remove(id)), settled(lib.rename(id, `Renamed ${round}`))]);
      expect(removed).toEqual({ ok: true, value: true });
      // The rename ran wholly before the delete (and its model went to the trash) or after it, finding none.
      if (!renamed.ok) expect(renamed.error.message).toMatch(/is missing/);
      expect(await readdir(libraryDir())).toEqual([]);
      const { models: listed, problems } = await lib.list();
      expect(listed.map((m) => m.id)).toEqual(['default']);
      expect(problems).toEqual([]);
    }
    expect((await readdir(path.join(root, 'trash'))).length).toBe(ROUNDS);
  });

  it(`rename against save of the same name, ${ROUNDS} rounds: both models are kept, each whole, under their own ids`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      await rm(libraryDir(), { recursive: true, force: true });
      const id = path.basename((await models.save('Mine')).dir);
      const lib = library();
      const [renamed, saved] = await Promise.all([lib.rename(id, `Renamed ${round}`), models.save('Mine')]);
      expect(renamed).toMatchObject({ id, name: `Renamed ${round}` });
      expect(saved.dir).not.toBe(path.join(libraryDir(), id));
      expect((await readModelFiles(path.join(libraryDir(), id))).metadata.name).toBe(`Renamed ${round}`);
      expect((await readModelFiles(saved.dir)).metadata.name).toBe('Mine');
      const { models: listed, problems } = await lib.list();
      expect(listed.map((m) => m.name).slice(1).sort()).toEqual(['Mine', `Renamed ${round}`]);
      expect(problems).toEqual([]);
    }
  });

  it('duplicate against delete: the copy is of a whole model, and the delete still happens', async () => {
    for (let round = 0; round < 5; round++) {
      await rm(libraryDir(), { recursive: true, force: true });
      const id = path.basename((await models.save('Mine')).dir);
      const lib = library([true]);
      const [copy, removed] = await Promise.all([settled(lib.duplicate(id)), settled(lib.remove(id))]);
      expect(removed).toEqual({ ok: true, value: true });
      const listed = (await lib.list()).models.slice(1).map((m) => m.name);
      expect(listed).toEqual(copy.ok ? ['Mine (copy)'] : []);
    }
  });
});

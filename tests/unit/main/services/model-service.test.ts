import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readModelFiles } from '$engine/ml/persist';
import { ModelService } from '$main/services/model-service';
import { RESOURCES_DIR } from '$tests/helpers/datasets';

let userDataDir: string;
let changes: unknown[];
let service: ModelService;
beforeEach(async () => {
  userDataDir = await mkdtemp(path.join(tmpdir(), 'mlp-lab-models-'));
  changes = [];
  service = new ModelService({ resourcesDir: RESOURCES_DIR, userDataDir, events: (_e, payload) => changes.push(payload) });
});
afterEach(() => rm(userDataDir, { recursive: true, force: true }));

describe('ModelService', () => {
  it('serves the bundled default model first', async () => {
    const active = await service.active();
    expect(active.id).toBe('default');
    expect(active.metadata.datasetId).toBe('mnist');
    expect(active.weights.byteLength).toBeGreaterThan(100_000);
  });

  it('switches the active model and announces it', async () => {
    const files = await readModelFiles(service.defaultModelDir);
    service.setActive('run-1', { ...files, metadata: { ...files.metadata, name: 'mine' } });
    expect(changes).toEqual([{ id: 'run-1', name: 'mine' }]);
    expect((await service.active())).toMatchObject({ id: 'run-1', metadata: { name: 'mine' } });
  });

  it('saves the active model into the library under its new name, never overwriting', async () => {
    const first = await service.save('My first MLP!');
    expect(first.dir).toBe(path.join(userDataDir, 'models', 'my-first-mlp'));
    expect((await readModelFiles(first.dir)).metadata.name).toBe('My first MLP!');
    const second = await service.save('My first MLP');
    expect(second.dir).toBe(path.join(userDataDir, 'models', 'my-first-mlp-2'));
    expect((await readdir(path.join(userDataDir, 'models'))).sort()).toEqual(['my-first-mlp', 'my-first-mlp-2']);
    // Saved at the same moment under the same name: two folders, neither model lost.
    const [a, b] = await Promise.all([service.save('Twin'), service.save('Twin')]);
    expect(new Set([a.dir, b.dir])).toEqual(new Set([path.join(userDataDir, 'models', 'twin'), path.join(userDataDir, 'models', 'twin-2')]));
    const odd = await service.save('../../etc/passwd');
    expect(path.dirname(odd.dir)).toBe(path.join(userDataDir, 'models'));
  });

  it('does not claim a name whose model a killed save left only in a .old- folder', async () => {
    const models = path.join(userDataDir, 'models');
    const leftover = path.join(models, 'mine.old-00000000-aaaa-4bbb-8ccc-dddddddddddd');
    await mkdir(leftover, { recursive: true });
    const saved = await service.save('Mine');
    expect(saved.dir).toBe(path.join(models, 'mine-2'));
    expect((await readdir(models)).sort()).toEqual(['mine-2', path.basename(leftover)]);
  });
});

import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { writeFileDurably } from '$engine/fs/durable';
import { readModelFiles } from '$engine/ml/model-files';
import { scriptedDialogs } from '$main/services/dialogs';
import { DiskFullError, formatFree, savingInto } from '$main/services/disk-full';
import { ModelLibrary } from '$main/services/model-library';
import { ModelService } from '$main/services/model-service';
import { RunStore } from '$main/services/run-store';
import { DEFAULT_SPEC } from '$shared/model-spec';
import { RUN_FORMAT, type RunRecord } from '$shared/runs/run-record';
import { RESOURCES_DIR } from '$tests/helpers/datasets';
import { folderTrash } from '$tests/helpers/trash';

// Every durable write (model files, the runs' and handwriting's atomic writes) goes through here.
vi.mock('$engine/fs/durable', async (importOriginal) => {
  const actual = await importOriginal<typeof import('$engine/fs/durable')>();
  return { ...actual, writeFileDurably: vi.fn(actual.writeFileDurably) };
});

const diskFull = () =>
  vi.mocked(writeFileDurably).mockRejectedValue(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28 }));
const message = (folder: string) =>
  new RegExp(`^Not saved: the disk holding ${folder.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} is full \\(\\d+ (bytes|KB|MB|GB|TB) free\\)\\. Nothing already saved was changed\\.$`);

let root: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'mlp-lab-full-'));
});
afterEach(async () => {
  vi.mocked(writeFileDurably).mockRestore();
  await rm(root, { recursive: true, force: true });
});

describe('a full disk', () => {
  it('says where, how much is free and what was kept', async () => {
    const error = await savingInto('/data/user', () => Promise.reject(Object.assign(new Error('ENOSPC'), { code: 'ENOSPC' })), async () => 12_400_000).catch((e: Error) => e);
    expect(error).toBeInstanceOf(DiskFullError);
    expect((error as Error).message).toBe('Not saved: the disk holding /data/user is full (12 MB free). Nothing already saved was changed.');
    // Other errors pass as they were; free space that cannot be told is left out.
    const other = Object.assign(new Error('EACCES'), { code: 'EACCES' });
    await expect(savingInto('/x', () => Promise.reject(other))).rejects.toBe(other);
    const unknown = await savingInto('/x', () => Promise.reject(Object.assign(new Error(''), { code: 'ENOSPC' })), async () => null).catch((e: Error) => e.message);
    expect(unknown).toBe('Not saved: the disk holding /x is full. Nothing already saved was changed.');
    expect([formatFree(0), formatFree(999), formatFree(12_345), formatFree(3_500_000_000)]).toEqual(['0 bytes', '999 bytes', '12 KB', '3 GB']);
  });

  it('refuses a model save and a rename with that message, and the library keeps what it had', async () => {
    const models = new ModelService({ resourcesDir: RESOURCES_DIR, userDataDir: path.join(root, 'user'), events: () => undefined });
    const library = new ModelLibrary({ models, dialogs: scriptedDialogs({}), trash: folderTrash(path.join(root, 'trash')) });
    await models.save('Kept');
    const libraryDir = models.libraryDir;
    diskFull();
    await expect(models.save('Second')).rejects.toThrow(message(libraryDir));
    await expect(library.rename('kept', 'New name')).rejects.toThrow(message(libraryDir));
    vi.mocked(writeFileDurably).mockRestore();
    expect(await readdir(libraryDir)).toEqual(['kept']);
    expect((await readModelFiles(path.join(libraryDir, 'kept'))).metadata.name).toBe('Kept');
  });

  it('refuses a run record write with that message, the last record standing', async () => {
    const store = new RunStore(path.join(root, 'runs'));
    const record: RunRecord = {
      format: RUN_FORMAT, version: 1, id: 'run-1', kind: 'train', sessionId: 's', continuedFrom: null, spec: DEFAULT_SPEC,
      datasetId: 'mnist', backend: 'cpu', appVersion: '1', startedAt: '2026-01-01T00:00:00.000Z', finishedAt: null,
      durationSeconds: 1, epochsPlanned: 2, outcome: 'running', error: null, history: [], final: null, savedModel: null,
    };
    await store.write(record);
    diskFull();
    await expect(store.write({ ...record, outcome: 'completed' })).rejects.toThrow(message(store.dir));
    vi.mocked(writeFileDurably).mockRestore();
    expect(await readdir(store.dir)).toEqual(['run-1.json']);
    expect((await store.list()).runs.map((r) => r.outcome)).toEqual(['running']);
  });
});

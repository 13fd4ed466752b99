import * as fs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { readModelFiles, writeModelFiles } from '../../../../src/engine/ml/model-files';
import { RESOURCES_DIR } from '../../../helpers/datasets';

// rename, with a switch to make the move of the new model into place fail (a full disk, a virus scanner
// holding the folder...), which cannot be provoked portably for real.
const failing = vi.hoisted(() => ({ on: false }));
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...real,
    rename: async (from: string, to: string) => {
      if (failing.on && from.includes('.tmp-')) throw Object.assign(new Error('EBUSY: resource busy'), { code: 'EBUSY' });
      return real.rename(from, to);
    },
  };
});

let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(tmpdir(), 'mlp-lab-files-'));
});
afterAll(() => fs.rm(dir, { recursive: true, force: true }));

describe('writeModelFiles', () => {
  it('puts the previous model back when the new one cannot be moved into place', async () => {
    const files = await readModelFiles(path.join(RESOURCES_DIR, 'models', 'default'));
    const target = path.join(dir, 'model');
    await writeModelFiles(target, { ...files, metadata: { ...files.metadata, name: 'old' } });
    failing.on = true;
    await expect(writeModelFiles(target, { ...files, metadata: { ...files.metadata, name: 'new' } })).rejects.toThrow(/EBUSY/);
    failing.on = false;
    expect((await readModelFiles(target)).metadata.name).toBe('old');
    expect(await fs.readdir(dir)).toEqual(['model']);
  });
});

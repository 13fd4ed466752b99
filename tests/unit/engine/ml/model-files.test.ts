import { execFileSync } from 'node:child_process';
import { fstatSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { readModelFiles, writeModelFiles } from '$engine/ml/model-files';
import { RESOURCES_DIR } from '$tests/helpers/datasets';

// rename, with a switch to make the move of the new model into place fail (a full disk, a virus scanner
// holding the folder...), which cannot be provoked portably for real.
const failing = vi.hoisted(() => ({ on: false }));
// What reached the disk in which order: renames by name, flushes by the inode of the handle flushed.
const events = vi.hoisted(() => [] as string[]);
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...real,
    rename: async (from: string, to: string) => {
      if (failing.on && from.includes('.tmp-')) throw Object.assign(new Error('EBUSY: resource busy'), { code: 'EBUSY' });
      events.push(`rename ${path.basename(from)}`);
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

  it('flushes every new file and their folder before the renames, and the renames before the old copy goes', async () => {
    const files = await readModelFiles(path.join(RESOURCES_DIR, 'models', 'default'));
    const target = path.join(dir, 'flushed');
    await writeModelFiles(target, files);
    const probe = await fs.open(path.join(target, 'model.json'));
    const sync = vi.spyOn(Object.getPrototypeOf(probe) as { sync: () => Promise<void> }, 'sync');
    await probe.close();
    sync.mockImplementation(function (this: { fd: number }) {
      events.push(`sync ${fstatSync(this.fd).ino}`);
      return Promise.resolve();
    });
    events.length = 0;
    try {
      await writeModelFiles(target, { ...files, metadata: { ...files.metadata, name: 'new' } });
    } finally {
      sync.mockRestore();
    }
    const ino = async (file: string) => `sync ${(await fs.stat(file)).ino}`;
    const written = await Promise.all(['model.json', 'weights.bin', 'metadata.json', ''].map((name) => ino(path.join(target, name))));
    const firstRename = events.findIndex((e) => e.startsWith('rename '));
    expect(events.slice(0, firstRename)).toEqual(written);
    expect(events.slice(firstRename)).toEqual([expect.stringMatching(/^rename flushed$/), expect.stringMatching(/^rename flushed\.tmp-/), await ino(dir)]);
  });

  it('refuses metadata that readModelFiles would refuse, writing nothing', async () => {
    const files = await readModelFiles(path.join(RESOURCES_DIR, 'models', 'default'));
    const target = path.join(dir, 'too-long');
    await expect(writeModelFiles(target, { ...files, metadata: { ...files.metadata, name: 'x'.repeat(1001) } })).rejects.toThrow(
      `${target}: metadata.json would not read back: invalid at name:`,
    );
    expect(await fs.readdir(dir)).not.toContain('too-long');
  });
});

describe('readModelFiles hardening', () => {
  const copy = async (name: string, change: (folder: string) => Promise<void>): Promise<string> => {
    const folder = path.join(dir, name);
    await fs.cp(path.join(RESOURCES_DIR, 'models', 'default'), folder, { recursive: true });
    await change(folder);
    return folder;
  };
  const editJson = (folder: string, edit: (json: Record<string, any>) => unknown) =>
    fs.readFile(path.join(folder, 'model.json'), 'utf8').then((text) => fs.writeFile(path.join(folder, 'model.json'), JSON.stringify(edit(JSON.parse(text)))));

  it.each([
    ['null-model', (json: Record<string, any>) => null, /null-model: model\.json is not a TensorFlow\.js Layers model/],
    ['null-entry', (json: Record<string, any>) => ((json.weightsManifest[0].weights[0] = null), json), /null-entry: model\.json weightsManifest is invalid at 0\.weights\.0/],
    ['no-shape', (json: Record<string, any>) => (delete json.weightsManifest[0].weights[1].shape, json), /no-shape: model\.json weightsManifest is invalid at 0\.weights\.1\.shape/],
  ])('names the folder and the field for %s', async (name, edit, message) => {
    await expect(readModelFiles(await copy(name, (f) => editJson(f, edit)))).rejects.toThrow(message);
  });

  it('refuses a weights.bin that links to /dev/zero without reading it', async () => {
    const folder = await copy('zero', async (f) => {
      await fs.rm(path.join(f, 'weights.bin'));
      await fs.symlink('/dev/zero', path.join(f, 'weights.bin'));
    });
    await expect(readModelFiles(folder)).rejects.toThrow(/zero: weights\.bin is not a regular file/);
  });

  it('refuses a model.json that is a FIFO at once, without waiting for a writer', async () => {
    const folder = await copy('fifo', async (f) => {
      await fs.rm(path.join(f, 'model.json'));
      execFileSync('mkfifo', [path.join(f, 'model.json')]);
    });
    await expect(readModelFiles(folder)).rejects.toThrow(/fifo: model\.json is not a regular file/);
  });

  it('names the first missing file in file order, whichever read fails first', async () => {
    // A missing folder fails all three reads; which one loses the race varies from run to run.
    for (let round = 0; round < 20; round += 1) {
      await expect(readModelFiles(path.join(dir, 'no-such-model'))).rejects.toThrow(/no-such-model: model\.json is missing/);
    }
    const noMetadata = await copy('no-metadata', (f) => fs.rm(path.join(f, 'metadata.json')));
    await expect(readModelFiles(noMetadata)).rejects.toThrow(/no-metadata: metadata\.json is missing/);
  });

  it('refuses NaN and infinite weights', async () => {
    const folder = await copy('nan', async (f) => {
      const bytes = await fs.readFile(path.join(f, 'weights.bin'));
      bytes.writeFloatLE(Number.POSITIVE_INFINITY, 40);
      await fs.writeFile(path.join(f, 'weights.bin'), bytes);
    });
    await expect(readModelFiles(folder)).rejects.toThrow(/nan: weights\.bin holds a NaN or infinite weight \(at index 10\)/);
  });
});

import { execFileSync } from 'node:child_process';
import { constants } from 'node:fs';
import { lstat, open, readdir, readFile, readlink, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import { describe, expect, it, vi } from 'vitest';
import { READ_LIMITS, readModelFiles } from '$engine/ml/model-files';
import { exportZip, sourceFromZip } from '$main/services/model-archive';
import { RESOURCES_DIR } from '$tests/helpers/datasets';
import { tempDirs } from '$tests/helpers/temp-dirs';

// A disk that fills up halfway through a write, whether the file is written whole or through a handle:
// a full disk cannot be provoked portably for real.
const full = vi.hoisted(() => ({ on: false }));
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  const halfThenFull = async (write: (bytes: Uint8Array) => Promise<void>, data: string | Uint8Array) => {
    const bytes = typeof data === 'string' ? Buffer.from(data) : data;
    await write(bytes.subarray(0, bytes.length >> 1));
    throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
  };
  return {
    ...real,
    writeFile: (file: string, data: string | Uint8Array, options?: object) =>
      full.on ? halfThenFull((bytes) => real.writeFile(file, bytes, options), data) : real.writeFile(file, data, options),
    open: async (...args: Parameters<typeof real.open>) => {
      const handle = await real.open(...args);
      if (full.on) {
        const write = handle.writeFile.bind(handle);
        handle.writeFile = (data: string | Uint8Array) => halfThenFull((bytes) => write(bytes), data);
      }
      return handle;
    },
  };
});

const tempDir = tempDirs('mlp-lab-archive-');

describe('exportZip', () => {
  it('neither opens nor removes what sits at <target>.partial (a FIFO, a link, a file of the user), and still exports', async () => {
    const files = await readModelFiles(path.join(RESOURCES_DIR, 'models', 'default'));
    const dir = await tempDir();
    const fifo = path.join(dir, 'a.zip.partial');
    execFileSync('mkfifo', [fifo]);
    const victim = path.join(dir, 'victim.txt');
    await writeFile(victim, 'mine');
    await symlink(victim, path.join(dir, 'b.zip.partial'));
    await writeFile(path.join(dir, 'c.zip.partial'), 'also mine');

    let timer: NodeJS.Timeout | undefined;
    const hung = new Promise<'hung'>((resolve) => (timer = setTimeout(() => resolve('hung'), 10_000)));
    const outcome = await Promise.race([exportZip(path.join(dir, 'a.zip'), files).then(() => 'done'), hung]);
    clearTimeout(timer);
    // A writer stuck opening the FIFO is let go (it then fails), so a failing run still ends.
    if (outcome === 'hung') await (await open(fifo, constants.O_RDONLY | constants.O_NONBLOCK)).close();
    expect(outcome).toBe('done');
    expect((await lstat(fifo)).isFIFO()).toBe(true);

    await exportZip(path.join(dir, 'b.zip'), files);
    await exportZip(path.join(dir, 'c.zip'), files);
    expect(await readlink(path.join(dir, 'b.zip.partial'))).toBe(victim);
    expect(await readFile(victim, 'utf8')).toBe('mine');
    expect(await readFile(path.join(dir, 'c.zip.partial'), 'utf8')).toBe('also mine');
    for (const name of ['a.zip', 'b.zip', 'c.zip']) {
      expect(Object.keys(unzipSync(new Uint8Array(await readFile(path.join(dir, name))))).sort()).toEqual(['README.txt', 'metadata.json', 'model.json', 'weights.bin']);
    }
  });

  it('leaves neither the target nor a temporary file when the write fails, and keeps a zip already at the target', async () => {
    const files = await readModelFiles(path.join(RESOURCES_DIR, 'models', 'default'));
    const dir = await tempDir();
    await writeFile(path.join(dir, 'old.zip'), 'an earlier export');
    full.on = true;
    try {
      await expect(exportZip(path.join(dir, 'new.zip'), files)).rejects.toThrow(/^Not saved: the disk holding .* is full .*Nothing already saved was changed\.$/);
      await expect(exportZip(path.join(dir, 'old.zip'), files)).rejects.toThrow(/^Not saved: the disk holding .* is full .*Nothing already saved was changed\.$/);
    } finally {
      full.on = false;
    }
    expect(await readdir(dir)).toEqual(['old.zip']);
    expect(await readFile(path.join(dir, 'old.zip'), 'utf8')).toBe('an earlier export');
  });
});

describe('sourceFromZip', () => {
  it('holds model.json and metadata.json in a zip to the 16 MiB a folder\'s may take, before inflating them', async () => {
    const dir = await tempDir();
    // 100 MiB of JSON that deflates to a few hundred kB: refused by its declared size, and never parsed.
    const big = new Uint8Array(100 * 2 ** 20).fill(0x20);
    big.set(new TextEncoder().encode('{"modelTopology":{},"weightsManifest":[]'), 0);
    big[big.length - 1] = 0x7d;
    for (const name of ['model.json', 'metadata.json']) {
      const zip = path.join(dir, `${name}.zip`);
      const entries: Record<string, Uint8Array> = { 'model.json': new TextEncoder().encode('{"modelTopology":{},"weightsManifest":[]}') };
      entries[name] = big;
      await writeFile(zip, zipSync(entries, { level: 1 }));
      await expect(sourceFromZip(zip)).rejects.toThrow(`${zip} ${name} declares ${big.length} bytes, more than the ${READ_LIMITS.modelJson} it may take`);
    }
  });
});

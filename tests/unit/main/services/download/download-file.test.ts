import { execFileSync } from 'node:child_process';
import { constants } from 'node:fs';
import { lstat, mkdir, open, readdir, readFile, readlink, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { fetchFile, verifiedFileOk, type FileToFetch } from '$main/services/download/download-file';
import type { Fetcher } from '$main/services/download/fetcher';
import { DATASETS } from '$shared/datasets/catalog';
import { sha } from '$tests/helpers/dataset-mirror';
import { tempDirs } from '$tests/helpers/temp-dirs';

const tempDir = tempDirs('mlp-lab-verify-');
const MAX = 1 << 20;
const raw = new Uint8Array(4096).map((_, i) => (i * 7) % 251);
const original = gzipSync(raw, { level: 9 });
// The same contents, compressed otherwise: what a recompressing mirror serves.
const recompressed = gzipSync(raw, { level: 1 });

async function fileWith(bytes: Uint8Array): Promise<string> {
  const file = path.join(await tempDir(), 'train-images-idx3-ubyte.gz');
  await writeFile(file, bytes);
  return file;
}

describe('verifiedFileOk', () => {
  const withContents: FileToFetch = { name: 'x.gz', archiveBytes: original.length, archiveSha256: sha(original), decompressedSha256: sha(raw) };
  const archiveOnly: FileToFetch = { name: 'x.gz', archiveBytes: original.length, archiveSha256: sha(original) };

  it('accepts the original archive, and a recompressed one when the contents checksum is known', async () => {
    expect(recompressed.length).not.toBe(original.length);
    expect(await verifiedFileOk(await fileWith(original), withContents, MAX)).toBeNull();
    expect(await verifiedFileOk(await fileWith(recompressed), withContents, MAX)).toBeNull();
    expect(await verifiedFileOk(await fileWith(original), archiveOnly, MAX)).toBeNull();
  });

  it('without a contents checksum (KMNIST), refuses anything but the original archive, saying why', async () => {
    expect(await verifiedFileOk(await fileWith(recompressed), archiveOnly, MAX)).toBe(
      `is ${recompressed.length} bytes, not the ${original.length} of the catalog's archive`,
    );
    // A copy: Buffer.slice is a view, and flipping a byte there would corrupt `original` for later tests.
    const sameSize = Buffer.from(original);
    sameSize[sameSize.length - 5] ^= 0xff;
    expect(await verifiedFileOk(await fileWith(sameSize), archiveOnly, MAX)).toBe('has the wrong SHA-256 (the archive does not match the catalog)');
    expect(await verifiedFileOk(await fileWith(new TextEncoder().encode('<html>')), archiveOnly, MAX)).toMatch(/^is not gzip/);
  });

  it('refuses at once what is not a regular file of a sane size: a FIFO, /dev/zero, a folder, nothing', async () => {
    const dir = await tempDir();
    const fifo = path.join(dir, 'fifo.gz');
    execFileSync('mkfifo', [fifo]);
    expect(await verifiedFileOk(fifo, archiveOnly, MAX)).toBe('is not a regular file');
    const zero = path.join(dir, 'zero.gz');
    await symlink('/dev/zero', zero);
    expect(await verifiedFileOk(zero, archiveOnly, MAX)).toBe('is not a regular file');
    expect(await verifiedFileOk(dir, archiveOnly, MAX)).toBe('is not a regular file');
    expect(await verifiedFileOk(path.join(dir, 'absent.gz'), archiveOnly, MAX)).toBe('is missing');
    const huge = await fileWith(new Uint8Array(original.length * 2 + 64 * 1024));
    expect(await verifiedFileOk(huge, archiveOnly, MAX)).toMatch(/^is \d+ bytes, more than the \d+ accepted$/);
  });

  it('is what the catalog gives KMNIST: sizes and archive hashes from TensorFlow Datasets, no contents hashes', () => {
    for (const file of Object.values(DATASETS.kmnist.files)) {
      expect(file.archiveSha256).toMatch(/^[0-9a-f]{64}$/);
      expect(file.decompressedSha256).toBeUndefined();
    }
    expect(DATASETS.kmnist.files.trainImages.archiveBytes).toBe(18_165_135);
  });
});

describe('fetchFile', () => {
  const file: FileToFetch = { name: 'x.gz', archiveBytes: original.length, archiveSha256: sha(original), decompressedSha256: sha(raw) };
  // A mirror that ignores Range requests: a 200 with the whole file, so a resume starts over.
  const fetcher: Fetcher = async () => new Response(original, { status: 200, headers: { 'content-length': String(original.length) } });
  const fetchInto = (finalPath: string) =>
    fetchFile({ fetch: fetcher, file, mirrors: ['http://mirror.test/'], finalPath, signal: new AbortController().signal, onBytes: () => {}, onMirrorFailure: () => {} });

  it('replaces, never opens or follows, what is not a regular file at <final>.part: a FIFO, a link, a folder', async () => {
    const dir = await tempDir();
    const victim = path.join(dir, 'victim.txt');
    await writeFile(victim, 'mine');
    execFileSync('mkfifo', [path.join(dir, 'a.gz.part')]);
    await symlink(victim, path.join(dir, 'b.gz.part'));
    await mkdir(path.join(dir, 'c.gz.part'));
    await writeFile(path.join(dir, 'c.gz.part', 'inside'), 'x');

    let timer: NodeJS.Timeout | undefined;
    const hung = new Promise<'hung'>((resolve) => (timer = setTimeout(() => resolve('hung'), 10_000)));
    const outcome = await Promise.race([fetchInto(path.join(dir, 'a.gz')).then(() => 'done'), hung]);
    clearTimeout(timer);
    // A writer stuck opening the FIFO is let go (it then fails), so a failing run still ends.
    if (outcome === 'hung') await (await open(path.join(dir, 'a.gz.part'), constants.O_RDONLY | constants.O_NONBLOCK)).close();
    expect(outcome).toBe('done');
    await fetchInto(path.join(dir, 'b.gz'));
    await fetchInto(path.join(dir, 'c.gz'));

    expect(await readFile(victim, 'utf8')).toBe('mine');
    for (const name of ['a.gz', 'b.gz', 'c.gz']) expect((await readFile(path.join(dir, name))).equals(original)).toBe(true);
    expect((await readdir(dir)).sort()).toEqual(['a.gz', 'b.gz', 'c.gz', 'victim.txt']);
  });
});

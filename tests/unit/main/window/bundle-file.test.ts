import { execFileSync } from 'node:child_process';
import { constants } from 'node:fs';
import { mkdir, mkdtemp, open, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BUNDLE_FILE_BYTES, readBundleFile } from '$main/window/bundle-file';

// Symlinks need privileges on Windows and FIFOs do not live in its file system.
const posix = process.platform !== 'win32';

// Generous, not a speed check: a FIFO read that blocks would otherwise sit out the 120 s test timeout.
// What the files outside the bundle hold; no answer may ever contain it.
const SECRET = 'secret-outside-the-bundle-7f3a';

const NO_HANG = { timeout: 10_000 };

describe.skipIf(!posix)('readBundleFile', () => {
  let base: string;
  let bundle: string;
  const inBundle = (...parts: string[]): string => path.join(bundle, ...parts);

  beforeAll(async () => {
    base = await mkdtemp(path.join(tmpdir(), 'mlp-lab-bundle-file-'));
    bundle = path.join(base, 'renderer');
    await mkdir(path.join(bundle, 'assets'), { recursive: true });
    await writeFile(inBundle('index.html'), '<!doctype html><title>MLP Lab</title>');
    await writeFile(inBundle('assets', 'main.js'), 'console.log(1);');
    await writeFile(inBundle('..notes.txt'), 'a name that starts with two dots');
    await writeFile(inBundle('ten.bin'), '0123456789');
    await writeFile(path.join(base, 'secret.txt'), SECRET);
    await mkdir(path.join(base, 'outside-dir'));
    await writeFile(path.join(base, 'outside-dir', 'secret.txt'), SECRET);

    await symlink('../secret.txt', inBundle('leak-relative.txt'));
    await symlink(path.join(base, 'secret.txt'), inBundle('leak-absolute.txt'));
    await symlink(path.join(base, 'outside-dir'), inBundle('leak-dir'));
    await symlink('../../secret.txt', inBundle('assets', 'leak-deeper.txt'));
    await symlink('assets/main.js', inBundle('alias.js'));
    await symlink('assets', inBundle('assets-alias'));
    await symlink('nowhere.js', inBundle('dangling.js'));
    await symlink('loop.js', inBundle('loop.js'));
    await symlink('renderer', path.join(base, 'renderer-link'));
    execFileSync('mkfifo', [inBundle('pipe.js')]);
    await writeFile(inBundle('huge.bin'), '');
    // Sparse: one byte over the cap without writing 64 MiB to disk.
    await truncate(inBundle('huge.bin'), MAX_BUNDLE_FILE_BYTES + 1);
  });

  afterAll(async () => {
    // If a read ever did block on the FIFO, a writer end releases the thread it holds.
    await open(inBundle('pipe.js'), constants.O_WRONLY | constants.O_NONBLOCK)
      .then((writer) => writer.close())
      .catch(() => undefined);
    await rm(base, { recursive: true, force: true });
  });

  it('reads a regular file inside the bundle', async () => {
    const file = await readBundleFile(bundle, inBundle('assets', 'main.js'));
    expect(file.kind).toBe('file');
    expect(file.kind === 'file' && file.body.toString()).toBe('console.log(1);');
  });

  it('reads a file whose name merely starts with two dots', async () => {
    const file = await readBundleFile(bundle, inBundle('..notes.txt'));
    expect(file.kind === 'file' && file.body.toString()).toBe('a name that starts with two dots');
  });

  it.each([
    ['a link to a file inside', 'alias.js'],
    ['a file under a link to a folder inside', path.join('assets-alias', 'main.js')],
  ])('serves %s', async (_why, relative) => {
    const file = await readBundleFile(bundle, inBundle(relative));
    expect(file.kind === 'file' && file.body.toString()).toBe('console.log(1);');
  });

  it('serves a bundle that is itself reached through a link', async () => {
    const linked = path.join(base, 'renderer-link');
    const file = await readBundleFile(linked, path.join(linked, 'index.html'));
    expect(file.kind === 'file' && file.body.toString()).toContain('MLP Lab');
  });

  it.each([
    ['a relative link out', 'leak-relative.txt'],
    ['an absolute link out', 'leak-absolute.txt'],
    ['a file under a link to a folder outside', path.join('leak-dir', 'secret.txt')],
    ['a link out from a subfolder', path.join('assets', 'leak-deeper.txt')],
  ])('refuses %s without reading it', async (_why, relative) => {
    const file = await readBundleFile(bundle, inBundle(relative));
    expect(file.kind).toBe('forbidden');
    expect(JSON.stringify(file)).not.toContain(SECRET);
    expect(file.kind === 'forbidden' && file.reason).toContain(inBundle(relative));
  });

  it('refuses a FIFO without waiting for a writer', NO_HANG, async () => {
    const file = await readBundleFile(bundle, inBundle('pipe.js'));
    expect(file).toEqual({ kind: 'forbidden', reason: `${inBundle('pipe.js')} is not a regular file` });
  });

  it.each([
    ['a folder', 'assets'],
    ['a link to a folder', 'assets-alias'],
    ['a missing file', 'nope.js'],
    ['a dangling link', 'dangling.js'],
    ['a link loop', 'loop.js'],
    ['a path through a file', path.join('index.html', 'x.js')],
  ])('answers missing for %s', NO_HANG, async (_why, relative) => {
    expect(await readBundleFile(bundle, inBundle(relative))).toEqual({ kind: 'missing' });
  });

  it('answers missing when the bundle folder itself is gone', async () => {
    const gone = path.join(base, 'no-renderer');
    expect(await readBundleFile(gone, path.join(gone, 'index.html'))).toEqual({ kind: 'missing' });
  });

  it('refuses a file over the default cap without reading it', async () => {
    const file = await readBundleFile(bundle, inBundle('huge.bin'));
    expect(file.kind).toBe('forbidden');
    expect(file.kind === 'forbidden' && file.reason).toContain(`${MAX_BUNDLE_FILE_BYTES + 1} bytes`);
  });

  it('serves a file exactly at the cap and refuses one byte over', async () => {
    const atCap = await readBundleFile(bundle, inBundle('ten.bin'), 10);
    expect(atCap.kind === 'file' && atCap.body.toString()).toBe('0123456789');
    expect((await readBundleFile(bundle, inBundle('ten.bin'), 9)).kind).toBe('forbidden');
  });
});

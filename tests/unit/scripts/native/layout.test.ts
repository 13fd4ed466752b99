import { zipSync } from 'fflate';
import { lstat, mkdtemp, readFile, readlink, readdir, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HEADER_PREFIXES, isLaidOut, layOut, MARKER, SYMLINKS, wheelIdentity } from '$scripts/native/layout';

const text = (s: string) => new TextEncoder().encode(s);

/** A wheel-shaped zip: the two libraries, C API headers, and what must be left out. */
function fakeWheel(extra: Record<string, Uint8Array> = {}, version = 'a'): Uint8Array {
  return zipSync({
    'tensorflow/libtensorflow_cc.so.2': text(`cc ${version}`),
    'tensorflow/libtensorflow_framework.so.2': text('framework'),
    'tensorflow/include/tensorflow/c/c_api.h': text('// c api'),
    'tensorflow/include/tensorflow/c/eager/c_api.h': text('// eager'),
    'tensorflow/include/tsl/platform/ctstring_internal.h': text('// tsl'),
    'tensorflow/include/Eigen/Core': text('// not needed'),
    'tensorflow/python/_pywrap.so': text('python only'),
    ...extra,
  });
}

async function setup(wheelBytes: Uint8Array) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'native-layout-'));
  const wheel = path.join(dir, 'tensorflow_cpu-2.21.0-cp311-cp311-manylinux_2_27_x86_64.whl');
  await writeFile(wheel, wheelBytes);
  return { dir, wheel, deps: path.join(dir, 'pkg', 'deps') };
}

describe('layOut', () => {
  it('lays out lib/ with the names tfjs-node links pointing at the wheel library, and only the C API headers', async () => {
    const { wheel, deps } = await setup(fakeWheel());
    await layOut(wheel, deps);
    expect(await readFile(path.join(deps, 'lib/libtensorflow_cc.so.2'), 'utf8')).toBe('cc a');
    for (const [link, target] of Object.entries(SYMLINKS)) {
      expect((await lstat(path.join(deps, link))).isSymbolicLink()).toBe(true);
      expect(await readlink(path.join(deps, link))).toBe(target);
    }
    expect(await readFile(path.join(deps, MARKER), 'utf8')).toBe('cc a');
    expect(await readFile(path.join(deps, 'include/tensorflow/c/eager/c_api.h'), 'utf8')).toBe('// eager');
    expect(await readFile(path.join(deps, 'include/tsl/platform/ctstring_internal.h'), 'utf8')).toBe('// tsl');
    expect((await readdir(path.join(deps, 'include'))).sort()).toEqual(['tensorflow', 'tsl']);
    expect(HEADER_PREFIXES[0]).toBe('tensorflow/include/tensorflow/c/');
  });

  it('knows when a layout is from the same wheel, and replaces it whole from another', async () => {
    const { wheel, deps } = await setup(fakeWheel());
    expect(await isLaidOut(deps, await wheelIdentity(wheel))).toBe(false);
    await layOut(wheel, deps);
    expect(await isLaidOut(deps, await wheelIdentity(wheel))).toBe(true);
    await writeFile(wheel, fakeWheel({}, 'b'));
    await utimes(wheel, new Date(), new Date(Date.now() + 5000));
    expect(await isLaidOut(deps, await wheelIdentity(wheel))).toBe(false);
    await layOut(wheel, deps);
    expect(await readFile(path.join(deps, MARKER), 'utf8')).toBe('cc b');
    expect(await readdir(path.dirname(deps))).toEqual(['deps']);
  });

  it('refuses a member that climbs out of the folder, keeping the old layout and leaving no partial one', async () => {
    const { dir, wheel, deps } = await setup(fakeWheel());
    await layOut(wheel, deps);
    const evil = path.join(dir, 'evil.whl');
    await writeFile(evil, fakeWheel({ 'tensorflow/include/tsl/../../../../escaped.h': text('x') }));
    await expect(layOut(evil, deps)).rejects.toThrow(/evil\.whl: refused member .*escaped\.h.*not a plain relative file/);
    expect(await readdir(path.dirname(deps))).toEqual(['deps']);
    expect(await readFile(path.join(deps, MARKER), 'utf8')).toBe('cc a');
    await expect(lstat(path.join(dir, 'escaped.h'))).rejects.toThrow();
  });

  it('says what is missing from a wheel that is not a TensorFlow CPU wheel', async () => {
    const { dir, deps } = await setup(fakeWheel());
    const other = path.join(dir, 'numpy.whl');
    await writeFile(other, zipSync({ 'numpy/__init__.py': text('') }));
    await expect(layOut(other, deps)).rejects.toThrow(/numpy\.whl: the wheel has no tensorflow\/libtensorflow_cc\.so\.2, .*is it a TensorFlow CPU wheel/);
    await writeFile(other, text('not a zip'));
    await expect(layOut(other, deps)).rejects.toThrow(/numpy\.whl: .*zip/i);
  });
});

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultCacheDir, parseNativeArgs } from '$scripts/native/args';

describe('parseNativeArgs', () => {
  const env = { XDG_CACHE_HOME: '/xdg' };

  it('defaults to a pip download cached under XDG_CACHE_HOME, no force', () => {
    expect(parseNativeArgs([], env)).toEqual({ wheel: null, cacheDir: '/xdg/mlp-lab', force: false, help: false });
    expect(defaultCacheDir({}, '/home/u')).toBe('/home/u/.cache/mlp-lab');
    // A relative XDG_CACHE_HOME is invalid by the spec and ignored.
    expect(defaultCacheDir({ XDG_CACHE_HOME: 'rel' }, '/home/u')).toBe('/home/u/.cache/mlp-lab');
  });

  it('takes a wheel, a cache folder (either spelling) and --force, resolving paths', () => {
    const args = parseNativeArgs(['--wheel', 'w/tensorflow_cpu-2.21.0-x.whl', '--cache-dir=c', '--force'], env);
    expect(args).toEqual({ wheel: path.resolve('w/tensorflow_cpu-2.21.0-x.whl'), cacheDir: path.resolve('c'), force: true, help: false });
    expect(parseNativeArgs(['-h'], env).help).toBe(true);
  });

  it('refuses unknown options, missing values and a wheel that is not a .whl, naming them', () => {
    expect(() => parseNativeArgs(['--wheels', 'x'], env)).toThrow('unknown option "--wheels"');
    expect(() => parseNativeArgs(['--wheel'], env)).toThrow('--wheel needs a value');
    expect(() => parseNativeArgs(['--wheel', '--force'], env)).toThrow('--wheel needs a value');
    expect(() => parseNativeArgs(['--cache-dir='], env)).toThrow('--cache-dir needs a value');
    expect(() => parseNativeArgs(['--wheel', 'libtensorflow.tar.gz'], env)).toThrow('--wheel must name a .whl file, not "libtensorflow.tar.gz"');
    expect(() => parseNativeArgs(['--force=yes'], env)).toThrow('--force takes no value');
  });
});

import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pthreadScript, pthreadScriptSource, wasmOutDir } from '$engine/ml/wasm-threads';

let base: string;
beforeEach(async () => {
  base = await mkdtemp(path.join(tmpdir(), 'mlp-lab-script-'));
});
afterEach(() => rm(base, { recursive: true, force: true }));

const owner = typeof process.getuid === 'function' ? String(process.getuid()) : userInfo().username;

describe('the pthread script', () => {
  it('loads the package\'s pthread script and hands it the standalone threaded build', () => {
    const source = pthreadScriptSource();
    expect(source).toContain(JSON.stringify(path.join(wasmOutDir(), 'tfjs-backend-wasm-threaded-simd.js')));
    expect(source).toContain(JSON.stringify(path.join(wasmOutDir(), 'tfjs-backend-wasm-threaded-simd.worker.js')));
    expect(() => pthreadScriptSource(base)).toThrow(/tfjs-backend-wasm-threaded-simd\.js/);
  });

  it('is written once in a private folder of this user, named by its content, and reused', async () => {
    const file = pthreadScript('// one', base);
    expect(path.dirname(file)).toBe(path.join(base, `mlp-lab-${owner}`));
    expect(path.basename(file)).toMatch(/^wasm-pthread-[0-9a-f]{16}\.cjs$/);
    expect(await readFile(file, 'utf8')).toBe('// one');
    expect(pthreadScript('// one', base)).toBe(file);
    expect(pthreadScript('// two', base)).not.toBe(file);
  });

  it('replaces a file at its path that is not exactly its content', async () => {
    const file = pthreadScript('// ours', base);
    await writeFile(file, '// tampered');
    expect(pthreadScript('// ours', base)).toBe(file);
    expect(await readFile(file, 'utf8')).toBe('// ours');
  });

  it.skipIf(process.platform === 'win32')('refuses a folder others may write to', async () => {
    const dir = path.join(base, `mlp-lab-${owner}`);
    await mkdir(dir);
    await chmod(dir, 0o777);
    expect(() => pthreadScript('// ours', base)).toThrow(/is not a private folder of this user .*mode 777/);
  });
});

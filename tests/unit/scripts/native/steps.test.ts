import { chmod, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cachedWheel, missingTools, nodeHeadersPrefix, step } from '$scripts/native/steps';

describe('native:install steps', () => {
  it('prints each step with its number and time', async () => {
    const lines: string[] = [];
    expect(await step(2, 6, 'doing it', async () => 7, (l) => lines.push(l))).toBe(7);
    expect(lines[0]).toBe('[2/6] doing it…');
    expect(lines[1]).toMatch(/^\[2\/6\] doing it: done in \d+\.\d s$/);
  });

  it('finds a cached wheel of the pinned version only', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'native-cache-'));
    expect(cachedWheel(path.join(dir, 'none'))).toBeNull();
    await writeFile(path.join(dir, 'tensorflow_cpu-2.20.0-cp311-cp311-manylinux_2_27_x86_64.whl'), '');
    expect(cachedWheel(dir)).toBeNull();
    await writeFile(path.join(dir, 'tensorflow_cpu-2.21.0-cp311-cp311-manylinux_2_27_x86_64.whl'), '');
    expect(cachedWheel(dir)).toBe(path.join(dir, 'tensorflow_cpu-2.21.0-cp311-cp311-manylinux_2_27_x86_64.whl'));
  });

  it('names the build tools missing from PATH', async () => {
    const bin = await mkdtemp(path.join(os.tmpdir(), 'native-bin-'));
    expect(missingTools({ PATH: bin })).toEqual(['make', 'a C++ compiler (g++)', 'python3']);
    for (const tool of ['make', 'g++', 'python3']) {
      await writeFile(path.join(bin, tool), '');
      await chmod(path.join(bin, tool), 0o755);
    }
    expect(missingTools({ PATH: bin })).toEqual([]);
  });

  it('uses the Node prefix for headers only when it has include/node/node_api.h', async () => {
    const prefix = await mkdtemp(path.join(os.tmpdir(), 'native-node-'));
    expect(nodeHeadersPrefix(path.join(prefix, 'bin', 'node'))).toBeNull();
    await mkdir(path.join(prefix, 'include', 'node'), { recursive: true });
    await writeFile(path.join(prefix, 'include', 'node', 'node_api.h'), '');
    expect(nodeHeadersPrefix(path.join(prefix, 'bin', 'node'))).toBe(prefix);
  });
});

import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeAtomically } from '$main/services/atomic-write';
import { tempDirs } from '$tests/helpers/temp-dirs';

const tempDir = tempDirs('mlp-lab-atomic-');

describe('writeAtomically', () => {
  it('replaces the file whole and leaves no temporary file', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'a.json');
    await writeFile(file, 'old');
    await writeAtomically(file, 'new');
    expect(await readFile(file, 'utf8')).toBe('new');
    expect(await readdir(dir)).toEqual(['a.json']);
  });

  it('refuses a temporary name already taken, and leaves what is there', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'a.json');
    const taken = path.join(dir, 'a.json.tmp');
    await writeFile(taken, 'not ours');
    await expect(writeAtomically(file, 'new', taken)).rejects.toMatchObject({ code: 'EEXIST' });
    expect(await readFile(taken, 'utf8')).toBe('not ours');
    expect(await readdir(dir)).toEqual(['a.json.tmp']);
  });
});

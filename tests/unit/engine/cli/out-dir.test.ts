import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '$engine/cli/args';
import { checkOutDir } from '$engine/cli/out-dir';
import { tempDirs } from '$tests/helpers/temp-dirs';

const tempDir = tempDirs('mlp-lab-out-dir-');

describe('checkOutDir', () => {
  it('accepts a new folder, an empty one, and a saved model (whole or partial) to replace', async () => {
    const dir = await tempDir();
    await expect(checkOutDir(path.join(dir, 'new', 'model'))).resolves.toBeUndefined();
    await expect(checkOutDir(dir)).resolves.toBeUndefined();
    for (const name of ['model.json', 'weights.bin', 'metadata.json']) await writeFile(path.join(dir, name), 'x');
    await expect(checkOutDir(dir)).resolves.toBeUndefined();
  });

  it('refuses a folder holding anything else, naming the folder and what it holds', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'model.json'), 'x');
    await writeFile(path.join(dir, 'notes.txt'), 'mine');
    await mkdir(path.join(dir, 'photos'));
    const error = await checkOutDir(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    const { message } = error as Error;
    expect(message.startsWith(`--out ${dir} holds `)).toBe(true);
    expect(message).toMatch(/holds (notes\.txt, photos\/|photos\/, notes\.txt), which saving would delete/);
  });

  it('refuses a model file name that is a folder, a plain file and a symbolic link as --out', async () => {
    const dir = await tempDir();
    await mkdir(path.join(dir, 'model', 'weights.bin'), { recursive: true });
    await expect(checkOutDir(path.join(dir, 'model'))).rejects.toThrow(/holds weights\.bin\/, which saving would delete/);
    await writeFile(path.join(dir, 'file'), 'mine');
    await expect(checkOutDir(path.join(dir, 'file'))).rejects.toThrow(/file is a file, not a folder/);
    await symlink(path.join(dir, 'model'), path.join(dir, 'link'));
    await expect(checkOutDir(path.join(dir, 'link'))).rejects.toThrow(/link is a symbolic link, not a folder/);
  });

  it('names only the first few entries of a crowded folder', async () => {
    const dir = await tempDir();
    for (let i = 0; i < 20; i++) await writeFile(path.join(dir, `f${i}`), '');
    const message = (await checkOutDir(dir).catch((e: Error) => e))!.message;
    expect(message.match(/\bf\d+/g)).toHaveLength(5);
    expect(message).toContain(', …, which saving would delete');
  });
});

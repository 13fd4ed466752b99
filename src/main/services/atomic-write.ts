import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import path from 'node:path';

/**
 * Writes `data` to a new temporary file beside `file` (`temp`, by default `<file>.<pid>.<hex>.tmp`),
 * flushes it to the disk and renames it over `file`: readers see the old file or the new, whole.
 * Without the flush a power loss soon after can leave the rename done but the data not, an empty file.
 */
export async function writeAtomically(file: string, data: string | Uint8Array, temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`): Promise<void> {
  try {
    const handle = await open(temp, 'wx');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await syncFolder(path.dirname(file));
}

/** Flushes a folder's entries (the rename) to the disk. Best effort: Windows, for one, cannot open a folder. */
async function syncFolder(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // The file is whole either way; only which version survives a power loss is less certain.
  }
}

import { open } from 'node:fs/promises';

/**
 * Writing so that a power loss cannot undo it. A rename reaches the disk on its own schedule, not
 * after the data it points at: without these flushes a file renamed into place can come back empty.
 */

/** Writes `data` to a new file (`wx`: never over something already there) and flushes it to the disk. */
export async function writeFileDurably(file: string, data: string | Uint8Array): Promise<void> {
  const handle = await open(file, 'wx');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Flushes a folder's entries (files created or renamed in it) to the disk. Best effort: Windows, for one, cannot open a folder. */
export async function syncFolder(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // The files are whole either way; only which version survives a power loss is less certain.
  }
}

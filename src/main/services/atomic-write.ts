import { randomBytes } from 'node:crypto';
import { rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { syncFolder, writeFileDurably } from '../../engine/fs/durable';
import { holdingTemp } from './leftovers';
import { savingInto } from './disk-full';

/**
 * Writes `data` to a new temporary file beside `file` (`temp`, by default `<file>.<pid>.<hex>.tmp`),
 * flushes it to the disk and renames it over `file`: readers see the old file or the new, whole.
 * Without the flush a power loss soon after can leave the rename done but the data not, an empty file.
 */
export function writeAtomically(file: string, data: string | Uint8Array, temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`): Promise<void> {
  // Held while written, so that the startup sweep of killed writes' files never takes a live one.
  return savingInto(path.dirname(file), () => holdingTemp(temp, () => writeThrough(file, data, temp)));
}

async function writeThrough(file: string, data: string | Uint8Array, temp: string): Promise<void> {
  try {
    await writeFileDurably(temp, data);
  } catch (error) {
    // EEXIST: 'wx' found something already at `temp`, which is not ours to remove.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') await rm(temp, { force: true });
    throw error;
  }
  try {
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await syncFolder(path.dirname(file));
}

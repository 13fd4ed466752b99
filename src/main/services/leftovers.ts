import { lstat, readdir, rm } from 'node:fs/promises';
import path from 'node:path';

/**
 * The one rule for what a killed write left behind, for every store under the user-data folder: a
 * temporary file or folder untouched for STALE_MS, that no writer of this process holds, belongs to a
 * process that is gone. A live write touches its file as it goes, and takes seconds, not minutes; a
 * second app instance cannot be writing there (Electron's single-instance lock), and a copy of the app
 * writing anyway would have touched the file within the window. Model saves' .tmp-/.old- folders go by
 * it (library-debris.ts), and so do the runs' and the handwriting set's temporary files (below).
 */
export const STALE_MS = 10 * 60_000;

export const isStale = (mtimeMs: number, now: number): boolean => now - mtimeMs >= STALE_MS;

/** Temporary files a write of this process is filling right now: never swept, whatever their age. */
const live = new Set<string>();

/** Marks `file` as being written for as long as `write` runs. */
export async function holdingTemp<T>(file: string, write: () => Promise<T>): Promise<T> {
  const key = path.resolve(file);
  live.add(key);
  try {
    return await write();
  } finally {
    live.delete(key);
  }
}

/**
 * Removes the regular files in `dir` whose names match `pattern` and that the rule above says were
 * left by a killed write; returns their paths. Links, folders and other names are never touched; a
 * missing folder has nothing to sweep.
 */
export async function sweepTempFiles(dir: string, pattern: RegExp, now: number): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const removed: string[] = [];
  for (const name of names) {
    if (!pattern.test(name)) continue;
    const file = path.join(dir, name);
    if (live.has(path.resolve(file))) continue;
    const info = await lstat(file).catch(() => null);
    if (!info?.isFile() || !isStale(info.mtimeMs, now)) continue;
    if (await rm(file).then(() => true, () => false)) removed.push(file);
  }
  return removed;
}

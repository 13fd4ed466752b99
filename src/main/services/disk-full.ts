import { statfs } from 'node:fs/promises';

/**
 * A write that fails for want of space says where, how much is left and what was kept, instead of
 * `ENOSPC: no space left on device, write`. Every writer here goes through a temporary file or folder
 * renamed into place only once whole, so a full disk never changes what was saved before.
 */
export class DiskFullError extends Error {
  override readonly name = 'DiskFullError';
  constructor(
    readonly folder: string,
    readonly freeBytes: number | null,
    options?: ErrorOptions,
  ) {
    const free = freeBytes === null ? '' : ` (${formatFree(freeBytes)} free)`;
    super(`Not saved: the disk holding ${folder} is full${free}. Nothing already saved was changed.`, options);
  }
}

/** How free space reads in a message: whole units, as a file manager shows it. */
export function formatFree(bytes: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${unit === 0 ? value : Math.floor(value)} ${units[unit]}`;
}

/** The free space of the disk holding `folder`, as an unprivileged writer may use it; null if it cannot be told. */
export type FreeSpace = (folder: string) => Promise<number | null>;

export const freeSpace: FreeSpace = async (folder) => {
  try {
    const info = await statfs(folder);
    return Number(info.bavail) * Number(info.bsize);
  } catch {
    return null;
  }
};

/** Runs a write into `folder`; a full disk comes out as a DiskFullError naming it, any other error as it was. */
export async function savingInto<T>(folder: string, write: () => Promise<T>, free: FreeSpace = freeSpace): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if ((error as NodeJS.ErrnoException | null)?.code !== 'ENOSPC') throw error;
    throw new DiskFullError(folder, await free(folder), { cause: error });
  }
}

import { mkdir, rename } from 'node:fs/promises';
import path from 'node:path';
import type { Trash } from '../../src/main/services/model-library';

/** A stand-in for the OS trash: moves what is deleted into `trashDir`, where a test can find it. */
export function folderTrash(trashDir: string): Trash {
  let n = 0;
  return async (target) => {
    await mkdir(trashDir, { recursive: true });
    await rename(target, path.join(trashDir, `${++n}-${path.basename(target)}`));
  };
}

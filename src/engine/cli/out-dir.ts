import { lstat, opendir } from 'node:fs/promises';
import path from 'node:path';
import { METADATA_FILE, MODEL_FILE, WEIGHTS_FILE } from '../ml/model-files';
import { UsageError } from './args';

const MODEL_NAMES: ReadonlySet<string> = new Set([MODEL_FILE, WEIGHTS_FILE, METADATA_FILE]);
/** How many of a folder's other entries the refusal names. */
const NAMED = 5;

/**
 * Refuses an --out that is not a new folder, an empty one or a saved model's: writeModelFiles replaces
 * the whole folder, so `--out .` would delete everything else in it. Checked before training, so a
 * long run is not wasted, and again before saving, in case the folder filled meanwhile.
 */
export async function checkOutDir(dir: string): Promise<void> {
  const target = path.resolve(dir);
  const info = await lstat(target).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw new UsageError(`--out ${target}: cannot check it (${error.code ?? error.message})`);
  });
  if (info === null) return;
  if (!info.isDirectory()) {
    throw new UsageError(`--out ${target} is ${info.isSymbolicLink() ? 'a symbolic link' : 'a file'}, not a folder; give a new or empty folder`);
  }
  const others: string[] = [];
  // Stops at the first few: `--out /` need not list the whole disk's root to be refused.
  for await (const entry of await opendir(target)) {
    if (entry.isFile() && MODEL_NAMES.has(entry.name)) continue;
    others.push(entry.isDirectory() ? `${entry.name}/` : entry.name);
    if (others.length > NAMED) break;
  }
  if (others.length > 0) {
    const names = others.slice(0, NAMED).join(', ') + (others.length > NAMED ? ', …' : '');
    throw new UsageError(
      `--out ${target} holds ${names}, which saving would delete: give a new or empty folder, or a saved model's folder (only ${[...MODEL_NAMES].join(', ')}) to replace`,
    );
  }
}

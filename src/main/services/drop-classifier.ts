import { lstat, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { DropTarget } from '../../shared/drop';
import { boundMessage } from '../../shared/bounded-message';
import { FILE_TYPES } from '$shared/file-types';

/** A dropped path's name as a reason quotes it: the path comes from the window, and may be of any length. */
const nameOf = (p: string): string => boundMessage(path.basename(p), 120);

/**
 * Tells what files dropped on the window are, from their names and kinds alone: the import they go to
 * reads and checks them in full. A folder holding model.json is a model, any other folder a dataset of
 * class folders; a zip or a model.json (with its shards) is a model; CSV, IDX and a PNG batch with its
 * labels are datasets.
 */
export async function classifyDrop(paths: readonly string[]): Promise<DropTarget> {
  const drop = await classify(paths);
  return drop.target === null ? { ...drop, reason: boundMessage(drop.reason) } : drop;
}

async function classify(paths: readonly string[]): Promise<DropTarget> {
  if (paths.length === 0) return { target: null, reason: 'Nothing that was dropped is a file on this machine.' };
  const kinds = await Promise.all(paths.map(kindOf));
  const missing = paths.find((_, i) => kinds[i] === 'other');
  if (missing !== undefined) return { target: null, reason: `${nameOf(missing)} is neither a file nor a folder.` };
  if (kinds.includes('dir')) {
    if (paths.length > 1) return { target: null, reason: 'Drop one folder at a time.' };
    const entries = await readdir(paths[0]).catch(() => [] as string[]);
    return entries.includes('model.json') ? { target: 'model' } : { target: 'dataset', format: 'folder' };
  }
  const names = paths.map((p) => path.basename(p).toLowerCase());
  if (names.some((n) => n.endsWith('.zip') || n.endsWith(`.${FILE_TYPES.model.ext}`) || n === 'model.json' || n.endsWith('.json') && names.some((m) => m.endsWith('.bin')))) {
    return { target: 'model' };
  }
  if (names.length === 1 && (names[0].endsWith(`.${FILE_TYPES.lesson.ext}`) || names[0].endsWith('.md'))) return { target: 'lesson' };
  if (names.length === 1 && names[0].endsWith('.csv')) return { target: 'dataset', format: 'csv' };
  if (names.some((n) => n.endsWith('.png')) && names.some((n) => /\.(json|txt)$/.test(n))) return { target: 'dataset', format: 'png-batch' };
  if (names.every((n) => /ubyte(\.gz)?$|\.idx\d?(\.gz)?$/.test(n))) return { target: 'dataset', format: 'idx' };
  return {
    target: null,
    reason: `${names.map((n) => n.slice(0, 60)).join(', ').slice(0, 200)}: not a dataset (CSV, IDX, a PNG batch with labels, a folder of class folders), a model (model.json with its shards, a zip or .${FILE_TYPES.model.ext}, a folder) or a lesson (.${FILE_TYPES.lesson.ext})`,
  };
}

/** Symlinks are followed (a user may drop one), but only to a regular file or a folder. */
async function kindOf(p: string): Promise<'file' | 'dir' | 'other'> {
  try {
    await lstat(p);
    const s = await stat(p);
    return s.isFile() ? 'file' : s.isDirectory() ? 'dir' : 'other';
  } catch {
    return 'other';
  }
}

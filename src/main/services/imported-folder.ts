import { stat } from 'node:fs/promises';
import path from 'node:path';
import { DatasetError } from '../../engine/data/dataset-error';
import { readRegularFile } from '../../engine/data/read-regular-file';
import { boundMessage } from '../../shared/bounded-message';
import { firstIssue } from '../../shared/first-issue';
import { importedManifestSchema, type ImportedDataset } from '../../shared/datasets/imported';
import { jsonSyntaxProblem } from '../../shared/json-syntax';

/**
 * Reads one folder of `<userData>/datasets/imported/`: its dataset when dataset.json is one this app
 * wrote for that folder, or else what is wrong in words the Data tab can show beside "Delete folder".
 */

export const MANIFEST = 'dataset.json';
/** 256 class names of 40 characters, escaped, and the rest, with room to spare. */
export const MANIFEST_MAX_BYTES = 256 * 1024;
/** A message stays readable in a list row, whatever a JSON parser or a resolved path put in it. */
const MAX_MESSAGE = 300;

/** `file`: the entry is a file where a dataset's folder belongs, so deleting it is worded as a file's. */
export type FolderRead = { dataset: ImportedDataset } | { problem: string; file?: true };

/** `name` must already match DATASET_ID_PATTERN; null when the folder vanished since it was listed. */
export async function readImportedFolder(root: string, name: string): Promise<FolderRead | null> {
  const folder = path.join(root, name);
  try {
    return { dataset: await readManifest(folder, name) };
  } catch (error) {
    // Asked only now, so a good dataset costs no extra stat; it tells "the folder is a file" from
    // "the folder lacks its manifest", which the manifest's own error would blur into ENOTDIR.
    const kind = await stat(folder).then(
      (s) => (s.isDirectory() ? 'folder' : 'other'),
      (e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? 'gone' : 'folder'),
    );
    if (kind === 'gone') return null;
    if (kind === 'other') return { problem: 'is a file, not a folder', file: true };
    return { problem: boundMessage(messageOf(error), MAX_MESSAGE) };
  }
}

async function readManifest(folder: string, id: string): Promise<ImportedDataset> {
  // Bounded and regular only: a FIFO or a link to /dev/zero in the folder must not hang the listing.
  const bytes = await readRegularFile(path.join(folder, MANIFEST), { expected: 'an MLP Lab dataset manifest', maxBytes: MANIFEST_MAX_BYTES });
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch (error) {
    throw new DatasetError(MANIFEST, `is not valid JSON (${jsonSyntaxProblem(error)})`);
  }
  const parsed = importedManifestSchema.safeParse(json);
  if (!parsed.success) throw new DatasetError(MANIFEST, `invalid ${firstIssue(parsed.error)}`);
  // A copied folder keeps its old manifest: listing it under either id would make two datasets one.
  if (parsed.data.id !== id) throw new Error(`${MANIFEST} names another dataset (${parsed.data.id})`);
  return parsed.data;
}

/** Every message starts with the manifest's name, never the full path, which the row shows once as its folder. */
function messageOf(error: unknown): string {
  if (error instanceof DatasetError) return `${MANIFEST}: ${error.problem}`;
  return error instanceof Error ? error.message : `${MANIFEST}: ${String(error)}`;
}

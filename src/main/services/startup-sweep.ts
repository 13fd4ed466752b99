import path from 'node:path';
import { SET_FILE } from './handwriting/handwriting-store';
import { sweepTempFiles } from './leftovers';
import { TEMP_FILE as RUN_TEMP_FILE } from './run-store';

/** writeAtomically's default temporary name for the handwriting set: `set.json.<pid>.<hex>.tmp`. */
const SET_TEMP_FILE = new RegExp(`^${SET_FILE.replace('.', '\\.')}\\.\\d+\\.[0-9a-f]+\\.tmp$`);

/**
 * At startup, removes the temporary files killed writes left in the runs and handwriting folders (one
 * of the set's can be 64 MB), by the rule of leftovers.ts. The model library clears its own as it lists.
 */
export async function sweepKilledWrites(userDataDir: string, now = Date.now()): Promise<string[]> {
  const runs = await sweepTempFiles(path.join(userDataDir, 'runs'), RUN_TEMP_FILE, now);
  const handwriting = await sweepTempFiles(path.join(userDataDir, 'handwriting'), SET_TEMP_FILE, now);
  return [...runs, ...handwriting];
}

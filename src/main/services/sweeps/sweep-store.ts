import { randomBytes } from 'node:crypto';
import { mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import { readRegularFile } from '$engine/data/read-regular-file';
import { writeAtomically } from '../atomic-write';
import { SWEEP_FORMAT, SWEEP_ID_PATTERN, sweepRecordSchema, type SweepRecord } from '$shared/experiments/sweep';

/** A sweep record holds settings and a note, never curves: a few kB. */
export const MAX_SWEEP_FILE_BYTES = 256 * 1024;
/** The folder is listed whole; past this many files the oldest names are not looked at. */
export const MAX_SWEEP_FILES = 2000;

/** The sweeps folder: one `<id>.json` per sweep, each written whole and renamed into place. */
export class SweepStore {
  constructor(readonly dir: string) {}

  fileOf(id: string): string {
    if (!SWEEP_ID_PATTERN.test(id)) throw new Error(`"${id.slice(0, 80)}" is not a sweep id`);
    return path.join(this.dir, `${id}.json`);
  }

  async write(record: SweepRecord): Promise<void> {
    const target = this.fileOf(record.id);
    await mkdir(this.dir, { recursive: true });
    await writeAtomically(target, JSON.stringify(record, null, 1), path.join(this.dir, `.${record.id}.json.${randomBytes(6).toString('hex')}.tmp`));
  }

  async read(id: string): Promise<SweepRecord> {
    const file = this.fileOf(id);
    const bytes = await readRegularFile(file, { expected: 'a sweep file (JSON)', maxBytes: MAX_SWEEP_FILE_BYTES });
    let json: unknown;
    try {
      json = JSON.parse(Buffer.from(bytes).toString('utf8'));
    } catch (error) {
      throw new Error(`${file}: is not valid JSON (${(error as Error).message})`);
    }
    if (typeof json !== 'object' || json === null || (json as { format?: unknown }).format !== SWEEP_FORMAT) {
      throw new Error(`${file}: is not an MLP Lab sweep (its "format" is not "${SWEEP_FORMAT}")`);
    }
    const parsed = sweepRecordSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new Error(`${file}: ${issue.path.join('.') || 'the file'}: ${issue.message}`);
    }
    if (parsed.data.id !== id) throw new Error(`${file}: its id does not match its file name`);
    return parsed.data;
  }

  /** Every readable sweep, newest first; unreadable files are left out (the runs they tagged still show). */
  async list(): Promise<SweepRecord[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return [];
      throw error;
    }
    const ids = names
      .filter((name) => name.endsWith('.json') && SWEEP_ID_PATTERN.test(name.slice(0, -5)))
      .sort()
      .slice(-MAX_SWEEP_FILES)
      .map((name) => name.slice(0, -5));
    const sweeps: SweepRecord[] = [];
    for (const id of ids) {
      try {
        sweeps.push(await this.read(id));
      } catch {
        // A damaged sweep file loses only its note and base settings: its runs carry their own tags.
      }
    }
    return sweeps.sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  }
}

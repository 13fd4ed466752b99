import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { openRegularFile } from '../../engine/data/read-regular-file';
import { writeAtomically } from './atomic-write';
import { RUN_FORMAT, RUN_ID_PATTERN, runRecordSchema, type RunRecord, type SkippedRunFile } from '../../shared/runs/run-record';
import { jsonSyntaxProblem } from '../../shared/json-syntax';

/** Far above any real run (1000 epochs of history is ~250 kB): a bigger file is not read. */
export const MAX_RUN_FILE_BYTES = 4 * 1024 * 1024;
/** The folder is listed whole; past this many files the oldest (by modification time) are not read. */
export const MAX_RUN_FILES = 5000;

/** A write in flight (or one a killed app left behind): `.<id>.json.<random>.tmp`. Never listed. */
export const TEMP_FILE = /^\.[a-z0-9-]{1,64}\.json\.[0-9a-f]+\.tmp$/;

/**
 * The runs folder: one `<id>.json` per run. Each write goes to a temporary file renamed over the
 * run's file, so a reader (or a crash) sees the old record or the new one, never half of one.
 */
export class RunStore {
  constructor(
    readonly dir: string,
    /** How many files are read at most (tests lower it). */
    private readonly maxFiles = MAX_RUN_FILES,
  ) {}

  fileOf(id: string): string {
    if (!RUN_ID_PATTERN.test(id)) throw new Error(`"${id}" is not a run id`);
    return path.join(this.dir, `${id}.json`);
  }

  async write(record: RunRecord): Promise<void> {
    const target = this.fileOf(record.id);
    await mkdir(this.dir, { recursive: true });
    // Named as TEMP_FILE matches, so that one a killed app left behind is never listed as a run.
    await writeAtomically(target, JSON.stringify(record, null, 1), path.join(this.dir, `.${record.id}.json.${randomBytes(6).toString('hex')}.tmp`));
  }

  /** Every readable run, and every other file with the reason it was skipped. */
  async list(): Promise<{ runs: RunRecord[]; skipped: SkippedRunFile[] }> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return { runs: [], skipped: [] };
      if (code === 'ENOTDIR') return { runs: [], skipped: [{ file: this.dir, reason: 'is a file, not a folder: no run can be kept there' }] };
      throw error;
    }
    const runs: RunRecord[] = [];
    const skipped: SkippedRunFile[] = [];
    const { candidates, left } = await this.newest(names.filter((name) => !TEMP_FILE.test(name)));
    if (left > 0) skipped.push({ file: this.dir, reason: `${left} older file${left === 1 ? ' was' : 's were'} not read: only the newest ${this.maxFiles} are listed` });
    for (const name of candidates) {
      const file = path.join(this.dir, name);
      const id = name.endsWith('.json') ? name.slice(0, -'.json'.length) : '';
      if (!RUN_ID_PATTERN.test(id)) {
        skipped.push({ file, reason: 'not a run file (runs are named <id>.json)' });
        continue;
      }
      try {
        const record = await readRun(file);
        if (record.id !== id) throw new Error(`its id "${record.id}" does not match its file name`);
        runs.push(record);
      } catch (error) {
        skipped.push({ file, reason: reasonOf(error) });
      }
    }
    runs.sort((a, b) => b.startedAt.localeCompare(a.startedAt));
    return { runs, skipped };
  }

  /**
   * The newest `maxFiles` names by modification time (a record is rewritten at every epoch, so its
   * mtime is when its run last moved on), and how many were left out. Run ids are random: their names
   * say nothing of age. A name gone since readdir counts as the oldest.
   */
  private async newest(names: string[]): Promise<{ candidates: string[]; left: number }> {
    if (names.length <= this.maxFiles) return { candidates: names.sort(), left: 0 };
    const dated: { name: string; mtimeMs: number }[] = [];
    for (const name of names) {
      const info = await stat(path.join(this.dir, name)).catch(() => null);
      dated.push({ name, mtimeMs: info?.mtimeMs ?? -Infinity });
    }
    dated.sort((a, b) => b.mtimeMs - a.mtimeMs || a.name.localeCompare(b.name));
    return { candidates: dated.slice(0, this.maxFiles).map((d) => d.name), left: dated.length - this.maxFiles };
  }

  /** Removes a run's file; false if there was none. */
  async remove(id: string): Promise<boolean> {
    const file = this.fileOf(id);
    try {
      await rm(file);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw error;
    }
  }
}

async function readRun(file: string): Promise<RunRecord> {
  const { handle, size } = await openRegularFile(file, 'a run file (JSON)');
  let body: Buffer;
  try {
    if (size > MAX_RUN_FILE_BYTES) throw new Error(`is ${size} bytes, more than the ${MAX_RUN_FILE_BYTES} a run file may take`);
    body = Buffer.alloc(size);
    const { bytesRead } = await handle.read(body, 0, size, 0);
    body = body.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new Error(`is not valid JSON (${jsonSyntaxProblem(error)})`);
  }
  if (typeof json !== 'object' || json === null || (json as { format?: unknown }).format !== RUN_FORMAT) {
    throw new Error(`is not an MLP Lab run (its "format" is not "${RUN_FORMAT}")`);
  }
  const parsed = runRecordSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.join('.') || 'the file';
    throw new Error(`${field}: ${issue.message}`);
  }
  return parsed.data;
}

function reasonOf(error: unknown): string {
  if (error && typeof error === 'object' && 'problem' in error && typeof error.problem === 'string') return error.problem;
  return error instanceof Error ? error.message : String(error);
}

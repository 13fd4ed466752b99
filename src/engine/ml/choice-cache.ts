import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { MeasuredRate } from '../../shared/backend-choice';
import type { ChoiceCache } from './backend-choice';
import { writeFileDurably } from '../fs/durable';
import { readBoundedFile } from './model-files';

export const CHOICE_CACHE_FILE = 'backend-choice.json';
/** More models than anyone trains; the oldest measurements go first. */
export const CHOICE_CACHE_ENTRIES = 200;
const MAX_BYTES = 256 * 1024;

const rateSchema = z.object({
  name: z.string().min(1).max(40),
  label: z.string().min(1).max(120),
  samplesPerSecond: z.number().positive().finite(),
});
const fileSchema = z.object({
  version: z.literal(1),
  entries: z
    .array(z.object({ key: z.string().min(1).max(400), at: z.number().int().nonnegative(), rates: z.array(rateSchema).min(1).max(8) }))
    .max(CHOICE_CACHE_ENTRIES),
});
type CacheFile = z.infer<typeof fileSchema>;

/**
 * The backend measurements of earlier runs, in `<dir>/backend-choice.json`. Only a cache: a file that
 * is missing, too big, not a regular file or not valid counts as empty (and is replaced at the next
 * write), so nothing a user or another program put there can stop training.
 */
export class FileChoiceCache implements ChoiceCache {
  private readonly file: string;
  /** Writes one after the other: two runs measured back to back must not interleave their renames. */
  private writing: Promise<void> = Promise.resolve();

  constructor(
    dir: string,
    private readonly now: () => number = Date.now,
  ) {
    this.file = path.join(dir, CHOICE_CACHE_FILE);
  }

  async get(key: string): Promise<MeasuredRate[] | null> {
    return (await this.read()).entries.find((e) => e.key === key)?.rates ?? null;
  }

  /**
   * The newest measurement of a model of this shape (choiceShapeKey), whatever candidates took part:
   * for an estimate of how long a run of it takes, before it runs.
   */
  async newest(shapeKey: string): Promise<{ at: number; rates: MeasuredRate[] } | null> {
    const matching = (await this.read()).entries.filter((e) => e.key.startsWith(`${shapeKey} [`));
    const newest = matching.reduce<CacheFile['entries'][number] | null>((a, b) => (a && a.at >= b.at ? a : b), null);
    return newest ? { at: newest.at, rates: newest.rates } : null;
  }

  set(key: string, rates: MeasuredRate[]): Promise<void> {
    const write = this.writing.then(async () => {
      const { entries } = await this.read();
      const kept = entries.filter((e) => e.key !== key).sort((a, b) => b.at - a.at).slice(0, CHOICE_CACHE_ENTRIES - 1);
      const next: CacheFile = { version: 1, entries: [{ key, at: this.now(), rates }, ...kept] };
      await mkdir(path.dirname(this.file), { recursive: true });
      const temp = `${this.file}.${process.pid}.${Math.random().toString(16).slice(2)}.tmp`;
      try {
        await writeFileDurably(temp, JSON.stringify(next));
        await rename(temp, this.file);
      } catch (error) {
        await rm(temp, { force: true });
        throw error;
      }
    });
    this.writing = write.catch(() => undefined);
    return write;
  }

  private async read(): Promise<CacheFile> {
    try {
      const parsed = fileSchema.safeParse(JSON.parse((await readBoundedFile(this.file, MAX_BYTES)).toString('utf8')));
      if (parsed.success) return parsed.data;
    } catch {
      // Missing, unreadable or not JSON: measure again.
    }
    return { version: 1, entries: [] };
  }
}

import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { readRegularFile } from '$engine/data/read-regular-file';
import { EMPTY_PROGRESS, LESSON_ID_PATTERN, progressSchema, type LessonProgress } from '$shared/lessons/lesson';
import { writeAtomically } from '../atomic-write';

/** More than a hundred lessons' progress takes. */
const MAX_PROGRESS_BYTES = 1024 * 1024;
const MAX_LESSONS = 500;

const fileSchema = z.strictObject({
  format: z.literal('mlp-lab-lesson-progress'),
  version: z.literal(1),
  lessons: z.record(z.string().regex(LESSON_ID_PATTERN), progressSchema).refine((l) => Object.keys(l).length <= MAX_LESSONS, 'too many lessons'),
});

/**
 * Each lesson's progress, in one file `<userData>/lessons/progress.json`, written whole through a
 * temporary file. A missing file is no progress; a damaged one is reported (`problem`) and kept on
 * disk untouched until the learner's next change writes a good one over it.
 */
export class ProgressStore {
  readonly file: string;
  #lessons: Record<string, LessonProgress> | null = null;
  /** Why the file could not be read, for the view. */
  problem: string | null = null;
  #writes: Promise<void> = Promise.resolve();

  constructor(userDataDir: string) {
    this.file = path.join(userDataDir, 'lessons', 'progress.json');
  }

  async get(id: string): Promise<LessonProgress> {
    return structuredClone((await this.#load())[id] ?? EMPTY_PROGRESS);
  }

  async all(): Promise<Readonly<Record<string, LessonProgress>>> {
    return this.#load();
  }

  async set(id: string, progress: LessonProgress): Promise<void> {
    const lessons = await this.#load();
    this.#lessons = { ...lessons, [id]: progressSchema.parse(progress) };
    await this.#write();
  }

  async reset(id: string): Promise<void> {
    const lessons = { ...(await this.#load()) };
    delete lessons[id];
    this.#lessons = lessons;
    await this.#write();
  }

  async #load(): Promise<Record<string, LessonProgress>> {
    if (this.#lessons) return this.#lessons;
    let lessons: Record<string, LessonProgress> = {};
    try {
      const bytes = await readRegularFile(this.file, { expected: 'the lessons progress file (JSON)', maxBytes: MAX_PROGRESS_BYTES });
      const parsed = fileSchema.safeParse(JSON.parse(new TextDecoder().decode(bytes)));
      if (parsed.success) lessons = parsed.data.lessons;
      else this.problem = `${this.file}: the progress file is damaged (${parsed.error.issues[0]?.path.join('.') || 'its top level'}); it is replaced at the next change`;
    } catch (error) {
      const code = (error as { cause?: { code?: string } }).cause?.code;
      if (code !== 'ENOENT') this.problem = `${this.file}: the progress file could not be read; it is replaced at the next change`;
    }
    this.#lessons = lessons;
    return lessons;
  }

  /** Writes in turn, so an older state never lands after a newer one. */
  #write(): Promise<void> {
    const data = JSON.stringify({ format: 'mlp-lab-lesson-progress', version: 1, lessons: this.#lessons ?? {} });
    this.#writes = this.#writes.catch(() => undefined).then(async () => {
      await mkdir(path.dirname(this.file), { recursive: true });
      await writeAtomically(this.file, data);
      this.problem = null;
    });
    return this.#writes;
  }
}

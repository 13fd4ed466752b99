import { mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { readRegularFile } from '$engine/data/read-regular-file';
import { boundMessage } from '$shared/bounded-message';
import { LESSON_ID_PATTERN, LESSON_LIMITS, lessonProgress, type Lesson, type LessonImportOutcome, type LessonListing, type LessonOrigin, type LessonProgress } from '$shared/lessons/lesson';
import { lessonWithProgress } from '$shared/lessons/lesson-export';
import { writeAtomically } from '../atomic-write';
import type { EventSink } from '$shared/ipc/contract';
import type { Dialogs } from '../dialogs';
import { lessonFromStore, readBundledLessons, readLessonFile, storedLessonSchema, type LessonFile, type StoredLesson } from './lesson-files';
import { ProgressStore } from './progress-store';

export interface LessonServiceOptions {
  /** The app's resources: the bundled lessons are in `lessons/`. */
  resourcesDir: string;
  userDataDir: string;
  dialogs: Dialogs;
  /** Where a lesson file given to the app is announced to the window (`lessons:imported`). */
  events?: EventSink;
}

const FILTERS = [{ name: 'MLP Lab lesson', extensions: ['mlplesson', 'md'] }];

/**
 * The lessons: the bundled ones (resources/lessons), the ones teachers' files brought in (kept in
 * `<userData>/lessons/imported/<id>.json`), and each lesson's progress (ProgressStore). Every lesson,
 * bundled or not, is read through the one parser (src/shared/lessons/lesson-format.ts).
 */
export class LessonService {
  readonly progress: ProgressStore;
  readonly #options: LessonServiceOptions;
  readonly #importedDir: string;
  #bundled: Promise<{ lessons: LessonFile[]; problems: string[] }> | null = null;

  constructor(options: LessonServiceOptions) {
    this.#options = options;
    this.#importedDir = path.join(options.userDataDir, 'lessons', 'imported');
    this.progress = new ProgressStore(options.userDataDir);
  }

  async list(): Promise<LessonListing> {
    const bundled = await this.#readBundled();
    const imported = await this.#readImported();
    const progress = await this.progress.all();
    const summary = (file: LessonFile, origin: LessonOrigin) => ({
      id: file.lesson.id,
      title: file.lesson.title,
      summary: file.lesson.summary,
      origin,
      steps: file.lesson.steps.length,
      progress: progress[file.lesson.id] ? lessonProgress(file.lesson, progress[file.lesson.id]) : 0,
    });
    return {
      lessons: [...bundled.lessons.map((f) => summary(f, 'bundled')), ...imported.lessons.map((f) => summary(f, 'imported'))],
      problems: [...bundled.problems, ...imported.problems, ...(this.progress.problem ? [this.progress.problem] : [])],
    };
  }

  async get(id: string): Promise<{ lesson: Lesson; origin: LessonOrigin; progress: LessonProgress }> {
    const { file, origin } = await this.#find(id);
    const progress = await this.progress.get(id);
    // A lesson changed by a new import may have fewer steps than the progress knew.
    const last = file.lesson.steps.length - 1;
    return { lesson: file.lesson, origin, progress: { ...progress, step: Math.min(progress.step, last), furthest: Math.min(progress.furthest, last + 1) } };
  }

  /** Imports the files given (dropped), or else the one picked in the open dialog; null if cancelled. */
  async importPicked(paths?: string[]): Promise<LessonImportOutcome | null> {
    const chosen = paths ?? (await this.#options.dialogs.openPaths({ title: 'Import a lesson', kind: 'file', filters: FILTERS }));
    if (chosen.length === 0) return null;
    if (chosen.length > 1) return { status: 'refused', file: `${chosen.length} files`, problems: ['import one lesson file at a time'] };
    return this.#import(chosen[0]);
  }

  /**
   * A lesson file given to the app from outside the window (opened with MLP Lab, the file manager):
   * imported as one picked in the drawer, and the outcome announced so the window opens it or says why not.
   */
  async importFile(file: string): Promise<LessonImportOutcome> {
    const outcome = await this.#import(file);
    this.#options.events?.('lessons:imported', outcome);
    return outcome;
  }

  /** Reads, checks and keeps a teacher's lesson file; a lesson of the same id is replaced, its progress kept. */
  async #import(file: string): Promise<LessonImportOutcome> {
    const name = boundMessage(path.basename(file), 120);
    const read = await readLessonFile(file);
    if (!read.ok) return { status: 'refused', file: name, problems: read.problems.map((p) => boundMessage(p, 300)) };
    const { lesson, source } = read.file;
    if ((await this.#readBundled()).lessons.some((f) => f.lesson.id === lesson.id)) {
      return { status: 'refused', file: name, problems: ['front matter: field id is the id of a lesson that comes with MLP Lab; give the lesson an id of its own'] };
    }
    const existing = await this.#storedIds();
    if (!existing.includes(lesson.id) && existing.length >= LESSON_LIMITS.imported) {
      return { status: 'refused', file: name, problems: [`there are already ${LESSON_LIMITS.imported} imported lessons: delete one first`] };
    }
    const stored: StoredLesson = { format: 'mlp-lab-lesson', version: 1, source, images: lesson.images };
    await mkdir(this.#importedDir, { recursive: true });
    await writeAtomically(this.#storedPath(lesson.id), JSON.stringify(stored));
    return { status: 'imported', id: lesson.id, title: lesson.title };
  }

  async remove(id: string): Promise<void> {
    await this.#find(id, 'imported');
    await rm(this.#storedPath(id), { force: true });
    await this.progress.reset(id);
  }

  async setProgress(id: string, progress: LessonProgress): Promise<void> {
    const { file } = await this.#find(id);
    const steps = file.lesson.steps.length;
    if (progress.step >= steps || progress.furthest > steps) throw new Error(`lesson ${id} has ${steps} steps`);
    await this.progress.set(id, progress);
  }

  async reset(id: string): Promise<void> {
    await this.#find(id);
    await this.progress.reset(id);
  }

  /** Writes the lesson with the learner's progress where the save dialog says; the path, or null if cancelled. */
  async exportLesson(id: string): Promise<string | null> {
    const { file } = await this.#find(id);
    const target = await this.#options.dialogs.savePath({ title: 'Export the lesson with your progress', defaultName: `${id}-progress.mlplesson`, filters: FILTERS });
    if (!target) return null;
    await writeAtomically(target, lessonWithProgress(file.source, file.lesson, await this.progress.get(id), new Date()));
    return target;
  }

  async #find(id: string, only?: LessonOrigin): Promise<{ file: LessonFile; origin: LessonOrigin }> {
    if (only !== 'imported') {
      const bundled = (await this.#readBundled()).lessons.find((f) => f.lesson.id === id);
      if (bundled) return { file: bundled, origin: 'bundled' };
    }
    if (LESSON_ID_PATTERN.test(id) && (await this.#storedIds()).includes(id)) {
      const read = await this.#readStored(id);
      if (read.ok) return { file: read.file, origin: 'imported' };
      throw new Error(`the imported lesson ${id} cannot be read: ${read.problems[0]}`);
    }
    throw new Error(`there is no ${only === 'imported' ? 'imported ' : ''}lesson ${id}`);
  }

  #readBundled(): Promise<{ lessons: LessonFile[]; problems: string[] }> {
    this.#bundled ??= readBundledLessons(path.join(this.#options.resourcesDir, 'lessons'));
    return this.#bundled;
  }

  async #readImported(): Promise<{ lessons: LessonFile[]; problems: string[] }> {
    const lessons: LessonFile[] = [];
    const problems: string[] = [];
    for (const id of await this.#storedIds()) {
      const read = await this.#readStored(id);
      if (read.ok) lessons.push(read.file);
      else problems.push(`${this.#storedPath(id)}: ${read.problems[0]}`);
    }
    return { lessons, problems };
  }

  async #storedIds(): Promise<string[]> {
    const names = await readdir(this.#importedDir).catch(() => [] as string[]);
    return names
      .filter((n) => n.endsWith('.json') && LESSON_ID_PATTERN.test(n.slice(0, -5)))
      .map((n) => n.slice(0, -5))
      .sort()
      .slice(0, LESSON_LIMITS.imported * 2);
  }

  async #readStored(id: string): Promise<ReturnType<typeof lessonFromStore>> {
    try {
      const bytes = await readRegularFile(this.#storedPath(id), { expected: 'a stored lesson (JSON)', maxBytes: LESSON_LIMITS.fileBytes * 4 + LESSON_LIMITS.images * LESSON_LIMITS.imageBytes * 2 });
      const stored = storedLessonSchema.safeParse(JSON.parse(new TextDecoder().decode(bytes)));
      if (!stored.success) return { ok: false, problems: ['the stored lesson is damaged'] };
      const read = lessonFromStore(stored.data);
      // The file's name is its id: a stored file whose text says another is not this lesson.
      if (read.ok && read.file.lesson.id !== id) return { ok: false, problems: ['the stored lesson names another id'] };
      return read;
    } catch {
      return { ok: false, problems: ['the stored lesson could not be read'] };
    }
  }

  #storedPath(id: string): string {
    return path.join(this.#importedDir, `${id}.json`);
  }
}

import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { readRegularFile } from '$engine/data/read-regular-file';
import { DatasetError } from '$engine/data/dataset-error';
import { LESSON_LIMITS, type Lesson } from '$shared/lessons/lesson';
import { parseLesson } from '$shared/lessons/lesson-format';
import { IMAGE_NAME } from '$shared/lessons/lesson-markdown';

/** A lesson read and checked whole, with the text it was read from (an export writes that back out). */
export interface LessonFile {
  lesson: Lesson;
  source: string;
}

/** Either a lesson, or what is wrong with the file: each problem names a line, a field or an image by number. */
export type LessonRead = { ok: true; file: LessonFile } | { ok: false; problems: string[] };

/** How an imported lesson is kept: its text and its images, read again through the parser on every read. */
export const storedLessonSchema = z.strictObject({
  format: z.literal('mlp-lab-lesson'),
  version: z.literal(1),
  source: z.string().max(LESSON_LIMITS.fileBytes),
  images: z
    .record(z.string().regex(IMAGE_NAME), z.string().max(Math.ceil((LESSON_LIMITS.imageBytes * 4) / 3) + 40).regex(/^data:image\/(png|jpeg);base64,[A-Za-z0-9+/=]+$/))
    .refine((images) => Object.keys(images).length <= LESSON_LIMITS.images, 'too many images'),
});
export type StoredLesson = z.infer<typeof storedLessonSchema>;

/** Reads a lesson file (hostile: a regular file, bounded, UTF-8) and the images beside it that it shows. */
export async function readLessonFile(file: string): Promise<LessonRead> {
  let bytes: Uint8Array;
  try {
    bytes = await readRegularFile(file, { expected: 'a lesson (.mlplesson or .md)', maxBytes: LESSON_LIMITS.fileBytes });
  } catch (error) {
    return { ok: false, problems: [error instanceof DatasetError ? error.problem : 'the file could not be read'] };
  }
  let source: string;
  try {
    source = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, problems: ['the file is not UTF-8 text'] };
  }
  const parsed = parseLesson(source);
  if (!parsed.ok) return parsed;
  const images: Record<string, string> = {};
  const problems: string[] = [];
  for (const [index, name] of parsed.imageNames.entries()) {
    const which = `image ${index + 1} of ${parsed.imageNames.length} the lesson shows`;
    try {
      const image = await readRegularFile(path.join(path.dirname(file), name), { expected: 'a PNG or JPEG image', maxBytes: LESSON_LIMITS.imageBytes });
      const type = imageType(image);
      if (!type) problems.push(`${which} is not a PNG or JPEG file`);
      else images[name] = `data:${type};base64,${Buffer.from(image).toString('base64')}`;
    } catch (error) {
      problems.push(`${which} could not be read beside the lesson${error instanceof DatasetError ? ` (${error.problem.slice(0, 120)})` : ''}`);
    }
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, file: { lesson: { ...parsed.lesson, images }, source } };
}

/** Reads a stored import back: its record through the schema, its text through the parser. */
export function lessonFromStore(stored: StoredLesson): LessonRead {
  const parsed = parseLesson(stored.source);
  if (!parsed.ok) return parsed;
  const missing = parsed.imageNames.filter((name) => !(name in stored.images));
  if (missing.length > 0) return { ok: false, problems: [`${missing.length} of its images are missing`] };
  return { ok: true, file: { lesson: { ...parsed.lesson, images: stored.images }, source: stored.source } };
}

/** The lessons that come with the app: every `.mlplesson` in the bundled folder, by name. */
export async function readBundledLessons(dir: string): Promise<{ lessons: LessonFile[]; problems: string[] }> {
  const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith('.mlplesson')).sort();
  const lessons: LessonFile[] = [];
  const problems: string[] = [];
  for (const name of names.slice(0, 50)) {
    const read = await readLessonFile(path.join(dir, name));
    if (read.ok) lessons.push(read.file);
    else problems.push(`${name}: ${read.problems.join('; ')}`);
  }
  return { lessons, problems };
}

function imageType(bytes: Uint8Array): 'image/png' | 'image/jpeg' | null {
  if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return 'image/png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  return null;
}

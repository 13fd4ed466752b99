import { z } from 'zod';
import { LESSON_ID_PATTERN, progressSchema, type Lesson, type LessonImportOutcome, type LessonListing, type LessonOrigin, type LessonProgress } from '../lessons/lesson';
import { type } from './phantom';
import { droppedPaths } from './schemas';

const lessonId = z.string().regex(LESSON_ID_PATTERN);

/** The lessons' request channels; contract.ts puts them in its `requests` table. */
export const lessonRequests = {
  /** The bundled and imported lessons, each with the share of its steps done. */
  'lessons:list': { verb: 'listLessons', args: z.tuple([]), result: type<LessonListing>() },
  'lessons:get': { verb: 'getLesson', args: z.tuple([z.object({ id: lessonId })]), result: type<{ lesson: Lesson; origin: LessonOrigin; progress: LessonProgress }>() },
  /** Imports the file given (dropped on the window), or else the one picked in the open dialog; null if cancelled. */
  'lessons:import': { verb: 'importLesson', args: z.tuple([z.object({ paths: droppedPaths.optional() })]), result: type<LessonImportOutcome | null>() },
  'lessons:set-progress': { verb: 'setLessonProgress', args: z.tuple([z.object({ id: lessonId, progress: progressSchema })]), result: type<void>() },
  'lessons:reset': { verb: 'resetLesson', args: z.tuple([z.object({ id: lessonId })]), result: type<void>() },
  /** Saves the lesson with the learner's progress (save dialog); the path written, or null if cancelled. */
  'lessons:export': { verb: 'exportLesson', args: z.tuple([z.object({ id: lessonId })]), result: type<string | null>() },
  /** Deletes an imported lesson and its progress. */
  'lessons:delete': { verb: 'deleteLesson', args: z.tuple([z.object({ id: lessonId })]), result: type<void>() },
} as const;

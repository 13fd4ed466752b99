import { parseDocument } from 'yaml';
import { checkKey, stepDone, type Lesson, type LessonProgress } from './lesson';
import { checkLabel } from './lesson-checks';

/**
 * A lesson file with the learner's progress in its front matter, for handing in: the teacher opens it
 * as text (or imports it: the import reads `progress` as nothing more than a note). `source` is the file
 * the lesson was read from; its text is kept as written.
 */
export function lessonWithProgress(source: string, lesson: Lesson, progress: LessonProgress, exportedAt: Date): string {
  const text = source.replace(/\r\n?/g, '\n');
  const lines = text.split('\n');
  const end = lines.findIndex((line, i) => i > 0 && line.trim() === '---');
  const doc = parseDocument(lines.slice(1, end).join('\n'));
  const done = lesson.steps.filter((_, i) => stepDone(lesson, progress, i)).length;
  doc.set('progress', {
    exportedAt: exportedAt.toISOString(),
    stepsDone: `${done} of ${lesson.steps.length}`,
    steps: lesson.steps.map((step, i) => ({
      step: step.title,
      done: stepDone(lesson, progress, i),
      ...(step.checks.length > 0
        ? { checks: step.checks.map((check, j) => ({ check: checkLabel(check), ticked: progress.ticked[checkKey(i, j)] ?? null })) }
        : {}),
    })),
  });
  return ['---', doc.toString().trimEnd(), '---', ...lines.slice(end + 1)].join('\n');
}

import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PNG } from 'pngjs';
import { scriptedDialogs, type ScriptedAnswers } from '$main/services/dialogs';
import { LessonService } from '$main/services/lessons/lesson-service';
import { parseLesson } from '$shared/lessons/lesson-format';
import { RESOURCES_DIR } from '$tests/helpers/datasets';
import { tempDirs } from '$tests/helpers/temp-dirs';

const newDir = tempDirs('mlp-lab-lessons-');

const TEACHER = ['---', 'id: teacher-one', 'title: A teacher’s lesson', '---', '# Look', '![a digit](digit.png)', '', '# Draw', '```check', 'kind: drawn', '```', ''].join('\n');

async function setup(answers: ScriptedAnswers = {}) {
  const userDataDir = await newDir();
  const files = await newDir();
  const png = new PNG({ width: 2, height: 2 });
  await writeFile(path.join(files, 'digit.png'), PNG.sync.write(png));
  const lessons = new LessonService({ resourcesDir: RESOURCES_DIR, userDataDir, dialogs: scriptedDialogs(answers) });
  return { lessons, files, userDataDir };
}

describe('LessonService', () => {
  it('lists the five bundled lessons with no progress', async () => {
    const { lessons } = await setup();
    const listing = await lessons.list();
    expect(listing.problems).toEqual([]);
    expect(listing.lessons.map((l) => l.id)).toEqual(['sklearn-exercise', 'keras-fashion', 'open-university', 'flatiron', 'dropout-tutorial']);
    expect(listing.lessons.every((l) => l.origin === 'bundled' && l.progress === 0)).toBe(true);
  });

  it('imports a teacher’s lesson with its image, keeps it, and lists it', async () => {
    const { lessons, files, userDataDir } = await setup();
    const file = path.join(files, 'lesson.mlplesson');
    await writeFile(file, TEACHER);
    expect(await lessons.importFile(file)).toEqual({ status: 'imported', id: 'teacher-one', title: 'A teacher’s lesson' });
    const again = new LessonService({ resourcesDir: RESOURCES_DIR, userDataDir, dialogs: scriptedDialogs({}) });
    const { lesson, origin } = await again.get('teacher-one');
    expect(origin).toBe('imported');
    expect(lesson.steps.map((s) => s.title)).toEqual(['Look', 'Draw']);
    expect(lesson.images['digit.png']).toMatch(/^data:image\/png;base64,/);
    expect((await again.list()).lessons.at(-1)).toMatchObject({ id: 'teacher-one', origin: 'imported', steps: 2 });
  });

  it('announces a lesson file given to the app from outside to the window', async () => {
    const { files, userDataDir } = await setup();
    const sent: unknown[] = [];
    const lessons = new LessonService({ resourcesDir: RESOURCES_DIR, userDataDir, dialogs: scriptedDialogs({}), events: (event, payload) => void sent.push([event, payload]) });
    const file = path.join(files, 'lesson.mlplesson');
    await writeFile(file, TEACHER);
    await lessons.importFile(file);
    await writeFile(file, 'not a lesson');
    await lessons.importFile(file);
    expect(sent).toEqual([
      ['lessons:imported', { status: 'imported', id: 'teacher-one', title: 'A teacher’s lesson' }],
      ['lessons:imported', { status: 'refused', file: 'lesson.mlplesson', problems: [expect.stringMatching(/^line 1: a lesson starts with front matter/)] }],
    ]);
  });

  it('refuses a broken file naming the line and field, never its content, and keeps nothing', async () => {
    const { lessons, files } = await setup();
    const file = path.join(files, 'broken.mlplesson');
    await writeFile(file, TEACHER.replace('kind: drawn', 'kind: drawings\ncount: <img src=x onerror=alert(1)>'));
    const outcome = await lessons.importFile(file);
    expect(outcome).toEqual({ status: 'refused', file: 'broken.mlplesson', problems: ['line 11, check block: field count must be a number'] });
    expect(JSON.stringify(outcome)).not.toContain('onerror');
    expect((await lessons.list()).lessons.some((l) => l.origin === 'imported')).toBe(false);
  });

  it('refuses a missing image, a bundled id, a non-UTF-8 file and a folder', async () => {
    const { lessons, files } = await setup();
    const file = path.join(files, 'l.mlplesson');
    await writeFile(file, TEACHER.replace('digit.png', 'gone.png'));
    expect(await lessons.importFile(file)).toMatchObject({ problems: [expect.stringMatching(/^image 1 of 1 the lesson shows could not be read beside the lesson/)] });
    await writeFile(file, TEACHER.replace('teacher-one', 'flatiron'));
    expect(await lessons.importFile(file)).toMatchObject({ problems: [expect.stringMatching(/field id is the id of a lesson that comes with MLP Lab/)] });
    await writeFile(file, Buffer.from([0x2d, 0x2d, 0x2d, 0x0a, 0xff, 0xfe]));
    expect(await lessons.importFile(file)).toMatchObject({ problems: ['the file is not UTF-8 text'] });
    expect(await lessons.importFile(files)).toMatchObject({ status: 'refused', problems: [expect.stringMatching(/not a regular file/)] });
  });

  it('keeps progress, resets it, and exports the lesson with it for handing in', async () => {
    const out = path.join(await newDir(), 'handed-in.mlplesson');
    const { lessons } = await setup({ save: [out] });
    await lessons.setProgress('sklearn-exercise', { step: 1, furthest: 2, ticked: { '0.0': '2026-12-05T10:00:00.000Z' } });
    expect((await lessons.list()).lessons[0].progress).toBeCloseTo(2 / 5); // step 1 ticked its check, step 2 has none and was passed
    await expect(lessons.setProgress('sklearn-exercise', { step: 9, furthest: 9, ticked: {} })).rejects.toThrow(/has 5 steps/);
    expect(await lessons.exportLesson('sklearn-exercise')).toBe(out);
    const text = await readFile(out, 'utf8');
    expect(text).toMatch(/stepsDone: 2 of 5/);
    expect(text).toMatch(/ticked: 2026-12-05T10:00:00.000Z/);
    // Still a lesson: an export can be imported (its progress is only a note).
    const reread = parseLesson(text);
    expect(reread.ok && reread.lesson.steps.length).toBe(5);
    await lessons.reset('sklearn-exercise');
    expect((await lessons.get('sklearn-exercise')).progress).toEqual({ step: 0, furthest: 0, ticked: {} });
    await expect(lessons.get('no-such')).rejects.toThrow(/there is no lesson no-such/);
  });
});

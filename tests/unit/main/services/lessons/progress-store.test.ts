import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProgressStore } from '$main/services/lessons/progress-store';
import { EMPTY_PROGRESS } from '$shared/lessons/lesson';
import { tempDirs } from '$tests/helpers/temp-dirs';

const newDir = tempDirs('mlp-lab-lesson-progress-');

describe('the lessons progress store', () => {
  it('keeps each lesson’s progress across instances, and Reset forgets one lesson only', async () => {
    const dir = await newDir();
    const store = new ProgressStore(dir);
    expect(await store.get('a')).toEqual(EMPTY_PROGRESS);
    await store.set('a', { step: 2, furthest: 3, ticked: { '0.0': '2026-01-01T00:00:00.000Z' } });
    await store.set('b', { step: 1, furthest: 1, ticked: {} });
    const again = new ProgressStore(dir);
    expect(await again.get('a')).toEqual({ step: 2, furthest: 3, ticked: { '0.0': '2026-01-01T00:00:00.000Z' } });
    await again.reset('a');
    const third = new ProgressStore(dir);
    expect(await third.get('a')).toEqual(EMPTY_PROGRESS);
    expect(await third.get('b')).toEqual({ step: 1, furthest: 1, ticked: {} });
  });

  it('refuses progress outside the schema without writing it', async () => {
    const dir = await newDir();
    const store = new ProgressStore(dir);
    await store.set('a', { step: 1, furthest: 1, ticked: {} });
    await expect(store.set('a', { step: -1, furthest: 0, ticked: {} })).rejects.toThrow();
    expect(await new ProgressStore(dir).get('a')).toEqual({ step: 1, furthest: 1, ticked: {} });
  });

  it('says a damaged file is damaged, starts empty, and replaces it only at the next change', async () => {
    const dir = await newDir();
    const file = path.join(dir, 'lessons', 'progress.json');
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, '{"format":"mlp-lab-lesson-progress","version":1,"lessons":{"a":{"step":"x"}}}');
    const store = new ProgressStore(dir);
    expect(await store.get('a')).toEqual(EMPTY_PROGRESS);
    expect(store.problem).toMatch(/progress\.json: the progress file is damaged \(lessons\.a\.step\)/);
    expect(await readFile(file, 'utf8')).toContain('"x"');
    await store.set('b', { step: 0, furthest: 1, ticked: {} });
    expect(store.problem).toBeNull();
    expect(JSON.parse(await readFile(file, 'utf8')).lessons).toEqual({ b: { step: 0, furthest: 1, ticked: {} } });
  });

  it('reads only a regular file', async () => {
    const dir = await newDir();
    await mkdir(path.join(dir, 'lessons', 'progress.json'), { recursive: true });
    const store = new ProgressStore(dir);
    expect(await store.get('a')).toEqual(EMPTY_PROGRESS);
    expect(store.problem).toMatch(/could not be read/);
  });
});

import { describe, expect, it } from 'vitest';
import { AppState } from '$renderer/app/app-state.svelte';
import { LessonsState, type LessonsApi } from '$renderer/app/lessons/lessons.svelte';
import { setupRequest } from '$renderer/app/lessons/lesson-setup';
import type { SpecRequest } from '$renderer/app/spec-handoff.svelte';
import type { Lesson, LessonImportOutcome, LessonProgress } from '$shared/lessons/lesson';
import { DEFAULT_SPEC } from '$shared/model-spec';
import { findPreset } from '$shared/presets';
import type { RunRecord } from '$shared/runs/run-record';

const LESSON: Lesson = {
  id: 'l',
  title: 'A lesson',
  summary: '',
  images: {},
  steps: [
    { title: 'Open the Data tab', text: 'Look.', actions: [{ kind: 'show', panel: 'data', target: 'sample-grid' }], checks: [{ kind: 'visited', panel: 'data' }] },
    { title: 'Set up', text: '', actions: [{ kind: 'setup', preset: 'sklearn-exercise', settings: { epochs: 2, dropout: 0.3 } }], checks: [] },
    { title: 'Train', text: '', actions: [], checks: [{ kind: 'trained', atLeast: 90 }] },
  ],
};

function fakeApi(outcome: LessonImportOutcome | null = null) {
  const saved: LessonProgress[] = [];
  let runs: Partial<RunRecord>[] = [];
  let runsChanged: () => void = () => undefined;
  let imported: (outcome: LessonImportOutcome) => void = () => undefined;
  const api = {
    listLessons: async () => ({ lessons: [], problems: [] }),
    getLesson: async () => ({ lesson: LESSON, origin: 'bundled' as const, progress: { step: 0, furthest: 0, ticked: {} } }),
    importLesson: async () => outcome,
    setLessonProgress: async ({ progress }: { progress: LessonProgress }) => void saved.push(progress),
    resetLesson: async () => undefined,
    exportLesson: async () => '/tmp/out.mlplesson',
    deleteLesson: async () => undefined,
    listRuns: async () => ({ runs: runs as RunRecord[], skipped: [], writeError: null }),
    onRunsChanged: (listener: () => void) => {
      runsChanged = listener;
      return () => undefined;
    },
    onLessonImported: (listener: (outcome: LessonImportOutcome) => void) => {
      imported = listener;
      return () => undefined;
    },
    listDatasets: async () => [],
    onDatasetsChanged: () => () => undefined,
  } as unknown as LessonsApi;
  return {
    api,
    saved,
    announce: (outcome: LessonImportOutcome) => imported(outcome),
    finishRun: (testAccuracy: number) => {
      runs = [{ datasetId: 'mnist', spec: DEFAULT_SPEC, outcome: 'completed', final: { testAccuracy, testLoss: 0.1, epochsDone: 1 }, history: [] }];
      runsChanged();
    },
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

function setUp(outcome: LessonImportOutcome | null = null) {
  const app = new AppState();
  const offered: SpecRequest[] = [];
  const handoff = { offer: (request: SpecRequest) => (offered.push(request), null), current: () => null };
  const lessons = new LessonsState({ app, handwriting: { samples: [] }, drawing: { isEmpty: true }, handoff });
  const fake = fakeApi(outcome);
  lessons.connect(fake.api);
  return { app, lessons, offered, ...fake };
}

describe('LessonsState', () => {
  it('ticks a check once the app meets it, keeps the tick in main, and marks the step done', async () => {
    const { app, lessons, saved } = setUp();
    await lessons.openLesson('l');
    expect(lessons.met).toEqual([[false], [], [false]]);
    expect(lessons.done(0)).toBe(false);
    expect(lessons.apply(LESSON.steps[0].actions[0])).toBe('sample-grid');
    expect(app.panel).toBe('data');
    expect(lessons.met[0]).toEqual([true]);
    await lessons.recordTicks();
    expect(lessons.ticked(0, 0)).toBe(true);
    expect(lessons.done(0)).toBe(true);
    expect(saved).toHaveLength(1);
    expect(Object.keys(saved[0].ticked)).toEqual(['0.0']);
    // Nothing new met: nothing written again.
    await lessons.recordTicks();
    expect(saved).toHaveLength(1);
  });

  it('ticks the accuracy check from the run history, not before the run reaches it', async () => {
    const { lessons, finishRun } = setUp();
    await lessons.openLesson('l');
    finishRun(0.85);
    await settle();
    expect(lessons.met[2]).toEqual([false]);
    finishRun(0.93);
    await settle();
    expect(lessons.met[2]).toEqual([true]);
  });

  it('moves through the steps, keeping how far the learner got; a step without checks is done once passed', async () => {
    const { lessons, saved } = setUp();
    await lessons.openLesson('l');
    await lessons.go(-1);
    expect(saved).toHaveLength(0);
    await lessons.go(1);
    await lessons.go(1);
    await lessons.go(1);
    expect(lessons.current?.progress).toMatchObject({ step: 2, furthest: 2 });
    await lessons.go(-1);
    expect(lessons.current?.progress).toMatchObject({ step: 1, furthest: 2 });
    expect(lessons.done(1)).toBe(true);
    expect(saved.map((p) => p.step)).toEqual([1, 2, 1]);
    await lessons.reset();
    expect(lessons.current?.progress).toEqual({ step: 0, furthest: 0, ticked: {} });
  });

  it('"Set this up" hands the Train tab the preset with the lesson’s settings, and goes there', async () => {
    const { app, lessons, offered } = setUp();
    await lessons.openLesson('l');
    expect(lessons.apply(LESSON.steps[1].actions[0])).toBeNull();
    expect(app.panel).toBe('train');
    const preset = findPreset('sklearn-exercise')!;
    expect(offered).toHaveLength(1);
    expect(offered[0].datasetId).toBe('mnist');
    expect(offered[0].spec).toEqual({ ...preset.spec, epochs: 2, hiddenLayers: [{ ...preset.spec.hiddenLayers[0], dropout: 0.3 }] });
  });

  it('shows a refused import in the list, and opens an imported lesson', async () => {
    const refused = setUp({ status: 'refused', file: 'bad.mlplesson', problems: ['line 3, front matter: field id is missing'] });
    await refused.lessons.openLesson('l');
    await refused.lessons.importLesson(['/x/bad.mlplesson']);
    expect(refused.lessons.current).toBeNull();
    expect(refused.lessons.importError).toEqual({ file: 'bad.mlplesson', problems: ['line 3, front matter: field id is missing'] });
    const imported = setUp({ status: 'imported', id: 'l', title: 'A lesson' });
    await imported.lessons.importLesson();
    expect(imported.lessons.open).toBe(true);
    expect(imported.lessons.current?.lesson.id).toBe('l');
  });

  it('opens a lesson file given to the app from outside, or says why it was refused', async () => {
    const { lessons, announce } = setUp();
    announce({ status: 'refused', file: 'x.mlplesson', problems: ['line 1: a lesson starts with front matter'] });
    expect(lessons.open).toBe(true);
    expect(lessons.importError?.file).toBe('x.mlplesson');
    announce({ status: 'imported', id: 'l', title: 'A lesson' });
    await settle();
    expect(lessons.importError).toBeNull();
    expect(lessons.current?.lesson.id).toBe('l');
  });
});

describe('setupRequest', () => {
  it('starts from the Train tab’s settings without a preset, and sets the dataset it names', () => {
    const current: SpecRequest = { spec: { ...DEFAULT_SPEC, learningRate: 0.05 }, datasetId: 'mnist' };
    const request = setupRequest({ kind: 'setup', dataset: 'fashion-mnist', settings: { trainSubset: null, validation: 'test' } }, current, 'T');
    expect(request.spec).toEqual({ ...DEFAULT_SPEC, learningRate: 0.05, trainSubset: null, validation: 'test' });
    expect(request.datasetId).toBe('fashion-mnist');
    expect(request.origin).toMatch(/^From the lesson “T”/);
  });
});

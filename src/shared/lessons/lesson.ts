import { z } from 'zod';
import { DATASET_ID_PATTERN } from '../datasets/catalog';
import { ACTIVATIONS, LIMITS, OPTIMIZERS } from '../model-spec';
import { PRESETS } from '../presets';
import { PANEL_SHORTCUTS, type PanelId } from '../shortcuts';

/**
 * A lesson: a path through the app in steps, each with its text (a Markdown subset), the actions that
 * set things up or point at a control, and the checks that tick themselves from the app's real state.
 * The file format that carries it is parsed in lesson-format.ts and documented in docs/lessons.md.
 */

export const LESSON_LIMITS = {
  /** A lesson file, front matter and text: far more than five notebooks' worth of prose. */
  fileBytes: 256 * 1024,
  steps: 40,
  /** One step's Markdown, its action and check blocks taken out. */
  stepText: 12_000,
  actionsPerStep: 6,
  checksPerStep: 6,
  title: 120,
  summary: 600,
  label: 160,
  /** Images a lesson brings along (files next to it), and each one's size. */
  images: 12,
  imageBytes: 512 * 1024,
  /** Lessons imported into one user-data folder. */
  imported: 100,
} as const;

export const LESSON_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}$/;
/** The panels a lesson may open; the same ids as the tab bar (panels/registry.ts). */
/** Every panel the app has (its tab order): a lesson may point at any of them. */
export const LESSON_PANELS = PANEL_SHORTCUTS.map((p) => p.panel) as [PanelId, ...PanelId[]];
export type LessonPanel = PanelId;
/** What two runs may differ in, for a `runs-differ` check. */
export const RUN_SETTINGS = ['dropout', 'learningRate', 'optimizer', 'l2', 'batchSize', 'epochs', 'hiddenLayers', 'activation', 'momentum'] as const;
export type RunSetting = (typeof RUN_SETTINGS)[number];

const label = z.string().trim().min(1).max(LESSON_LIMITS.label).optional();
const datasetId = z.string().regex(DATASET_ID_PATTERN, 'must be a dataset id such as mnist or fashion-mnist');
const presetIds = PRESETS.map((p) => p.id) as [string, ...string[]];

const layerSchema = z.strictObject({
  units: z.number().int().min(LIMITS.units.min).max(LIMITS.units.max),
  activation: z.enum(ACTIVATIONS).default('relu'),
  dropout: z.number().min(LIMITS.dropout.min).max(LIMITS.dropout.max).default(0),
});

/** The settings a "Set this up" may give, on top of a preset's (or the Train tab's current ones). */
export const settingsSchema = z.strictObject({
  hiddenLayers: z.array(layerSchema).min(1).max(LIMITS.hiddenLayers.max).optional(),
  /** One dropout rate for every hidden layer. */
  dropout: z.number().min(LIMITS.dropout.min).max(LIMITS.dropout.max).optional(),
  optimizer: z.enum(OPTIMIZERS).optional(),
  learningRate: z.number().min(LIMITS.learningRate.min).max(LIMITS.learningRate.max).optional(),
  momentum: z.number().min(LIMITS.momentum.min).max(LIMITS.momentum.max).optional(),
  l2: z.number().min(LIMITS.l2.min).max(LIMITS.l2.max).optional(),
  batchSize: z.number().int().min(LIMITS.batchSize.min).max(LIMITS.batchSize.max).optional(),
  epochs: z.number().int().min(LIMITS.epochs.min).max(LIMITS.epochs.max).optional(),
  validation: z.union([z.number().min(0).max(LIMITS.validationFraction.max), z.literal('test')]).optional(),
  trainSubset: z.number().int().min(LIMITS.trainSubset.min).max(1_000_000).nullable().optional(),
});

export const setupActionSchema = z.strictObject({
  preset: z.enum(presetIds).optional(),
  dataset: datasetId.optional(),
  settings: settingsSchema.optional(),
  label,
});
export const showActionSchema = z.strictObject({
  panel: z.enum(LESSON_PANELS),
  /** The data-testid of the control to highlight. */
  target: z.string().regex(/^[a-z0-9-]{1,60}$/, 'must be a control name (letters, digits and -)').optional(),
  label,
});

export type LessonAction = ({ kind: 'setup' } & z.infer<typeof setupActionSchema>) | ({ kind: 'show' } & z.infer<typeof showActionSchema>);

/** Every kind of check, each with the facts it reads (lesson-checks.ts). */
export const checkSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('trained'),
    /** Test accuracy in percent that a finished run must reach. */
    atLeast: z.number().min(0).max(100).default(0),
    dataset: datasetId.optional(),
    hiddenLayers: z.number().int().min(1).max(LIMITS.hiddenLayers.max).optional(),
    units: z.number().int().min(LIMITS.units.min).max(LIMITS.units.max).optional(),
    label,
  }),
  z.strictObject({ kind: z.literal('gallery-failures'), class: z.number().int().min(0).max(99), label }),
  z.strictObject({ kind: z.literal('drawings'), count: z.number().int().min(1).max(10_000), digit: z.number().int().min(0).max(9).optional(), label }),
  z.strictObject({ kind: z.literal('runs-differ'), setting: z.enum(RUN_SETTINGS), dataset: datasetId.optional(), label }),
  z.strictObject({ kind: z.literal('dataset'), id: datasetId, label }),
  z.strictObject({ kind: z.literal('imported-dataset'), label }),
  z.strictObject({ kind: z.literal('visited'), panel: z.enum(LESSON_PANELS), label }),
  z.strictObject({ kind: z.literal('robustness'), label }),
  z.strictObject({ kind: z.literal('drawn'), label }),
  z.strictObject({ kind: z.literal('overfitting'), label }),
]);
export type LessonCheck = z.infer<typeof checkSchema>;

export interface LessonStep {
  title: string;
  /** The step's Markdown (its first heading and its action and check blocks taken out). */
  text: string;
  actions: LessonAction[];
  checks: LessonCheck[];
}

export interface Lesson {
  id: string;
  title: string;
  summary: string;
  steps: LessonStep[];
  /** The images its text shows, by file name, as data: URLs (read by main from beside the lesson file). */
  images: Record<string, string>;
}

export type LessonOrigin = 'bundled' | 'imported';

export interface LessonSummary {
  id: string;
  title: string;
  summary: string;
  origin: LessonOrigin;
  steps: number;
  /** Share of the steps done, 0..1. */
  progress: number;
}

export interface LessonListing {
  lessons: LessonSummary[];
  /** Stored or bundled lesson files that could not be read, each with its reason. */
  problems: string[];
}

/** A learner's progress in one lesson. */
export interface LessonProgress {
  /** The step on screen, 0-based. */
  step: number;
  /** The furthest step reached: a step without checks counts as done once the learner moved past it. */
  furthest: number;
  /** Checks that ticked, as "step.check" (0-based), with when. */
  ticked: Record<string, string>;
}

export const EMPTY_PROGRESS: LessonProgress = { step: 0, furthest: 0, ticked: {} };

export const progressSchema = z.strictObject({
  step: z.number().int().min(0).max(LESSON_LIMITS.steps),
  furthest: z.number().int().min(0).max(LESSON_LIMITS.steps),
  ticked: z.record(z.string().regex(/^\d{1,2}\.\d$/), z.string().max(40)).refine((t) => Object.keys(t).length <= LESSON_LIMITS.steps * LESSON_LIMITS.checksPerStep, 'too many ticked checks'),
});

export const checkKey = (step: number, check: number): string => `${step}.${check}`;

/** Whether step `index` is done: all its checks ticked, or (with none) the learner moved past it. */
export function stepDone(lesson: Lesson, progress: LessonProgress, index: number): boolean {
  const step = lesson.steps[index];
  if (!step) return false;
  if (step.checks.length === 0) return progress.furthest > index;
  return step.checks.every((_, i) => checkKey(index, i) in progress.ticked);
}

/** Share of a lesson's steps done, 0..1. */
export function lessonProgress(lesson: Lesson, progress: LessonProgress): number {
  if (lesson.steps.length === 0) return 0;
  return lesson.steps.filter((_, i) => stepDone(lesson, progress, i)).length / lesson.steps.length;
}

/** The import's outcome: a lesson, or the file's problems (each naming a line or a field, never quoting it). */
export type LessonImportOutcome = { status: 'imported'; id: string; title: string } | { status: 'refused'; file: string; problems: string[] };

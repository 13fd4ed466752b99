import type { Api } from '$shared/ipc/contract';
import { checkKey, EMPTY_PROGRESS, lessonProgress, stepDone, type Lesson, type LessonAction, type LessonImportOutcome, type LessonListing, type LessonOrigin, type LessonProgress } from '$shared/lessons/lesson';
import { checkMet } from '$shared/lessons/lesson-checks';
import type { GlossaryId } from '$shared/lessons/glossary';
import { errorText } from '../error-text';
import { Latest } from '../../lib/latest';
import type { SpecHandoff } from '../spec-handoff.svelte';
import { LessonFactsState, type FactSources, type FactsApi } from './lesson-facts.svelte';
import { setupRequest } from './lesson-setup';

export type LessonsApi = FactsApi & Pick<Api, 'listLessons' | 'getLesson' | 'importLesson' | 'onLessonImported' | 'setLessonProgress' | 'resetLesson' | 'exportLesson' | 'deleteLesson'>;

interface OpenLesson {
  lesson: Lesson;
  origin: LessonOrigin;
  progress: LessonProgress;
}

/**
 * The lessons drawer: the list, the lesson open in it with the learner's progress, its checks ticked
 * from the app's facts (and kept in main once ticked), and what its actions do to the other panels.
 */
export class LessonsState {
  open = $state(false);
  listing = $state.raw<LessonListing | null>(null);
  current = $state.raw<OpenLesson | null>(null);
  /** A refused import: the file and its problems, each naming a line or a field. */
  importError = $state.raw<{ file: string; problems: string[] } | null>(null);
  /** What the last action did, or why it could not. */
  notice = $state<string | null>(null);
  error = $state<string | null>(null);
  /** The glossary term whose definition is open below the step. */
  term = $state<GlossaryId | null>(null);
  readonly facts: LessonFactsState;

  #api: LessonsApi | null = null;
  readonly #answer = new Latest();
  readonly #app: FactSources['app'] & { panel: string };
  readonly #handoff: Pick<SpecHandoff, 'offer' | 'current'> | null;

  constructor(services: FactSources & { app: { panel: string }; handoff?: Pick<SpecHandoff, 'offer' | 'current'> }) {
    this.facts = new LessonFactsState(services);
    this.#app = services.app;
    this.#handoff = services.handoff ?? null;
  }

  /** Per step, per check: met by the app's state now. */
  readonly met = $derived(this.current ? this.current.lesson.steps.map((step) => step.checks.map((check) => checkMet(check, this.facts.facts))) : []);

  connect(api: LessonsApi): () => void {
    this.#api = api;
    const stopFacts = this.facts.connect(api);
    const stopImported = api.onLessonImported((outcome) => void this.#imported(outcome));
    void this.refresh();
    return () => {
      stopFacts();
      stopImported();
      this.#api = null;
    };
  }

  async refresh(): Promise<void> {
    await this.#call('Could not list the lessons', async (api) => {
      this.listing = await api.listLessons();
    });
  }

  toggle(): void {
    if (this.open) this.open = false;
    else this.show();
  }

  /** Opens the drawer (the Lessons button, or the menu's `lessons:open` once it is wired). */
  show(): void {
    this.open = true;
    void this.refresh();
  }

  async openLesson(id: string): Promise<void> {
    const answer = this.#answer.next();
    await this.#call('Could not open the lesson', async (api) => {
      const got = await api.getLesson({ id });
      if (answer.current) this.current = got;
    });
    this.notice = null;
    this.term = null;
  }

  close(): void {
    this.#answer.next();
    this.current = null;
    void this.refresh();
  }

  done(index: number): boolean {
    return this.current ? stepDone(this.current.lesson, this.current.progress, index) : false;
  }

  ticked(step: number, check: number): boolean {
    return this.current ? checkKey(step, check) in this.current.progress.ticked : false;
  }

  async go(delta: -1 | 1): Promise<void> {
    const current = this.current;
    if (!current) return;
    const step = Math.min(Math.max(current.progress.step + delta, 0), current.lesson.steps.length - 1);
    if (step === current.progress.step) return;
    this.notice = null;
    this.term = null;
    await this.#save({ ...current.progress, step, furthest: Math.max(current.progress.furthest, step) });
  }

  /** Keeps every check met now as ticked, with the time it ticked; ticks are never taken back but by Reset. */
  async recordTicks(): Promise<void> {
    const current = this.current;
    if (!current) return;
    const now = new Date().toISOString();
    const ticked = { ...current.progress.ticked };
    let changed = false;
    this.met.forEach((checks, i) =>
      checks.forEach((met, j) => {
        if (met && !(checkKey(i, j) in ticked)) {
          ticked[checkKey(i, j)] = now;
          changed = true;
        }
      }),
    );
    if (changed) await this.#save({ ...current.progress, ticked });
  }

  async reset(): Promise<void> {
    const current = this.current;
    if (!current) return;
    await this.#call('Could not reset the progress', async (api) => {
      await api.resetLesson({ id: current.lesson.id });
      this.current = { ...current, progress: structuredClone(EMPTY_PROGRESS) };
    });
  }

  async exportLesson(): Promise<void> {
    const current = this.current;
    if (!current) return;
    await this.#call('Could not export the lesson', async (api) => {
      const saved = await api.exportLesson({ id: current.lesson.id });
      if (saved) this.notice = `Saved with your progress to ${saved}`;
    });
  }

  async importLesson(paths?: string[]): Promise<void> {
    this.open = true;
    await this.#call('Could not import the lesson', async (api) => {
      const outcome = await api.importLesson({ paths });
      if (outcome) await this.#imported(outcome);
    });
  }

  /** Opens an imported lesson, or shows the file's problems in the list, where the import is. */
  async #imported(outcome: LessonImportOutcome): Promise<void> {
    this.open = true;
    if (outcome.status === 'refused') {
      this.current = null;
      this.importError = { file: outcome.file, problems: outcome.problems };
      return;
    }
    this.importError = null;
    await this.refresh();
    await this.openLesson(outcome.id);
  }

  async deleteLesson(id: string): Promise<void> {
    await this.#call('Could not delete the lesson', async (api) => {
      await api.deleteLesson({ id });
      if (this.current?.lesson.id === id) this.current = null;
      await this.refresh();
    });
  }

  /** Runs a step's action: a set-up goes to the Train tab; a "Show me" opens its panel and returns the control to highlight. */
  apply(action: LessonAction): string | null {
    if (action.kind === 'show') {
      this.#app.panel = action.panel;
      return action.target ?? null;
    }
    const title = this.current?.lesson.title ?? 'lesson';
    const problem = this.#handoff ? this.#handoff.offer(setupRequest(action, this.#handoff.current(), title)) : 'the Train tab is not ready';
    if (problem) {
      this.notice = `Not set up: ${problem}`;
      return null;
    }
    this.#app.panel = 'train';
    this.notice = `Set up on the Train tab: ${action.label ?? 'the lesson’s settings'}.`;
    return null;
  }

  /** Share of the open lesson's steps done. */
  readonly progress = $derived(this.current ? lessonProgress(this.current.lesson, this.current.progress) : 0);

  async #save(progress: LessonProgress): Promise<void> {
    const current = this.current;
    if (!current) return;
    this.current = { ...current, progress };
    await this.#call('Could not keep your progress', (api) => api.setLessonProgress({ id: current.lesson.id, progress }));
  }

  async #call(context: string, call: (api: LessonsApi) => Promise<unknown>): Promise<void> {
    const api = this.#api;
    if (!api) return;
    try {
      this.error = null;
      await call(api);
    } catch (error) {
      this.error = `${context}: ${errorText(error)}`;
    }
  }
}

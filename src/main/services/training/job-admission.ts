import type { TrainingPhase } from '$shared/training';

/**
 * Who may use the one training worker now. It runs one thing at a time and a new job ends the one
 * before, so: a run has the worker to itself, jobs (evaluations, robustness checks, fine-tunes) run
 * between runs, and a fine-tune, the user's work of many seconds, is never ended by anything else.
 */
export class JobAdmission {
  constructor(
    private readonly phase: () => TrainingPhase,
    private readonly finetuneRunning: () => boolean,
  ) {}

  /** Throws why a job may not run now. */
  assertJobMayRun(): void {
    if (this.phase() !== 'idle') throw new Error('A model is training: evaluation can run once it has finished.');
    this.assertNoFinetune();
  }

  /** Whether a job that waited for the worker to start may still go to it: no run began meanwhile. */
  jobStillWelcome(): boolean {
    return this.phase() === 'idle';
  }

  /** Throws when a fine-tune is running: a run would end it, so the user is told to wait or cancel it. */
  assertNoFinetune(): void {
    if (this.finetuneRunning()) {
      throw new Error('Your handwriting is being fine-tuned (Gallery): this can start once it ends, or after you cancel it there.');
    }
  }
}

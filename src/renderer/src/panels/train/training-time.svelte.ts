import type { ModelSpec } from '$shared/model-spec';
import type { EpochLog } from '$shared/training';
import { CONFIRM_ABOVE_SECONDS } from './run-estimate';
import { estimateRun, speedKey, withEpoch, type RunEstimate, type Speeds } from './run-speed';
import type { SpecEditor } from './spec-editor.svelte';
import { datasetSize } from './training-run';

export type { RunEstimate };

/**
 * How long Train would take with the editor's settings, at this machine's speed for this kind of model
 * once a complete epoch of one has measured it (run-speed.ts); and a run estimated too long, waiting for
 * the learner's yes.
 */
export class TrainingTime {
  /** A long run waiting for the learner's yes (see `approve`); null otherwise. */
  confirming = $state.raw<RunEstimate | null>(null);
  /** This machine's training speed per kind of model, measured on complete epochs. */
  #speeds = $state.raw<Speeds>(new Map());
  readonly #editor: SpecEditor;
  /** The backend the worker trains on: the speed of one says nothing of another's. */
  readonly #backend: () => string | null;

  constructor(editor: SpecEditor, backend: () => string | null) {
    this.#editor = editor;
    this.#backend = backend;
  }

  /** How long Train would take with the settings as they are; null while they cannot be trained. */
  readonly estimate = $derived.by((): RunEstimate | null => {
    const editor = this.#editor;
    if (Object.keys(editor.fieldErrors).length > 0 || editor.problems.length > 0) return null;
    const size = datasetSize(editor.dataset);
    if (!size) return null;
    return estimateRun(editor.spec, size, this.#speeds, this.#backend());
  });

  /** Takes this machine's speed for a model of `spec` on `backend` from an epoch it logged. */
  measure(spec: ModelSpec, backend: string | null, log: EpochLog): void {
    this.#speeds = withEpoch(this.#speeds, speedKey(spec, backend), log);
  }

  /**
   * Whether Train may start now: a run estimated to take longer than CONFIRM_ABOVE_SECONDS asks first
   * (`confirming`), unless `confirmed`, the learner's yes.
   */
  approve(confirmed: boolean): boolean {
    const estimate = this.estimate;
    if (!confirmed && estimate && estimate.seconds > CONFIRM_ABOVE_SECONDS) {
      this.confirming = estimate;
      return false;
    }
    this.confirming = null;
    return true;
  }

  cancel(): void {
    this.confirming = null;
  }
}

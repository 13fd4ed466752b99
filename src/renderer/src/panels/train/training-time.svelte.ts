import type { ModelSpec } from '$shared/model-spec';
import type { EpochLog } from '$shared/training';
import { speedKind, type MeasuredSpeed } from '$shared/training-speed';
import { CONFIRM_ABOVE_SECONDS } from './run-estimate';
import { estimateRun, speedKey, withEpoch, type RunEstimate, type Speeds } from './run-speed';
import type { SpecEditor } from './spec-editor.svelte';
import { datasetSize } from './training-run';

export type { RunEstimate };

/** Asks main for this machine's stored speed for a model (training:measured-speed); null without a window.api. */
export type SpeedLookup = (request: { spec: ModelSpec; datasetId: string }) => Promise<MeasuredSpeed | null> | null;

/**
 * How long Train would take with the editor's settings, at this machine's speed for this kind of model
 * (run-speed.ts): measured by a complete epoch in this session, or kept by main from earlier runs and
 * backend timings; and a run estimated too long, waiting for the learner's yes.
 */
export class TrainingTime {
  /** A long run waiting for the learner's yes (see `approve`); null otherwise. */
  confirming = $state.raw<RunEstimate | null>(null);
  /** This machine's training speed per kind of model, measured on complete epochs. */
  #speeds = $state.raw<Speeds>(new Map());
  readonly #editor: SpecEditor;
  /** The backend the worker trains on: the speed of one says nothing of another's. */
  readonly #backend: () => string | null;
  /** Main's answers per kind of model and dataset (null: nothing measured); replaced, not mutated. */
  #stored = $state.raw<ReadonlyMap<string, MeasuredSpeed | null>>(new Map());
  readonly #asking = new Set<string>();
  readonly #lookup: SpeedLookup;

  constructor(editor: SpecEditor, backend: () => string | null, lookup: SpeedLookup = () => null) {
    this.#editor = editor;
    this.#backend = backend;
    this.#lookup = lookup;
  }

  /** What main said of this machine's speed for the editor's model, once asked (see `lookUp`). */
  get stored(): MeasuredSpeed | null {
    const { spec, datasetId } = this.#editor;
    return datasetId ? (this.#stored.get(storedKey(spec, datasetId)) ?? null) : null;
  }

  /**
   * Asks main once per kind of model and dataset for this machine's stored speed (the Train panel's
   * effect calls this as the settings change); an answer that fails counts as no measurement.
   */
  lookUp(): void {
    const { spec, datasetId } = this.#editor;
    // Settings main would refuse are no model to look up.
    if (!datasetId || Object.keys(this.#editor.fieldErrors).length > 0 || this.#editor.problems.length > 0) return;
    const key = storedKey(spec, datasetId);
    if (this.#stored.has(key) || this.#asking.has(key)) return;
    const asked = this.#lookup({ spec: $state.snapshot(spec) as ModelSpec, datasetId });
    if (!asked) return;
    this.#asking.add(key);
    const answer = (speed: MeasuredSpeed | null): void => {
      this.#asking.delete(key);
      this.#stored = new Map(this.#stored).set(key, speed);
    };
    asked.then(answer, () => answer(null));
  }

  /** A run ended: main's history now holds a newer measurement, so the next look-up asks again. */
  forgetStored(): void {
    this.#stored = new Map();
  }

  /** How long Train would take with the settings as they are; null while they cannot be trained. */
  readonly estimate = $derived.by((): RunEstimate | null => {
    const editor = this.#editor;
    if (Object.keys(editor.fieldErrors).length > 0 || editor.problems.length > 0) return null;
    const size = datasetSize(editor.dataset);
    if (!size) return null;
    return estimateRun(editor.spec, size, this.#speeds, this.#backend(), this.stored);
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

/** One look-up per kind of model (speedKind) and dataset: the learning rate or epochs change no speed. */
function storedKey(spec: ModelSpec, datasetId: string): string {
  return `${speedKind(spec)}|${datasetId}`;
}

import type { ModelSpec } from '../../../../shared/model-spec';
import type { EpochLog } from '../../../../shared/training';
import { ASSUMED_OPS_PER_SECOND, CONFIRM_ABOVE_SECONDS, estimateRunSeconds, measuredOpsPerSecond, type DatasetSize } from './run-estimate';
import type { SpecEditor } from './spec-editor.svelte';
import { datasetSize } from './training-run';

export interface RunEstimate {
  seconds: number;
  /** At this machine's measured speed, not a typical one. */
  measured: boolean;
}

/**
 * How long Train would take with the editor's settings, at this machine's speed once an epoch has
 * measured it; and a run estimated too long, waiting for the learner's yes.
 */
export class TrainingTime {
  /** A long run waiting for the learner's yes (see `approve`); null otherwise. */
  confirming = $state.raw<RunEstimate | null>(null);
  /** This machine's training speed, measured on the last epoch trained; null until one has been. */
  #opsPerSecond = $state<number | null>(null);
  readonly #editor: SpecEditor;

  constructor(editor: SpecEditor) {
    this.#editor = editor;
  }

  /** How long Train would take with the settings as they are; null while they cannot be trained. */
  readonly estimate = $derived.by((): RunEstimate | null => {
    const editor = this.#editor;
    if (Object.keys(editor.fieldErrors).length > 0 || editor.problems.length > 0) return null;
    const size = datasetSize(editor.dataset);
    if (!size) return null;
    const seconds = estimateRunSeconds(editor.spec, size, this.#opsPerSecond ?? ASSUMED_OPS_PER_SECOND);
    return seconds === null ? null : { seconds, measured: this.#opsPerSecond !== null };
  });

  /** Takes this machine's speed from an epoch a run of `spec` on a dataset of `size` logged. */
  measure(spec: ModelSpec, size: DatasetSize | null, log: EpochLog): void {
    if (size && log.samples > 0) this.#opsPerSecond = measuredOpsPerSecond(spec, size, log.samplesPerSecond) ?? this.#opsPerSecond;
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

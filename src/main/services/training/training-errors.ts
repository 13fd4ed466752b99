import { boundMessage } from '$shared/bounded-message';
import type { TrainingError, TrainingErrorKind } from '$shared/training';

/** What the user can do about each kind of training error. */
const ADVICE: Record<TrainingErrorKind, string> = {
  diverged: 'Lower the learning rate (Adam at 0.001 is a safe start) or the momentum, then press Train: it starts a fresh model.',
  'out-of-memory': 'Use fewer or smaller layers, a smaller batch or a training subset, then train again.',
  'worker-crashed': 'Press Train to start again; a fresh training process will be started.',
  dataset: 'Check that the dataset files are present and intact (re-download them if needed).',
  failed: 'Press Train to try again; if it keeps failing, report the message.',
};

/** The training:error event for a failure: its message bounded (it may come from a file), with advice. */
export function trainingError(kind: TrainingErrorKind, message: string, runId: string | null): TrainingError {
  return { runId, kind, message: boundMessage(message), advice: ADVICE[kind] };
}

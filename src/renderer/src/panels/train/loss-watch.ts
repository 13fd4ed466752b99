/**
 * Watches a run's reported batch losses for the two ways a learner's run goes wrong long before any
 * NaN: the loss exploding (far above where it started, or not a number), and the loss stuck at chance
 * (ln of the class count: the network still guesses). Pure, so the rules are tested on their own.
 */
export type LossTrouble = { kind: 'exploding' | 'stuck'; message: string; advice: string };

export interface LossSample {
  /** Fractional epochs since the run began. */
  x: number;
  loss: number;
}

/** A loss this many times the first reports' is exploding, whatever happens next. */
const EXPLODING_FACTOR = 3;
/** Stuck: still within this fraction of chance after this many epochs. */
const STUCK_TOLERANCE = 0.05;
const STUCK_AFTER_EPOCHS = 1;

export function watchLoss(samples: readonly LossSample[], classes: number): LossTrouble | null {
  if (samples.length === 0) return null;
  const latest = samples[samples.length - 1];
  const chance = Math.log(Math.max(2, classes));
  const start = samples.slice(0, 3).reduce((sum, s) => sum + (Number.isFinite(s.loss) ? s.loss : 0), 0) / Math.min(3, samples.length);
  // The first reports start near chance; a run that starts far above it has already blown up.
  const reference = Math.max(chance, Number.isFinite(start) ? start : chance);
  if (!Number.isFinite(latest.loss) || latest.loss > EXPLODING_FACTOR * reference) {
    const shown = Number.isFinite(latest.loss) ? latest.loss.toPrecision(3) : 'not a number';
    return {
      kind: 'exploding',
      message: `The loss is exploding: ${shown}, against about ${chance.toFixed(2)} for guessing. The steps are too big, so each update overshoots.`,
      advice: 'Stop, lower the learning rate (about 0.001 for Adam, 0.01–0.1 for SGD) or the momentum, then press Train.',
    };
  }
  if (latest.x >= STUCK_AFTER_EPOCHS && Math.abs(latest.loss - chance) < STUCK_TOLERANCE * chance) {
    return {
      kind: 'stuck',
      message: `The loss is stuck at ${latest.loss.toFixed(3)}, what guessing among ${classes} classes gives (${chance.toFixed(3)}): the network is not learning.`,
      advice: 'Stop, then try a different learning rate (Adam at 0.001 is a safe start) or fewer, wider layers, and press Train.',
    };
  }
  return null;
}

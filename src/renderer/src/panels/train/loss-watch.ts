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

/** A loss this many times chance's is exploding, whatever happens next. */
const EXPLODING_FACTOR = 3;
/** So is one above chance and this many times the best loss so far. */
const REBOUND_FACTOR = 4;
/** Stuck: still within this fraction of chance after this many epochs. */
const STUCK_TOLERANCE = 0.05;
const STUCK_AFTER_EPOCHS = 1;

export function watchLoss(samples: readonly LossSample[], classes: number): LossTrouble | null {
  if (samples.length === 0) return null;
  return judgeLoss(samples[samples.length - 1], bestLoss(samples.map((s) => s.loss)), classes);
}

/** The lowest finite loss of `losses` (Infinity without one). */
export function bestLoss(losses: Iterable<number>, from = Infinity): number {
  let best = from;
  for (const loss of losses) if (Number.isFinite(loss) && loss < best) best = loss;
  return best;
}

/**
 * watchLoss from the latest report and the best loss so far alone: the Train panel keeps the best as
 * reports arrive, rather than going over every report ten times a second.
 */
export function judgeLoss(latest: LossSample, best: number, classes: number): LossTrouble | null {
  const chance = Math.log(Math.max(2, classes));
  // A fresh network starts near chance and only goes down; far above chance, or far back up from its
  // best, the steps overshoot. Both are measured from chance, not from the first report, which may
  // already have blown up.
  const exploding = latest.loss > EXPLODING_FACTOR * chance || (latest.loss > chance && latest.loss > REBOUND_FACTOR * best);
  if (!Number.isFinite(latest.loss) || exploding) {
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

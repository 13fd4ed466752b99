import type { EpochLog } from '../training';

/**
 * The overfitting story told on the Train curves: the validation loss has been rising for several
 * epochs while the training loss kept falling, so the network is learning its training images rather
 * than digits. Pure, so the rule is tested on hand-made series.
 */

export interface OverfittingSign {
  /** 0-based epoch of the lowest validation loss, after which it rose. */
  bestEpoch: number;
  /** 0-based last epoch looked at. */
  lastEpoch: number;
  /** Epochs since the lowest validation loss. */
  epochsRising: number;
  valLossAtBest: number;
  valLossNow: number;
  trainLossAtBest: number;
  trainLossNow: number;
  message: string;
  advice: string;
}

export interface OverfittingRule {
  /** Epochs the validation loss must have risen for (after its lowest point), 3 by default. */
  epochs: number;
  /** How far above its lowest the validation loss must now be, as a fraction of it (noise is not a rise). */
  minRise: number;
}

export const DEFAULT_OVERFITTING_RULE: OverfittingRule = { epochs: 3, minRise: 0.02 };

/**
 * Says whether a run's epochs show overfitting: the validation loss's lowest point lies at least
 * `rule.epochs` epochs back, the validation loss now stands more than `minRise` above it and rose over
 * the last `rule.epochs` epochs taken together (their least-squares slope is positive), while the
 * training loss is below where it was at that lowest point. Epochs without validation are skipped;
 * null when there is no such sign (or no validation at all).
 */
export function detectOverfitting(history: readonly EpochLog[], rule: OverfittingRule = DEFAULT_OVERFITTING_RULE): OverfittingSign | null {
  const logs = history.filter((l): l is EpochLog & { valLoss: number } => l.complete && l.valLoss !== undefined && Number.isFinite(l.valLoss));
  if (logs.length < rule.epochs + 1) return null;
  let best = 0;
  for (let i = 1; i < logs.length; i++) if (logs[i]!.valLoss < logs[best]!.valLoss) best = i;
  const last = logs.length - 1;
  const rising = last - best;
  if (rising < rule.epochs) return null;
  const atBest = logs[best]!;
  const now = logs[last]!;
  if (now.valLoss <= atBest.valLoss * (1 + rule.minRise)) return null;
  if (slope(logs.slice(last - rule.epochs).map((l) => l.valLoss)) <= 0) return null;
  if (now.loss >= atBest.loss) return null;
  return {
    bestEpoch: atBest.epoch,
    lastEpoch: now.epoch,
    epochsRising: rising,
    valLossAtBest: atBest.valLoss,
    valLossNow: now.valLoss,
    trainLossAtBest: atBest.loss,
    trainLossNow: now.loss,
    message:
      `Overfitting: the validation loss has risen for ${rising} epochs since epoch ${atBest.epoch + 1} ` +
      `(${atBest.valLoss.toFixed(3)} → ${now.valLoss.toFixed(3)}) while the training loss kept falling ` +
      `(${atBest.loss.toFixed(3)} → ${now.loss.toFixed(3)}): the network is memorising its training images.`,
    advice: `Try dropout (0.2–0.5), an L2 penalty (1e-4), fewer epochs (about ${atBest.epoch + 1}), or early stopping with restore best weights.`,
  };
}

/** What to say when a run has no validation set: overfitting cannot be seen without one. */
export const NO_VALIDATION_HINT =
  'Without a validation set the curves cannot show overfitting: set Validation to 10 % (or the test set) and watch whether val_loss rises while loss keeps falling.';

/** Least-squares slope of equally spaced values. */
function slope(values: readonly number[]): number {
  const n = values.length;
  const meanX = (n - 1) / 2;
  const meanY = values.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  values.forEach((y, x) => {
    num += (x - meanX) * (y - meanY);
    den += (x - meanX) ** 2;
  });
  return den === 0 ? 0 : num / den;
}

import type { EpochLog } from './training';

/** 101358 → "101,358", the same on every machine whatever its locale. */
export function formatInteger(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

/**
 * One epoch as Keras prints it — "Epoch 3/10 - 0.6s - loss: 0.1416 - accuracy: 0.9660 - …" — for the
 * CLI and the Train panel's log alike. `of` is the epoch the run stops before.
 */
export function formatEpochLine(log: EpochLog, of: number): string {
  // A stopped epoch has no "/10": Continue redoes it under its own count ("Epoch 2/11"), and "Epoch 2/10
  // (stopped)" followed by "Epoch 2/11" read as two different second epochs.
  const parts = [
    log.complete ? `Epoch ${log.epoch + 1}/${of}` : `Epoch ${log.epoch + 1}`,
    `${log.seconds.toFixed(1)}s`,
    `loss: ${log.loss.toFixed(4)}`,
    `accuracy: ${log.accuracy.toFixed(4)}`,
  ];
  if (log.valLoss !== undefined) parts.push(`val_loss: ${log.valLoss.toFixed(4)}`);
  if (log.valAccuracy !== undefined) parts.push(`val_accuracy: ${log.valAccuracy.toFixed(4)}`);
  parts.push(`${formatInteger(log.samplesPerSecond)} samples/s`);
  const line = parts.join(' - ');
  return log.complete ? line : `${line} (stopped after ${formatInteger(log.samples)} samples; Continue trains this epoch again)`;
}

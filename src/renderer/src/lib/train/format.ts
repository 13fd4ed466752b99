import type { EpochLog } from '../../../../shared/training';

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** 101358 → "101,358". */
export function formatInteger(value: number): string {
  return integer.format(value);
}

/** A setting as people write it: 0.001, 0.0001, 0.9 (never 1e-4 or 0.30000000000000004). */
export function formatSetting(value: number): string {
  if (value === 0) return '0';
  return String(Number(value.toPrecision(3)));
}

/** An accuracy as a percentage with two decimals: 0.97512 → "97.51 %". */
export function formatAccuracy(accuracy: number): string {
  return `${(accuracy * 100).toFixed(2)} %`;
}

/** 42 → "42 s", 125 → "2:05", 3725 → "1:02:05". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '–';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const pad = (n: number): string => String(n).padStart(2, '0');
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${m}:${pad(s % 60)}`;
}

/** One line of the epoch log, as Keras prints it: "Epoch 3/10 - 0.6s - loss: 0.1416 - accuracy: 0.9660 …". */
export function formatEpochLine(log: EpochLog, of: number): string {
  const parts = [
    `Epoch ${log.epoch + 1}/${of}`,
    `${log.seconds.toFixed(1)}s`,
    `loss: ${log.loss.toFixed(4)}`,
    `accuracy: ${log.accuracy.toFixed(4)}`,
  ];
  if (log.valLoss !== undefined) parts.push(`val_loss: ${log.valLoss.toFixed(4)}`);
  if (log.valAccuracy !== undefined) parts.push(`val_accuracy: ${log.valAccuracy.toFixed(4)}`);
  parts.push(`${formatInteger(log.samplesPerSecond)} samples/s`);
  const line = parts.join(' - ');
  return log.complete ? line : `${line} (stopped after ${formatInteger(log.samples)} samples)`;
}

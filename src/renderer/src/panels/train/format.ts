import { formatInteger } from '$shared/format-epoch';

// The epoch line is shared with the CLI, so both print the same log.
export { formatEpochLine, formatInteger } from '$shared/format-epoch';

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

/**
 * A duration as a learner says it: "about 40 seconds", "about 12 minutes", "about 1 hour 20 minutes",
 * "about 46 hours", "about 3 days". Never a bare "45:49:55", whose unit the reader must guess.
 */
export function formatDurationWords(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return 'unknown';
  const plural = (n: number, unit: string): string => `${n} ${unit}${n === 1 ? '' : 's'}`;
  if (seconds < 10) return 'a few seconds';
  if (seconds < 60) return `about ${plural(Math.round(seconds / 5) * 5, 'second')}`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `about ${plural(minutes, 'minute')}`;
  const hours = Math.floor(minutes / 60);
  if (hours < 10) return `about ${plural(hours, 'hour')}${minutes % 60 ? ` ${plural(minutes % 60, 'minute')}` : ''}`;
  if (seconds < 72 * 3600) return `about ${plural(Math.round(seconds / 3600), 'hour')}`;
  return `about ${plural(Math.round(seconds / 86_400), 'day')}`;
}

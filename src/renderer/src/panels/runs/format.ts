/** Display helpers of the Runs tab. */

export const percent = (value: number): string => `${(value * 100).toFixed(2)} %`;

export function duration(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes} min ${Math.round(seconds - minutes * 60)} s`;
}

/** "2026-12-01 21:04:05", local time: runs a few seconds apart still read apart. */
export function dateTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

export const OUTCOME_LABELS = { running: 'running', completed: 'done', stopped: 'stopped', failed: 'failed', diverged: 'diverged' } as const;

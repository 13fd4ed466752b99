/** Side-by-side timing for the micro-benchmarks (fill-bench.ts, step-bench.ts): figures, never assertions. */
import { quantile } from './format';

export interface Timed {
  /** Median and fastest wall ms of one unit of work over the rounds. */
  wall: { median: number; min: number };
  /**
   * Median CPU ms (user + system, this process) of one unit. On a machine other work is loading, being
   * descheduled inflates wall time but not this, so it tells single-threaded variants apart better.
   */
  cpuMedian: number;
}

/**
 * Runs each variant's `once` `perRound` times a round, the variants alternating for `rounds` rounds so
 * that load from elsewhere hits them alike, after `warmup` calls each.
 */
export function alternate(variants: readonly (() => void)[], rounds: number, perRound: number, warmup: number): Timed[] {
  const wall = variants.map((): number[] => []);
  const cpu = variants.map((): number[] => []);
  variants.forEach((once) => {
    for (let k = 0; k < warmup; k++) once();
  });
  for (let round = 0; round < rounds; round++) {
    variants.forEach((once, v) => {
      const cpuStarted = process.cpuUsage();
      const started = performance.now();
      for (let k = 0; k < perRound; k++) once();
      wall[v].push((performance.now() - started) / perRound);
      const used = process.cpuUsage(cpuStarted);
      cpu[v].push((used.user + used.system) / 1000 / perRound);
    });
  }
  return variants.map((_, v) => {
    const w = wall[v].sort((a, b) => a - b);
    return { wall: { median: quantile(w, 0.5), min: w[0] }, cpuMedian: quantile(cpu[v].sort((a, b) => a - b), 0.5) };
  });
}

/** "median / fastest wall, median cpu" with 3 decimals. */
export function timedCell(t: Timed): string {
  return `${t.wall.median.toFixed(3)} / ${t.wall.min.toFixed(3)} | ${t.cpuMedian.toFixed(3)}`;
}

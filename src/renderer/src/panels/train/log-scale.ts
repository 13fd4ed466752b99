/**
 * A slider over a value that spans decades (layer widths, learning rates): slider positions are spaced
 * evenly in log(value), so 1→10 takes as much travel as 100→1000.
 */
export interface LogScale {
  readonly min: number;
  readonly max: number;
  /** Positions run from 0 to `steps`, whole numbers. */
  readonly steps: number;
  toPosition(value: number): number;
  fromPosition(position: number): number;
  /** The nearest position, in `direction`, whose value differs from the one at `position`. */
  step(position: number, direction: 1 | -1, positions?: number): number;
}

export function logScale(min: number, max: number, steps: number, round: (value: number) => number): LogScale {
  const span = Math.log(max / min);
  const clampPosition = (p: number): number => Math.min(steps, Math.max(0, Math.round(p)));
  const fromPosition = (position: number): number =>
    Math.min(max, Math.max(min, round(min * Math.exp((clampPosition(position) / steps) * span))));
  return {
    min,
    max,
    steps,
    fromPosition,
    toPosition(value) {
      if (!Number.isFinite(value) || value <= min) return 0;
      return clampPosition((Math.log(value / min) / span) * steps);
    },
    step(position, direction, positions = 1) {
      // Positions are finer than the values they round to (so every value is reachable by dragging);
      // a key press must still change the value, so skip positions that round to the same one.
      const current = fromPosition(position);
      let next = clampPosition(position + direction * positions);
      while (next > 0 && next < steps && fromPosition(next) === current) next += direction;
      return next;
    },
  };
}

/**
 * Hidden-layer widths 1–1024. 10,000 positions make every integer reachable: adjacent widths near
 * 1024 differ by 0.1 % in log terms, a position is 0.07 %.
 */
export const UNITS_SCALE = logScale(1, 1024, 10_000, Math.round);

/** Learning rates 1e-4–1, to two significant digits (0.001, 0.0015, 0.02), as people write them. */
export const LEARNING_RATE_SCALE = logScale(1e-4, 1, 2_000, (value) => Number(value.toPrecision(2)));

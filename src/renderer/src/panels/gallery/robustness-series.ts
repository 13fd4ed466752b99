import { ROBUSTNESS_VARIANTS, type RobustnessFamily, type RobustnessResult } from '$shared/robustness';

export interface Point {
  x: number;
  y: number;
}

/**
 * One model's accuracy along a family's axis, the untouched test set included where the axis has a
 * natural zero: shift distance (mean of the 8 directions), angle, scale factor; re-centring is 0 → 1.
 */
export function familySeries(result: RobustnessResult, family: RobustnessFamily): Point[] {
  const accuracy = new Map(result.rows.map((row) => [row.variant, row.accuracy]));
  const variants = ROBUSTNESS_VARIANTS.filter((v) => v.family === family && accuracy.has(v.id));
  const original: Point[] = [];
  const byX = new Map<number, number[]>();
  for (const v of variants) {
    const x = family === 'shift' ? Math.max(Math.abs(v.dx), Math.abs(v.dy)) : family === 'rotate' ? v.rotation : family === 'scale' ? v.scale : 1;
    byX.set(x, [...(byX.get(x) ?? []), accuracy.get(v.id)!]);
  }
  if (variants.length > 0) original.push({ x: family === 'scale' ? 1 : 0, y: result.original });
  const points = [...byX].map(([x, ys]) => ({ x, y: ys.reduce((a, b) => a + b, 0) / ys.length }));
  return [...original, ...points].sort((a, b) => a.x - b.x);
}

export interface FamilyAxis {
  title: string;
  xTitle: string;
  xMin: number;
  xMax: number;
  xStep: number;
  formatX: (x: number) => string;
}

export const FAMILY_AXES: Record<RobustnessFamily, FamilyAxis> = {
  shift: { title: 'Shifted', xTitle: 'pixels (mean of 8 directions)', xMin: 0, xMax: 4, xStep: 1, formatX: (x) => `${x}` },
  rotate: { title: 'Rotated', xTitle: 'degrees, clockwise', xMin: -20, xMax: 20, xStep: 10, formatX: (x) => `${x}°` },
  scale: { title: 'Scaled', xTitle: 'size factor', xMin: 0.8, xMax: 1.2, xStep: 0.2, formatX: (x) => `×${x.toFixed(1)}` },
  recentre: {
    title: 'Re-centred',
    xTitle: 'as drawings are centred',
    xMin: 0,
    xMax: 1,
    xStep: 1,
    formatX: (x) => (x === 0 ? 'as is' : x === 1 ? 're-centred' : ''),
  },
};

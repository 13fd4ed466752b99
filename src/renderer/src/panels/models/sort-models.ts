import type { LibraryModel } from '$shared/models';

export const SORT_KEYS = ['name', 'parameters', 'testAccuracy', 'epochs', 'created'] as const;
export type SortKey = (typeof SORT_KEYS)[number];

/** The list in the chosen order; the bundled default always stays first, and ties keep name order. */
export function sortModels(models: readonly LibraryModel[], key: SortKey, descending: boolean): LibraryModel[] {
  const value = (m: LibraryModel): number | string => (key === 'testAccuracy' ? (m.testAccuracy ?? -1) : m[key]);
  const rest = models.filter((m) => !m.builtIn);
  rest.sort((a, b) => {
    const x = value(a);
    const y = value(b);
    const order = typeof x === 'string' ? x.localeCompare(y as string) : x - (y as number);
    return (descending ? -order : order) || a.name.localeCompare(b.name);
  });
  return [...models.filter((m) => m.builtIn), ...rest];
}

/** The sparkline's polyline points in a width × height box, y from min to max of the curve. */
export function sparklinePoints(curve: readonly number[], width: number, height: number): string {
  if (curve.length < 2) return '';
  const min = Math.min(...curve);
  const span = Math.max(...curve) - min || 1;
  return curve
    .map((v, i) => `${((i / (curve.length - 1)) * width).toFixed(1)},${(height - ((v - min) / span) * height).toFixed(1)}`)
    .join(' ');
}

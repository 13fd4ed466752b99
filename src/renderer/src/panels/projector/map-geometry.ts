import type { ProjectionMap } from '$shared/projector/projector';

/** How map coordinates land on the canvas: one scale for both axes, so distances stay honest. */
export interface MapView {
  scale: number;
  /** Screen position of map coordinate (0, 0). */
  originX: number;
  originY: number;
}

/** Fits every point (and `extra`, the drawing) into width × height with `pad` pixels to spare. */
export function fitView(coords: Float32Array, count: number, width: number, height: number, pad: number, extra: readonly [number, number] | null = null): MapView {
  let [minX, maxX, minY, maxY] = [Infinity, -Infinity, Infinity, -Infinity];
  const take = (x: number, y: number): void => {
    if (!Number.isFinite(x) || !Number.isFinite(y)) return;
    minX = Math.min(minX, x);
    maxX = Math.max(maxX, x);
    minY = Math.min(minY, y);
    maxY = Math.max(maxY, y);
  };
  for (let i = 0; i < count; i++) take(coords[2 * i], coords[2 * i + 1]);
  if (extra) take(extra[0], extra[1]);
  if (minX > maxX) return { scale: 1, originX: width / 2, originY: height / 2 };
  const spanX = Math.max(maxX - minX, 1e-9);
  const spanY = Math.max(maxY - minY, 1e-9);
  const scale = Math.min((width - 2 * pad) / spanX, (height - 2 * pad) / spanY);
  // Screen y grows downwards; the map's second axis points up, as in a plot.
  return { scale, originX: width / 2 - scale * ((minX + maxX) / 2), originY: height / 2 + scale * ((minY + maxY) / 2) };
}

export function toScreen(view: MapView, x: number, y: number): [number, number] {
  return [view.originX + view.scale * x, view.originY - view.scale * y];
}

/** The point nearest the screen position (sx, sy) within `radius` pixels, or null. */
export function pointAt(coords: Float32Array, count: number, view: MapView, sx: number, sy: number, radius: number): number | null {
  let best = radius * radius;
  let at: number | null = null;
  for (let i = 0; i < count; i++) {
    const [px, py] = toScreen(view, coords[2 * i], coords[2 * i + 1]);
    const d = (px - sx) ** 2 + (py - sy) ** 2;
    if (d <= best) [best, at] = [d, i];
  }
  return at;
}

/** The points whose screen position lies inside the polygon (even-odd rule), in index order. */
export function pointsInside(coords: Float32Array, count: number, view: MapView, polygon: readonly (readonly [number, number])[]): number[] {
  if (polygon.length < 3) return [];
  const inside: number[] = [];
  for (let i = 0; i < count; i++) {
    const [x, y] = toScreen(view, coords[2 * i], coords[2 * i + 1]);
    let odd = false;
    for (let a = 0, b = polygon.length - 1; a < polygon.length; b = a++) {
      const [ax, ay] = polygon[a];
      const [bx, by] = polygon[b];
      if (ay > y !== by > y && x < ((bx - ax) * (y - ay)) / (by - ay) + ax) odd = !odd;
    }
    if (odd) inside.push(i);
  }
  return inside;
}

/** Class probabilities from the output layer's scores. */
export function softmax(scores: Float32Array): Float32Array {
  const max = Math.max(...scores);
  const e = scores.map((s) => Math.exp(s - max));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / sum);
}

/**
 * Where an input (its values at the map's layer) lands on the map. PCA: on the map's own axes. UMAP,
 * which has no axes: at the mean position of its `k` nearest images in the layer, the way UMAP itself
 * places a new point before refining it.
 */
export function placeOnMap(map: Pick<ProjectionMap, 'pca' | 'coords' | 'count' | 'dim'>, values: Float32Array, activations: Float32Array | null, k = 5): [number, number] | null {
  if (values.length !== map.dim) return null;
  if (map.pca) {
    const { mean, components } = map.pca;
    let [a, b] = [0, 0];
    for (let j = 0; j < map.dim; j++) {
      const centred = values[j] - mean[j];
      a += centred * components[j];
      b += centred * components[map.dim + j];
    }
    return [a, b];
  }
  if (!activations || activations.length !== map.count * map.dim) return null;
  const best: { i: number; d: number }[] = [];
  for (let i = 0; i < map.count; i++) {
    let d = 0;
    for (let j = 0; j < map.dim; j++) d += (activations[i * map.dim + j] - values[j]) ** 2;
    if (best.length < k || d < best[best.length - 1].d) {
      best.push({ i, d });
      best.sort((p, q) => p.d - q.d);
      if (best.length > k) best.pop();
    }
  }
  if (best.length === 0) return null;
  const x = best.reduce((s, p) => s + map.coords[2 * p.i], 0) / best.length;
  const y = best.reduce((s, p) => s + map.coords[2 * p.i + 1], 0) / best.length;
  return [x, y];
}

/** The map as CSV: one row per image (its test-set index, true and predicted class, coordinates). */
export function mapCsv(map: ProjectionMap, classNames: readonly string[]): string {
  const name = (c: number): string => {
    const text = classNames[c] ?? String(c);
    return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const lines = ['index,true,predicted,x,y'];
  for (let i = 0; i < map.count; i++) lines.push(`${i},${name(map.labels[i])},${name(map.predictions[i])},${map.coords[2 * i]},${map.coords[2 * i + 1]}`);
  return `${lines.join('\n')}\n`;
}

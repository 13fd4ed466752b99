import type { ProjectionMap } from '$shared/projector/projector';
import { classColour } from '../../lib/class-palette';
import { toScreen, type MapView } from './map-geometry';

export interface PaintOptions {
  /** The drawing's position on the map, if it is shown. */
  drawing: readonly [number, number] | null;
  /** The lasso being drawn, in screen pixels. */
  lasso: readonly (readonly [number, number])[];
  /** The point under the pointer. */
  hovered: number | null;
  /** Map colours follow the page's theme for the background and text. */
  background: string;
  ink: string;
}

/**
 * Paints a map: a dot per image in its true class's colour; a misclassified one as a ring with a
 * cross, so it reads without colour; the drawing as a large star on top. Correct points first, so the
 * few mistakes are never hidden under them.
 */
export function paintMap(ctx: CanvasRenderingContext2D, map: ProjectionMap, view: MapView, options: PaintOptions): void {
  const { width, height } = ctx.canvas;
  ctx.fillStyle = options.background;
  ctx.fillRect(0, 0, width, height);
  const radius = map.count > 5000 ? 1.5 : map.count > 1500 ? 2 : 2.5;
  for (let i = 0; i < map.count; i++) {
    if (map.predictions[i] !== map.labels[i]) continue;
    const [x, y] = toScreen(view, map.coords[2 * i], map.coords[2 * i + 1]);
    ctx.fillStyle = classColour(map.labels[i]);
    ctx.fillRect(x - radius, y - radius, 2 * radius, 2 * radius);
  }
  ctx.lineWidth = 1.5;
  for (let i = 0; i < map.count; i++) {
    if (map.predictions[i] === map.labels[i]) continue;
    const [x, y] = toScreen(view, map.coords[2 * i], map.coords[2 * i + 1]);
    ctx.strokeStyle = classColour(map.labels[i]);
    ctx.beginPath();
    ctx.moveTo(x - 3.5, y - 3.5);
    ctx.lineTo(x + 3.5, y + 3.5);
    ctx.moveTo(x + 3.5, y - 3.5);
    ctx.lineTo(x - 3.5, y + 3.5);
    ctx.stroke();
  }
  if (options.hovered !== null && options.hovered < map.count) {
    const [x, y] = toScreen(view, map.coords[2 * options.hovered], map.coords[2 * options.hovered + 1]);
    ctx.strokeStyle = options.ink;
    ctx.beginPath();
    ctx.arc(x, y, 6, 0, 2 * Math.PI);
    ctx.stroke();
  }
  if (options.drawing) paintStar(ctx, ...toScreen(view, options.drawing[0], options.drawing[1]), options.ink, options.background);
  if (options.lasso.length > 1) {
    ctx.strokeStyle = options.ink;
    ctx.setLineDash([4, 3]);
    ctx.beginPath();
    ctx.moveTo(...options.lasso[0]);
    for (const point of options.lasso.slice(1)) ctx.lineTo(...point);
    ctx.closePath();
    ctx.stroke();
    ctx.setLineDash([]);
  }
}

function paintStar(ctx: CanvasRenderingContext2D, x: number, y: number, fill: string, outline: string): void {
  ctx.beginPath();
  for (let k = 0; k < 10; k++) {
    const r = k % 2 === 0 ? 11 : 4.5;
    const angle = -Math.PI / 2 + (k * Math.PI) / 5;
    ctx.lineTo(x + r * Math.cos(angle), y + r * Math.sin(angle));
  }
  ctx.closePath();
  ctx.fillStyle = fill;
  ctx.fill();
  ctx.lineWidth = 2;
  ctx.strokeStyle = outline;
  ctx.stroke();
}

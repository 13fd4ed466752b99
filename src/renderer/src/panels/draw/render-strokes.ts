import type { Stroke } from '../../app/drawing.svelte';

/**
 * Pen width in canvas pixels (the canvas is 280 px). The preprocessing scales a digit's bounding box
 * to 20 px, so what reaches the network is about width · 20 / digit height. Measured by rendering
 * digits in Chromium with this file's smoothing, preprocessing them and taking the median over ink
 * pixels of the shortest run through each: a 160 px tall digit (a normal size in this box) comes out
 * 3.0 px wide, MNIST's test-set median by the same measure (10th–90th percentile 2.2–4.2 px), with
 * 92–106 % of MNIST's median ink per class; digits 120–200 px tall come out 4.0–2.5 px.
 */
export const PEN_WIDTH = 24;

/**
 * Draws strokes as smooth round-capped paths: quadratic curves through the midpoints between
 * successive points, with each recorded point as the control point, so a fast stroke's sparse
 * samples do not show as a polyline's corners.
 */
export function renderStrokes(ctx: CanvasRenderingContext2D, strokes: readonly Stroke[], width: number, colour: string): void {
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
  ctx.lineWidth = width;
  ctx.strokeStyle = colour;
  ctx.fillStyle = colour;
  for (const stroke of strokes) {
    if (stroke.length === 0) continue;
    const first = stroke[0];
    if (stroke.length === 1) {
      // A tap: a path with one point strokes nothing, so draw the pen's round tip.
      ctx.beginPath();
      ctx.arc(first.x, first.y, width / 2, 0, 2 * Math.PI);
      ctx.fill();
      continue;
    }
    ctx.beginPath();
    ctx.moveTo(first.x, first.y);
    for (let i = 1; i < stroke.length - 1; i++) {
      const p = stroke[i];
      const next = stroke[i + 1];
      ctx.quadraticCurveTo(p.x, p.y, (p.x + next.x) / 2, (p.y + next.y) / 2);
    }
    const last = stroke[stroke.length - 1];
    ctx.lineTo(last.x, last.y);
    ctx.stroke();
  }
}

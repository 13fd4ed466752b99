import type { BaseImage, Stroke } from '../app/drawing.svelte';

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

/**
 * Paints a grey image over the whole size×size area as ink in alpha, each pixel a sharp square: the
 * preprocessing turns such a whole-number enlargement of an MNIST image back into the original.
 */
export function renderImage(ctx: CanvasRenderingContext2D, image: BaseImage, size: number, colour: [number, number, number]): void {
  const rgba = new ImageData(image.cols, image.rows);
  for (let i = 0; i < image.pixels.length; i++) {
    rgba.data.set(colour, i * 4);
    rgba.data[i * 4 + 3] = image.pixels[i];
  }
  const tile = document.createElement('canvas');
  tile.width = image.cols;
  tile.height = image.rows;
  tile.getContext('2d')?.putImageData(rgba, 0, 0);
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(tile, 0, 0, size, size);
  ctx.imageSmoothingEnabled = true;
}

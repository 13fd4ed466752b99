import type { Attachment } from 'svelte/attachments';

/** Paints grey levels (0..255, white ink on black as MNIST is shown) onto a canvas of the image's size. */
export function paintGrey(canvas: HTMLCanvasElement, pixels: Uint8Array, rows: number, cols: number): void {
  canvas.width = cols;
  canvas.height = rows;
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const image = ctx.createImageData(cols, rows);
  for (let p = 0; p < rows * cols; p++) {
    const v = pixels[p] ?? 0;
    image.data.set([v, v, v, 255], p * 4);
  }
  ctx.putImageData(image, 0, 0);
}

/** {@attach greyImage(...)}: repaints when the pixels it reads change. */
export function greyImage(read: () => { pixels: Uint8Array; rows: number; cols: number } | null): Attachment<HTMLCanvasElement> {
  return (canvas) => {
    const image = read();
    if (image) paintGrey(canvas, image.pixels, image.rows, image.cols);
  };
}

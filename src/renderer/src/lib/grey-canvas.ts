import type { Attachment } from 'svelte/attachments';

/** {@attach greyCanvas(...)}: paints grey levels (white ink on black, as MNIST is shown) at the image's size. */
export function greyCanvas(read: () => { pixels: Uint8Array; rows: number; cols: number } | null): Attachment<HTMLCanvasElement> {
  return (canvas) => {
    const image = read();
    if (!image) return;
    canvas.width = image.cols;
    canvas.height = image.rows;
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    const data = ctx.createImageData(image.cols, image.rows);
    for (let p = 0; p < image.rows * image.cols; p++) {
      const v = image.pixels[p] ?? 0;
      data.data[p * 4] = v;
      data.data[p * 4 + 1] = v;
      data.data[p * 4 + 2] = v;
      data.data[p * 4 + 3] = 255;
    }
    ctx.putImageData(data, 0, 0);
  };
}

import { DatasetError, ImageTooLargeError } from './dataset-error';

/**
 * The size a PNG declares, checked before pngjs decodes it: pngjs allocates width × height × 4 bytes
 * from the IHDR chunk before it reads any pixel, so a 62 KB file declaring 8000×8000 took 256 MB.
 * The IHDR must be the first chunk (the PNG spec says so), right after the 8-byte signature.
 */

export interface ImageLimits {
  maxWidth: number;
  maxHeight: number;
  maxPixels: number;
}

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** Signature, chunk length, "IHDR", width, height. */
const HEADER_BYTES = 24;

/** Throws a DatasetError naming `file` (and its declared size) when it is not a PNG within `limits`. */
export function checkPngHeader(file: string, head: Uint8Array, limits: ImageLimits): { width: number; height: number } {
  const isPng =
    head.length >= HEADER_BYTES &&
    SIGNATURE.every((b, i) => head[i] === b) &&
    String.fromCharCode(head[12], head[13], head[14], head[15]) === 'IHDR';
  if (!isPng) throw new DatasetError(file, 'cannot be decoded as PNG (it does not start with a PNG signature and an IHDR chunk)');
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  return checkDeclaredSize(file, view.getUint32(16), view.getUint32(20), limits);
}

/** Throws for an empty image, and an ImageTooLargeError naming `file` and its size when over `limits`. */
export function checkDeclaredSize(file: string, width: number, height: number, limits: ImageLimits): { width: number; height: number } {
  if (width === 0 || height === 0) throw new DatasetError(file, `declares ${width}×${height} pixels, an empty image`);
  if (width > limits.maxWidth || height > limits.maxHeight || width * height > limits.maxPixels) {
    throw new ImageTooLargeError(
      file,
      `declares ${width}×${height} pixels; at most ${limits.maxWidth}×${limits.maxHeight} and ${limits.maxPixels.toLocaleString('en')} pixels in all can be imported`,
    );
  }
  return { width, height };
}

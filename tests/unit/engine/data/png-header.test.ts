import { describe, expect, it } from 'vitest';
import { DatasetError, ImageTooLargeError } from '$engine/data/dataset-error';
import { checkPngHeader } from '$engine/data/png-header';
import { pngDeclaring } from '$tests/helpers/declared-size';

const limits = { maxWidth: 100, maxHeight: 50, maxPixels: 1000 };
const failure = (head: Uint8Array) => {
  try {
    checkPngHeader('x.png', head, limits);
  } catch (err) {
    expect(err).toBeInstanceOf(DatasetError);
    return (err as DatasetError).message;
  }
  throw new Error('checkPngHeader accepted it');
};

describe('checkPngHeader', () => {
  it('gives the size the IHDR declares when it is within the limits', () => {
    expect(checkPngHeader('x.png', pngDeclaring(100, 10), limits)).toEqual({ width: 100, height: 10 });
  });

  it('refuses a side or a pixel count over the limits, naming the file and the declared size', () => {
    const over = 'at most 100×50 and 1,000 pixels in all can be imported';
    expect(failure(pngDeclaring(101, 1))).toBe(`x.png: declares 101×1 pixels; ${over}`);
    expect(failure(pngDeclaring(1, 51))).toBe(`x.png: declares 1×51 pixels; ${over}`);
    expect(failure(pngDeclaring(40, 40))).toBe(`x.png: declares 40×40 pixels; ${over}`);
    expect(failure(pngDeclaring(8000, 8000))).toBe(`x.png: declares 8000×8000 pixels; ${over}`);
    expect(failure(pngDeclaring(0, 5))).toBe('x.png: declares 0×5 pixels, an empty image');
    // Too large, an image folder import skips it; empty, it is broken.
    expect(() => checkPngHeader('x.png', pngDeclaring(8000, 8000), limits)).toThrow(ImageTooLargeError);
    expect(() => checkPngHeader('x.png', pngDeclaring(0, 5), limits)).not.toThrow(ImageTooLargeError);
  });

  it('refuses a file without the PNG signature, with another chunk first, or cut short', () => {
    const png = pngDeclaring(10, 10);
    const notPng = /^x\.png: cannot be decoded as PNG/;
    expect(failure(new TextEncoder().encode('not really a png, but long enough'))).toMatch(notPng);
    const textFirst = Buffer.from(png);
    textFirst.write('tEXt', 12, 'latin1');
    expect(failure(textFirst)).toMatch(notPng);
    expect(failure(png.subarray(0, 20))).toMatch(notPng);
  });
});

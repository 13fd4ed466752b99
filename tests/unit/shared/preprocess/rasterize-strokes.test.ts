import { describe, expect, it } from 'vitest';
import { preprocessDigit } from '$shared/preprocess/mnist-preprocess';
import { PEN_WIDTH } from '$shared/preprocess/pen-width';
import { imageFromStrokes, rasterizeStrokes } from '$shared/preprocess/rasterize-strokes';

const lit = (image: ArrayLike<number>): number => Array.from(image).filter((v) => v > 0).length;

describe('rasterizeStrokes', () => {
  it('paints a round pen of the given width along the segments, with a soft edge', () => {
    const { data } = rasterizeStrokes([[{ x: 10, y: 20.2 }, { x: 30, y: 20.2 }]], 40, 8);
    const at = (x: number, y: number) => data[y * 40 + x];
    expect(at(20, 19)).toBe(1);
    expect(at(20, 23)).toBe(1);
    // Pixel row 24's centre is 4.3 px from the line: 0.2 px inside the pen's soft edge.
    expect(at(20, 24)).toBeCloseTo(0.2, 5);
    expect(at(20, 25)).toBe(0);
    // Round caps reach past the ends by half the pen.
    expect(at(32, 19)).toBe(1);
    expect(at(36, 19)).toBe(0);
  });

  it('draws a tap as a dot, and no ink as no image', () => {
    const { data } = rasterizeStrokes([[{ x: 5, y: 5 }]], 12, 4);
    expect(data[4 * 12 + 4]).toBe(1);
    expect(data.reduce((a, b) => a + b, 0)).toBeGreaterThan(8);
    expect(imageFromStrokes([[{ x: -500, y: -500 }]])).toBeNull();
  });

  it('gives an MNIST-style 28×28 image: a 20-px tall digit, centred', () => {
    const image = imageFromStrokes([[{ x: 140, y: 60 }, { x: 140, y: 220 }]])!;
    expect(image).toHaveLength(784);
    const rows = Array.from({ length: 28 }, (_, r) => image.subarray(r * 28, r * 28 + 28).some((v) => v > 0));
    expect(rows.filter(Boolean).length).toBe(20);
    expect(Math.max(...image)).toBe(255);
  });

  it('rebuilds a small digit with the thinner pen the Draw view recognised it with, a big one with the pen', () => {
    // A 60 px tall 7: the 24 px pen would reach the network as a blob about 6 px wide.
    const small = [[{ x: 100, y: 100 }, { x: 140, y: 100 }, { x: 115, y: 160 }]];
    const thin = imageFromStrokes(small)!;
    const fixedPen = preprocessDigit(rasterizeStrokes(small, 280, PEN_WIDTH))!.input;
    expect(lit(thin)).toBeLessThan(0.75 * lit(fixedPen));
    // A digit of normal size keeps the pen, so its image is the fixed pen's.
    const big = [[{ x: 80, y: 40 }, { x: 200, y: 40 }, { x: 120, y: 230 }]];
    const fixedBig = preprocessDigit(rasterizeStrokes(big, 280, PEN_WIDTH))!.input;
    expect(Array.from(imageFromStrokes(big)!)).toEqual(Array.from(fixedBig, (v) => Math.round(Math.min(1, Math.max(0, v)) * 255)));
  });
});

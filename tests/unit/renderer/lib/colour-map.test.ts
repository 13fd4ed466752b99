import { describe, expect, it } from 'vitest';
import { buildLut, divergingColour, formatWeight, legendTicks, LUT_SIZE, lutIndex, tableIndex } from '$renderer/lib/colour-map';

/** Relative luminance (WCAG) of sRGB bytes. */
function luminance([r, g, b]: number[]): number {
  const lin = (c: number) => (c / 255 <= 0.04045 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4);
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

describe('diverging colour map', () => {
  it('is near-white at 0, blue below, orange-red above', () => {
    const [r, g, b] = divergingColour(0);
    expect(Math.min(r, g, b)).toBeGreaterThan(235);
    const cold = divergingColour(-1);
    const warm = divergingColour(1);
    expect(cold[2]).toBeGreaterThan(cold[0] + 100);
    expect(warm[0]).toBeGreaterThan(warm[2] + 100);
  });

  it('is symmetric in lightness: ±t are equally light, and lightness falls steadily away from 0', () => {
    let previous = luminance(divergingColour(0));
    for (let t = 0.1; t <= 1.0001; t += 0.1) {
      const up = luminance(divergingColour(t));
      const down = luminance(divergingColour(-t));
      expect(Math.abs(up - down)).toBeLessThan(0.02);
      expect(up).toBeLessThan(previous);
      previous = up;
    }
  });

  it('clamps beyond ±1 and maps non-numbers to 0', () => {
    expect(divergingColour(5)).toEqual(divergingColour(1));
    expect(divergingColour(-5)).toEqual(divergingColour(-1));
    expect(divergingColour(Number.NaN)).toEqual(divergingColour(0));
  });

  it('indexes a symmetric table: 0 in the middle, ±max at the ends, beyond clamped', () => {
    const lut = buildLut();
    const middle = (LUT_SIZE - 1) / 2;
    expect(lutIndex(0, 2)).toBe(middle);
    expect(lutIndex(2, 2)).toBe(LUT_SIZE - 1);
    expect(lutIndex(-2, 2)).toBe(0);
    expect(lutIndex(9, 2)).toBe(LUT_SIZE - 1);
    expect(lutIndex(-1, 2) + lutIndex(1, 2)).toBe(2 * middle);
    expect(lutIndex(1, 0)).toBe(middle);
    expect(Array.from(lut.subarray(0, 3))).toEqual(divergingColour(-1));
    expect(Array.from(lut.subarray(middle * 3, middle * 3 + 3))).toEqual(divergingColour(0));
  });

  it('rounds to the nearest entry and keeps wild values (a diverged snapshot) inside the table', () => {
    expect([tableIndex(3.49, 512), tableIndex(3.5, 512), tableIndex(0.2, 512)]).toEqual([3, 3, 0]);
    expect([tableIndex(1e12, 512), tableIndex(-1e12, 512), tableIndex(Number.NaN, 512)]).toEqual([512, 0, 0]);
    expect(lutIndex(Number.POSITIVE_INFINITY, 1)).toBe((LUT_SIZE - 1) / 2);
    expect(lutIndex(0.49 / 256, 1)).toBe(256);
    expect(lutIndex(0.51 / 256, 1)).toBe(257);
  });

  it('labels the legend symmetrically around 0, and formats values briefly', () => {
    expect(legendTicks(0.4)).toEqual([-0.4, -0.2, 0, 0.2, 0.4]);
    expect(['100', '1.2', '0.0123', '-0.5', '1.2e+4', '1.0e-5', '0']).toEqual([100, 1.2, 0.0123, -0.5, 12345, 0.00001, -0].map(formatWeight));
  });
});

import { describe, expect, it } from 'vitest';
import { recognitionPenWidth } from '$shared/preprocess/pen-width';

const line = (x0: number, y0: number, x1: number, y1: number) => [[{ x: x0, y: y0 }, { x: x1, y: y1 }]];

describe('recognitionPenWidth', () => {
  it('keeps the pen for a digit of normal size and for nothing at all', () => {
    expect(recognitionPenWidth(line(140, 20, 140, 236), 24)).toBe(24);
    expect(recognitionPenWidth([], 24)).toBe(24);
  });

  it('thins the pen for a small digit so it reaches the network about 3 px wide', () => {
    const width = recognitionPenWidth(line(100, 100, 100, 160), 24);
    expect(width).toBeLessThan(24);
    expect((width * 20) / (60 + width)).toBeCloseTo(3, 6);
  });

  it('never goes below a hairline, for a dot', () => {
    expect(recognitionPenWidth([[{ x: 5, y: 5 }]], 24)).toBe(3);
  });
});

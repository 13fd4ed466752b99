import { describe, expect, it } from 'vitest';
import { doubtOf } from '$renderer/app/doubt';

const pen = 24;

describe('doubtOf', () => {
  it('trusts a confident, normal-sized digit', () => {
    expect(doubtOf({ width: 90, height: 160, penWidth: pen }, 0.99)).toBeNull();
    // A 1 is narrow but tall: a digit.
    expect(doubtOf({ width: pen, height: 160, penWidth: pen }, 0.95)).toBeNull();
  });

  it('says a dot or a tiny digit is too small, whatever the network says', () => {
    expect(doubtOf({ width: pen, height: pen, penWidth: pen }, 0.37)?.reason).toBe('too-small');
    expect(doubtOf({ width: 30, height: 40, penWidth: pen }, 1)?.hint).toMatch(/bigger/);
    expect(doubtOf({ width: 40, height: 60, penWidth: pen }, 1)).toBeNull();
  });

  it('says a horizontal line is too simple, and a low top probability is a guess', () => {
    expect(doubtOf({ width: 180, height: pen, penWidth: pen }, 0.87)?.reason).toBe('too-simple');
    expect(doubtOf({ width: 120, height: 160, penWidth: pen }, 0.5)?.reason).toBe('low-confidence');
    expect(doubtOf({ width: 120, height: 160, penWidth: pen }, Number.NaN)?.reason).toBe('low-confidence');
  });
});

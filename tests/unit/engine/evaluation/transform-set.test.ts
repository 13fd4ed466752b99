import { describe, expect, it } from 'vitest';
import type { ImageSet } from '$shared/datasets/image-set';
import { ROBUSTNESS_VARIANTS, robustnessVariant } from '$shared/robustness';
import { shiftSet } from '$engine/data/shift';
import { transformSet } from '$engine/evaluation/transform-set';

const N = 28;
/** One 28×28 image with a bright 3×3 block whose top-left corner is at (x, y). */
function block(x: number, y: number): ImageSet {
  const images = new Uint8Array(N * N);
  for (let r = y; r < y + 3; r++) for (let c = x; c < x + 3; c++) images[r * N + c] = 255;
  return { images, labels: Uint8Array.from([3]), count: 1, rows: N, cols: N };
}

/** In continuous coordinates, where pixel k spans [k, k + 1), as the preprocessing counts. */
function centreOfMass(set: ImageSet): { x: number; y: number } {
  let mass = 0;
  let sx = 0;
  let sy = 0;
  set.images.forEach((v, i) => {
    mass += v;
    sx += v * ((i % N) + 0.5);
    sy += v * (Math.floor(i / N) + 0.5);
  });
  return { x: sx / mass, y: sy / mass };
}

const variant = (id: string) => {
  const v = robustnessVariant(id);
  if (!v) throw new Error(`no variant ${id}`);
  return v;
};

describe('robustness variants', () => {
  it('has 8 directions × 4 px, four rotations, two scales and the re-centring, each id once', () => {
    const ids = ROBUSTNESS_VARIANTS.map((v) => v.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ROBUSTNESS_VARIANTS.filter((v) => v.family === 'shift')).toHaveLength(32);
    expect(ROBUSTNESS_VARIANTS.filter((v) => v.family === 'rotate').map((v) => v.rotation)).toEqual([-20, -10, 10, 20]);
    expect(ROBUSTNESS_VARIANTS.filter((v) => v.family === 'scale').map((v) => v.scale)).toEqual([0.8, 1.2]);
    expect(ids).toContain('recentred');
  });
});

describe('transformSet', () => {
  it('shifts by whole pixels, as shiftSet does', () => {
    const set = block(10, 10);
    expect(transformSet(set, variant('shift-down-left-3')).images).toEqual(shiftSet(set, -3, 3).images);
  });

  it('turns clockwise on screen for a positive angle', () => {
    // A block right of the centre: a quarter turn clockwise would put it below; +20° starts it down.
    const turned = centreOfMass(transformSet(block(20, 13), variant('rotate-plus-20')));
    const start = centreOfMass(block(20, 13));
    expect(turned.y).toBeGreaterThan(start.y + 1);
    const back = centreOfMass(transformSet(block(20, 13), variant('rotate-minus-20')));
    expect(back.y).toBeLessThan(start.y - 1);
  });

  it('scales about the centre', () => {
    const grown = centreOfMass(transformSet(block(20, 13), variant('scale-1.2')));
    const start = centreOfMass(block(20, 13));
    expect(grown.x - 14).toBeGreaterThan((start.x - 14) * 1.1);
  });

  it('re-centres an off-centre digit by its centre of mass, as the Draw view does', () => {
    const moved = centreOfMass(transformSet(block(2, 3), variant('recentred')));
    expect(moved.x).toBeGreaterThanOrEqual(14);
    expect(moved.x).toBeLessThan(15);
    expect(moved.y).toBeGreaterThanOrEqual(14);
    expect(moved.y).toBeLessThan(15);
  });

  it('keeps labels, leaves the original untouched, and a blank image blank', () => {
    const set = block(2, 3);
    const before = set.images.slice();
    const out = transformSet(set, variant('recentred'));
    expect(out.labels).toBe(set.labels);
    expect(set.images).toEqual(before);
    const blank: ImageSet = { ...set, images: new Uint8Array(N * N) };
    expect(transformSet(blank, variant('recentred')).images.every((v) => v === 0)).toBe(true);
  });

  it('refuses to re-centre images that are not 28×28', () => {
    const small: ImageSet = { images: new Uint8Array(16), labels: Uint8Array.from([0]), count: 1, rows: 4, cols: 4 };
    expect(() => transformSet(small, variant('recentred'))).toThrow(/28×28.*4×4/);
  });
});

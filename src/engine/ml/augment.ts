import type { AugmentSpec } from '../../shared/model-spec';
import type { Random } from './random';

/** A rotation (degrees, about the image centre), a scale and a shift (pixels right and down). */
export interface Affine {
  rotation: number;
  scale: number;
  dx: number;
  dy: number;
}

/**
 * Writes one randomly shifted, rotated and scaled copy of a rows×cols byte image into `out` (0..255 as
 * float). The draws happen in a fixed order, so a seeded run repeats exactly.
 */
export function augmentImage(
  src: Uint8Array,
  srcOffset: number,
  rows: number,
  cols: number,
  spec: AugmentSpec,
  random: Pick<Random, 'symmetric'>,
  out: Float32Array,
  outOffset: number,
): void {
  transformImage(src, srcOffset, rows, cols, drawAffine(spec, random), out, outOffset);
}

/** One image's random distortion: four draws, in this order (the training kernel draws them here too). */
export function drawAffine(spec: AugmentSpec, random: Pick<Random, 'symmetric'>): Affine {
  const rotation = random.symmetric(spec.maxRotation);
  const scale = 1 + random.symmetric(spec.maxScale);
  const dx = random.symmetric(spec.maxShift);
  const dy = random.symmetric(spec.maxShift);
  return { rotation, scale, dx, dy };
}

/** The inverse map's rotation-and-scale coefficients (cos θ / s, sin θ / s), as transformImage uses them. */
export function inverseCoefficients({ rotation, scale }: Pick<Affine, 'rotation' | 'scale'>): { cos: number; sin: number } {
  const angle = (rotation * Math.PI) / 180;
  return { cos: Math.cos(angle) / scale, sin: Math.sin(angle) / scale };
}

/**
 * Writes the affine transform of a rows×cols byte image into `out` (0..255 as float), sampling
 * bilinearly about the image centre. Pixels that come from outside the image are 0 (MNIST's background).
 */
export function transformImage(
  src: Uint8Array,
  srcOffset: number,
  rows: number,
  cols: number,
  affine: Affine,
  out: Float32Array,
  outOffset: number,
): void {
  const { dx, dy } = affine;
  // Inverse map, affine in (x, y): each output pixel reads the source at (sx, sy).
  const { cos, sin } = inverseCoefficients(affine);
  const cx = (cols - 1) / 2;
  const cy = (rows - 1) / 2;
  for (let y = 0; y < rows; y++) {
    const oy = y - cy - dy;
    let sx = cos * (-cx - dx) + sin * oy + cx;
    let sy = -sin * (-cx - dx) + cos * oy + cy;
    let o = outOffset + y * cols;
    for (let x = 0; x < cols; x++, sx += cos, sy -= sin, o++) {
      out[o] = sampleBilinear(src, srcOffset, rows, cols, sx, sy);
    }
  }
}

/** Bilinear read at (x, y); pixels outside the image are 0. Hot: no closures, no allocation. */
function sampleBilinear(src: Uint8Array, offset: number, rows: number, cols: number, x: number, y: number): number {
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  if (x0 < -1 || y0 < -1 || x0 >= cols || y0 >= rows) return 0;
  const fx = x - x0;
  const fy = y - y0;
  const left = x0 >= 0;
  const right = x0 + 1 < cols;
  const row0 = offset + y0 * cols + x0;
  const row1 = row0 + cols;
  let top = 0;
  let bottom = 0;
  if (y0 >= 0) top = (left ? src[row0] * (1 - fx) : 0) + (right ? src[row0 + 1] * fx : 0);
  if (y0 + 1 < rows) bottom = (left ? src[row1] * (1 - fx) : 0) + (right ? src[row1 + 1] * fx : 0);
  return top * (1 - fy) + bottom * fy;
}

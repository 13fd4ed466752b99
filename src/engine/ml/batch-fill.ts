/** The inner loops of BatchFiller: grey levels to scaled float32 rows, and their transpose. */

/** Rows only: out[i·size + p] = images[order[start+i]·size + p] · scales[order[start+i]]. */
export function fillRows(
  images: Uint8Array,
  order: Int32Array,
  start: number,
  count: number,
  size: number,
  scales: Float64Array,
  out: Float32Array,
): void {
  for (let i = 0; i < count; i++) {
    const image = order[start + i];
    const from = image * size;
    const to = i * size;
    const scale = scales[image];
    for (let p = 0; p < size; p++) out[to + p] = images[from + p] * scale;
  }
}

/**
 * Rows and their transpose, four images per pass: each pixel then lands in Xᵀ as four adjacent floats,
 * where one image at a time wrote each float of Xᵀ a whole batch row away from the last. About 2× faster
 * at batch 200 and 32 than one image at a time (bench/fill-bench.ts). Tried and no faster: eight images
 * per pass, a 256-entry lookup table for the scaling, and Xᵀ written in cache-sized tiles from X after
 * the rows (slower). The values are the same float64 products rounded once to float32, bit for bit.
 */
export function fillRowsAndTranspose(
  images: Uint8Array,
  order: Int32Array,
  start: number,
  count: number,
  size: number,
  scales: Float64Array,
  out: Float32Array,
  outT: Float32Array,
): void {
  let i = 0;
  for (; i + 4 <= count; i += 4) {
    const m0 = order[start + i];
    const m1 = order[start + i + 1];
    const m2 = order[start + i + 2];
    const m3 = order[start + i + 3];
    const s0 = scales[m0];
    const s1 = scales[m1];
    const s2 = scales[m2];
    const s3 = scales[m3];
    const f0 = m0 * size;
    const f1 = m1 * size;
    const f2 = m2 * size;
    const f3 = m3 * size;
    const t0 = i * size;
    const t1 = t0 + size;
    const t2 = t1 + size;
    const t3 = t2 + size;
    for (let p = 0, r = i; p < size; p++, r += count) {
      const a0 = images[f0 + p] * s0;
      const a1 = images[f1 + p] * s1;
      const a2 = images[f2 + p] * s2;
      const a3 = images[f3 + p] * s3;
      out[t0 + p] = a0;
      out[t1 + p] = a1;
      out[t2 + p] = a2;
      out[t3 + p] = a3;
      outT[r] = a0;
      outT[r + 1] = a1;
      outT[r + 2] = a2;
      outT[r + 3] = a3;
    }
  }
  // The last count mod 4 images, one at a time.
  for (; i < count; i++) {
    const image = order[start + i];
    const from = image * size;
    const to = i * size;
    const scale = scales[image];
    for (let p = 0; p < size; p++) {
      const value = images[from + p] * scale;
      out[to + p] = value;
      outT[p * count + i] = value;
    }
  }
}

/** rows [count × size] → outT [size × count], four rows per pass as fillRowsAndTranspose does. */
export function transposeInto(rows: Float32Array, count: number, size: number, outT: Float32Array): void {
  let i = 0;
  for (; i + 4 <= count; i += 4) {
    const t0 = i * size;
    const t1 = t0 + size;
    const t2 = t1 + size;
    const t3 = t2 + size;
    for (let p = 0, r = i; p < size; p++, r += count) {
      outT[r] = rows[t0 + p];
      outT[r + 1] = rows[t1 + p];
      outT[r + 2] = rows[t2 + p];
      outT[r + 3] = rows[t3 + p];
    }
  }
  for (; i < count; i++) {
    const from = i * size;
    for (let p = 0; p < size; p++) outT[p * count + i] = rows[from + p];
  }
}

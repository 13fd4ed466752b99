/* Filling a batch in the kernel's memory: the training set's bytes, scaled as BatchFiller scales them,
 * and per 16-input block the rows where it is not all zero (the first layer's dW skips the rest). */
#include "scale.h"

/* Reads the next batch's images ahead, a cache line at a time: the fill is bound by misses on its
 * shuffled rows, and these loads overlap with the step's arithmetic. */
static volatile unsigned int prefetchSink;

void touch_rows(int start, int count) {
  unsigned int sum = 0;
  for (int i = 0; i < count; i++) {
    const unsigned char *row = net.images + (unsigned long)net.order[start + i] * net.size;
    for (int p = 0; p < net.size; p += 64) sum += row[p];
  }
  prefetchSink = sum;
}

/* x[i] = image order[start+i] · its scale, in float64 then rounded once (BatchFiller's values, bit for
 * bit), and per 16-pixel block the rows where it is not all zero (sparse input: fill_sparse). */
void fill_batch(int start, int count) {
  const int pad = net.pad[0], size = net.size, maxBatch = net.maxBatch;
  for (int kb = 0; kb < net.blocks; kb++) net.rowCount[kb] = 0;
  for (int i = 0; i < count; i++) {
    const int image = net.order[start + i];
    const unsigned char *src = net.images + (unsigned long)image * size;
    const double scale = net.scales[image];
    float *dst = net.x + i * pad;
    net.batchLabels[i] = net.labels[image];
    for (int kb = 0; kb < net.blocks; kb++) {
      const int p0 = kb * 16;
      const int n = size - p0 < 16 ? size - p0 : 16;
      int any = 0;
      v128_t bytes = ZERO;
      if (n == 16) {
        bytes = wasm_v128_load(src + p0);
        any = wasm_v128_any_true(bytes);
      } else {
        for (int p = 0; p < n; p++) any |= src[p0 + p];
      }
      if (!any) {
        v4 zero = ZERO;
        ST(dst + p0, zero);
        ST(dst + p0 + 4, zero);
        ST(dst + p0 + 8, zero);
        ST(dst + p0 + 12, zero);
        continue;
      }
      if (n == 16) {
        scale_block(bytes, scale, dst + p0);
      } else {
        for (int p = 0; p < n; p++) dst[p0 + p] = (float)(src[p0 + p] * scale);
      }
      net.rows[kb * maxBatch + net.rowCount[kb]++] = i;
    }
  }
}

/* The lists of fill_batch for a batch JS wrote into x itself (augmented images, tests). */
void scan_batch(int count) {
  const int pad = net.pad[0], maxBatch = net.maxBatch;
  for (int kb = 0; kb < net.blocks; kb++) net.rowCount[kb] = 0;
  for (int i = 0; i < count; i++) {
    const float *row = net.x + i * pad;
    for (int kb = 0; kb < net.blocks; kb++) {
      const float *v = row + kb * 16;
      v4 zero = ZERO;
      v4 nonzero = wasm_v128_or(wasm_v128_or(wasm_f32x4_ne(LD(v), zero), wasm_f32x4_ne(LD(v + 4), zero)),
                                wasm_v128_or(wasm_f32x4_ne(LD(v + 8), zero), wasm_f32x4_ne(LD(v + 12), zero)));
      if (wasm_v128_any_true(nonzero)) net.rows[kb * maxBatch + net.rowCount[kb]++] = i;
    }
  }
}

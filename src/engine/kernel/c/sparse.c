/* The first layer on sparse input (net.sparse): most of an MNIST digit is background, so its two big
 * products visit only the pixels that are not zero, about a fifth of them.
 * - The batch is listed twice after the fill: by rows (CSR: each image's pixels that are not zero,
 *   for the forward product) and by columns (CSC: each pixel's images where it is not zero, in batch
 *   order, for the weight gradient).
 * - The first layer's kernel is stored by input, [dim[0] × net.stride0]: a pixel's weights to every
 *   unit are one contiguous row, which both products read or update whole.
 * - Each output (a row of z, a row of dW) is summed by one part in one order, so any number of threads
 *   gives the same bits. */
#include "scale.h"
#include "update.h"

/* The lists steps read from now on (and the labels softmax reads). */
void use_lists(int which) {
  net.cur = which;
  net.batchLabels = net.lists[which].labels;
}

/* The column lists (cscStart/cscRow/cscVal) from the row lists and their column counts (in
 * cscStart[1..]): each pixel's images in batch order. */
static void list_columns(Lists *L, int count) {
  const int inputs = net.dim[0];
  L->cscStart[0] = 0;
  for (int k = 0; k < inputs; k++) {
    L->cscFill[k] = L->cscStart[k];
    L->cscStart[k + 1] += L->cscStart[k];
  }
  for (int b = 0; b < count; b++) {
    for (int e = L->csrStart[b]; e < L->csrStart[b + 1]; e++) {
      const int at = L->cscFill[L->csrIdx[e]]++;
      L->cscRow[at] = b;
      L->cscVal[at] = L->csrVal[e];
    }
  }
}

/* Per mask of 4 lanes, the byte swizzle that moves the 32-bit lanes whose bit is set to the front, in
 * order (the rest is anything): a 4-lane group is listed with two stores and no branch. */
static unsigned char PACK[16][16] __attribute__((aligned(16)));

void sparse_init(void) {
  for (int m = 0; m < 16; m++) {
    int out = 0;
    for (int lane = 0; lane < 4; lane++)
      if (m >> lane & 1) {
        for (int byte = 0; byte < 4; byte++) PACK[m][4 * out + byte] = (unsigned char)(4 * lane + byte);
        out++;
      }
    for (; out < 4; out++)
      for (int byte = 0; byte < 4; byte++) PACK[m][4 * out + byte] = (unsigned char)byte;
  }
}

/* Lists the lit ones of the 4 pixels at k (lit: −1 in a lit pixel's lane, 0 elsewhere; values: their
 * values) from entry n: their indices and values are packed to the front and stored whole (the lists
 * have room for the spill past their last entry), their columns count them, and n moves on by how
 * many were lit. Two stores and a popcount, no branch per pixel. Returns the next entry. */
static inline int list_group(Lists *L, v128_t lit, v4 values, int k, int n) {
  const unsigned mask = (unsigned)wasm_i32x4_bitmask(lit);
  const v128_t pack = wasm_v128_load(PACK[mask]);
  const v128_t index = wasm_i32x4_add(wasm_i32x4_splat(k), wasm_i32x4_make(0, 1, 2, 3));
  wasm_v128_store(L->csrIdx + n, wasm_i8x16_swizzle(index, pack));
  wasm_v128_store(L->csrVal + n, wasm_i8x16_swizzle(values, pack));
  int *colCount = L->cscStart + 1 + k;
  wasm_v128_store(colCount, wasm_i32x4_sub(wasm_v128_load(colCount), lit)); /* −(−1) counts one */
  return n + __builtin_popcount(mask);
}

/* The batch order[start..start+count) into lists L only (x is not written), with its labels: each
 * lit pixel's value is byte · scale in float64 rounded once, BatchFiller's value bit for bit. It reads
 * only the training set and writes only L, so a helper can run it while the caller steps. */
void fill_sparse(Lists *L, int start, int count) {
  const int size = net.size;
  int *colCount = L->cscStart + 1;
  for (int k = 0; k < size; k++) colCount[k] = 0;
  float values[16] __attribute__((aligned(16)));
  int n = 0;
  for (int b = 0; b < count; b++) {
    L->csrStart[b] = n;
    const int image = net.order[start + b];
    const unsigned char *src = net.images + (unsigned long)image * size;
    const double scale = net.scales[image];
    L->labels[b] = net.labels[image];
    int k = 0;
    for (; k + 16 <= size; k += 16) {
      const v128_t bytes = wasm_v128_load(src + k);
      if (!wasm_v128_any_true(bytes)) continue;
      scale_block(bytes, scale, values);
      /* Each pixel's lane, widened from bytes to 32 bits: −1 where lit. */
      const v128_t lit = wasm_i8x16_ne(bytes, ZERO);
      const v128_t low = wasm_i16x8_extend_low_i8x16(lit), high = wasm_i16x8_extend_high_i8x16(lit);
      n = list_group(L, wasm_i32x4_extend_low_i16x8(low), LD(values), k, n);
      n = list_group(L, wasm_i32x4_extend_high_i16x8(low), LD(values + 4), k + 4, n);
      n = list_group(L, wasm_i32x4_extend_low_i16x8(high), LD(values + 8), k + 8, n);
      n = list_group(L, wasm_i32x4_extend_high_i16x8(high), LD(values + 12), k + 12, n);
    }
    /* The last pixels when a row is not a multiple of 16, one by one. */
    for (; k < size; k++) {
      if (!src[k]) continue;
      L->csrIdx[n] = k;
      L->csrVal[n] = (float)(src[k] * scale);
      colCount[k]++;
      n++;
    }
  }
  L->csrStart[count] = n;
  list_columns(L, count);
}

/* x from the current row lists (tests read the batch the kernel filled). */
void kn_input_rows(int count) {
  const int pad = net.pad[0];
  if (!net.sparse || count < 1 || count > net.maxBatch) return;
  const Lists *L = &net.lists[net.cur];
  memset(net.x, 0, (unsigned long)count * pad * sizeof(float));
  for (int b = 0; b < count; b++)
    for (int e = L->csrStart[b]; e < L->csrStart[b + 1]; e++) net.x[b * pad + L->csrIdx[e]] = L->csrVal[e];
}

/* Lists x's nonzero entries of rows [0, count) into the current lists, by row and by column: for the
 * batches JS wrote into x (augmented images, tests); fill_sparse lists its own. */
void list_sparse(int count) {
  const int pad = net.pad[0];
  Lists *L = &net.lists[net.cur];
  for (int k = 0; k < net.dim[0]; k++) L->cscStart[k + 1] = 0;
  int n = 0;
  for (int b = 0; b < count; b++) {
    L->csrStart[b] = n;
    const float *row = net.x + b * pad;
    /* 4 floats at a time (the padding past dim[0] is 0, so it lists nothing). */
    for (int k = 0; k < pad; k += 4) {
      const v4 values = LD(row + k);
      n = list_group(L, wasm_f32x4_ne(values, ZERO), values, k, n);
    }
  }
  L->csrStart[count] = n;
  list_columns(L, count);
}

#define MAX_TILE 6 /* accumulators per pass: 12 of x64's 16 vector registers, the rest for operands */

/* out[0..4T) = init[0..4T) + Σ over n entries of val[i] · src[idx[i] · stride ..] (T vectors wide). */
static inline __attribute__((always_inline)) void gather_tile(const int *idx, const float *val, int n, const float *src, int stride, const float *init, float *out, const int T) {
  v4 acc[MAX_TILE];
  for (int t = 0; t < T; t++) acc[t] = init ? LD(init + 4 * t) : ZERO;
  for (int i = 0; i < n; i++) {
    const float *row = src + idx[i] * stride;
    const v4 s = SPLAT(val[i]);
    for (int t = 0; t < T; t++) acc[t] = MADD(s, LD(row + 4 * t), acc[t]);
  }
  for (int t = 0; t < T; t++) ST(out + 4 * t, acc[t]);
}

/* The same over a whole row of `width` floats (a multiple of 4), in passes of at most MAX_TILE vectors. */
static void gather_row(const int *idx, const float *val, int n, const float *src, int stride, const float *init, float *out, int width) {
  int j = 0;
  for (; j + 4 * MAX_TILE <= width; j += 4 * MAX_TILE) gather_tile(idx, val, n, src + j, stride, init ? init + j : 0, out + j, MAX_TILE);
  for (; j + 16 <= width; j += 16) gather_tile(idx, val, n, src + j, stride, init ? init + j : 0, out + j, 4);
  for (; j < width; j += 4) gather_tile(idx, val, n, src + j, stride, init ? init + j : 0, out + j, 1);
}

/* z[b] = bias + Σ over row b's nonzero pixels k of x[b][k] · W[k], for rows [from, to). */
void sparse_forward(int from, int to, float *z, int outPad) {
  const Lists *L = &net.lists[net.cur];
  for (int b = from; b < to; b++) {
    const int start = L->csrStart[b], n = L->csrStart[b + 1] - start;
    gather_row(L->csrIdx + start, L->csrVal + start, n, net.wt[0], net.stride0, net.bias[0], z + b * outPad, net.stride0);
  }
}

/* dW[k][4T wide at w] = Σ over the n images of column k of value · g[image], plus the L2 term, and that
 * update applied at once: the gradient never leaves the registers. Squares of the old weights (the L2
 * term) are added to *squares in order. */
static inline __attribute__((always_inline)) void gather_update(const int *rows, const float *vals, int n, const float *g, int gPad, float *w, float *s0, float *s1, const Coef *c, const int optimizer, int l2, v4 *squares, const int T) {
  v4 acc[MAX_TILE];
  for (int t = 0; t < T; t++) acc[t] = ZERO;
  for (int i = 0; i < n; i++) {
    const float *row = g + rows[i] * gPad;
    const v4 s = SPLAT(vals[i]);
    for (int t = 0; t < T; t++) acc[t] = MADD(s, LD(row + 4 * t), acc[t]);
  }
  for (int t = 0; t < T; t++) update4_l2(optimizer, c, l2, w + 4 * t, s0 + 4 * t, s1 + 4 * t, acc[t], squares);
}

/* The rows [from, to) of the first layer's kernel for one optimizer (a constant once inlined). */
static inline __attribute__((always_inline)) void update_rows(const float *g, int gPad, int from, int to, const int optimizer) {
  const int stride = net.stride0;
  const int l2 = hyper.twoL2 != 0.0f;
  const Coef c = coef();
  const Lists *L = &net.lists[net.cur];
  for (int k = from; k < to; k++) {
    const int start = L->cscStart[k], n = L->cscStart[k + 1] - start;
    const int *rows = L->cscRow + start;
    const float *vals = L->cscVal + start;
    const int at = k * stride;
    float *w = net.wt[0] + at, *s0 = net.sw[0][0] + at, *s1 = net.sw[1][0] + at;
    v4 squares = ZERO;
    int j = 0;
    for (; j + 4 * MAX_TILE <= stride; j += 4 * MAX_TILE) gather_update(rows, vals, n, g + j, gPad, w + j, s0 + j, s1 + j, &c, optimizer, l2, &squares, MAX_TILE);
    for (; j + 16 <= stride; j += 16) gather_update(rows, vals, n, g + j, gPad, w + j, s0 + j, s1 + j, &c, optimizer, l2, &squares, 4);
    for (; j < stride; j += 4) gather_update(rows, vals, n, g + j, gPad, w + j, s0 + j, s1 + j, &c, optimizer, l2, &squares, 1);
    net.squares[0][k] = hsum(squares);
  }
}

/* For the inputs [from, to): dW[k] = Σ over the images b where pixel k is not zero of x[b][k] · g[b]
 * (g: ∂loss/∂z of the first layer, [rows × gPad]), plus the L2 term; then W[k]'s update, while the row
 * is in cache. A pixel no image of the batch lit still gets its update: momentum and L2 go on. */
void sparse_weight_update(const float *g, int gPad, int from, int to) {
  switch (net.optimizer) {
  case OPT_SGD: update_rows(g, gPad, from, to, OPT_SGD); break;
  case OPT_MOMENTUM: update_rows(g, gPad, from, to, OPT_MOMENTUM); break;
  case OPT_NESTEROV: update_rows(g, gPad, from, to, OPT_NESTEROV); break;
  case OPT_ADAM: update_rows(g, gPad, from, to, OPT_ADAM); break;
  case OPT_RMSPROP: update_rows(g, gPad, from, to, OPT_RMSPROP); break;
  default: update_rows(g, gPad, from, to, OPT_ADAGRAD); break;
  }
}

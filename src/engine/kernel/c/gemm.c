/* The matrix products of a step, laid out for 128-bit SIMD (the probe of issue #22 measured these
 * layouts at 24–27 GMAC/s on one core):
 * - kernels are stored transposed, one row of inputs per unit, so the forward product is dot products
 *   of contiguous rows, 4 batch rows × 2 units at a time (8 accumulators);
 * - the weight gradient is summed as 2-unit × 16-input outer-product blocks over the batch, and each
 *   block updates its weights (and their optimizer state) as soon as it is complete, while in cache;
 * - for the first layer, a 16-input block of a batch row that is all zero (most of an MNIST digit's
 *   background) is skipped: the fill lists, per block, the rows where it is not. */
#include "update.h"

void forward_product(const float *a, int batch, int inPad, const float *wt, const float *bias, int units, float *z, int outPad) {
  int b = 0;
  for (; b + 4 <= batch; b += 4) {
    const float *a0 = a + b * inPad, *a1 = a0 + inPad, *a2 = a1 + inPad, *a3 = a2 + inPad;
    int j = 0;
    for (; j + 2 <= units; j += 2) {
      const float *w0 = wt + j * inPad, *w1 = w0 + inPad;
      v4 c00 = ZERO, c01 = ZERO, c10 = ZERO, c11 = ZERO, c20 = ZERO, c21 = ZERO, c30 = ZERO, c31 = ZERO;
      for (int k = 0; k < inPad; k += 4) {
        v4 x0 = LD(a0 + k), x1 = LD(a1 + k), x2 = LD(a2 + k), x3 = LD(a3 + k);
        v4 v0 = LD(w0 + k), v1 = LD(w1 + k);
        c00 = MADD(x0, v0, c00);
        c01 = MADD(x0, v1, c01);
        c10 = MADD(x1, v0, c10);
        c11 = MADD(x1, v1, c11);
        c20 = MADD(x2, v0, c20);
        c21 = MADD(x2, v1, c21);
        c30 = MADD(x3, v0, c30);
        c31 = MADD(x3, v1, c31);
      }
      float *o = z + b * outPad + j;
      o[0] = hsum(c00) + bias[j];
      o[1] = hsum(c01) + bias[j + 1];
      o[outPad] = hsum(c10) + bias[j];
      o[outPad + 1] = hsum(c11) + bias[j + 1];
      o[2 * outPad] = hsum(c20) + bias[j];
      o[2 * outPad + 1] = hsum(c21) + bias[j + 1];
      o[3 * outPad] = hsum(c30) + bias[j];
      o[3 * outPad + 1] = hsum(c31) + bias[j + 1];
    }
    for (; j < units; j++) {
      const float *w0 = wt + j * inPad;
      v4 c0 = ZERO, c1 = ZERO, c2 = ZERO, c3 = ZERO;
      for (int k = 0; k < inPad; k += 4) {
        v4 v0 = LD(w0 + k);
        c0 = MADD(LD(a0 + k), v0, c0);
        c1 = MADD(LD(a1 + k), v0, c1);
        c2 = MADD(LD(a2 + k), v0, c2);
        c3 = MADD(LD(a3 + k), v0, c3);
      }
      float *o = z + b * outPad + j;
      o[0] = hsum(c0) + bias[j];
      o[outPad] = hsum(c1) + bias[j];
      o[2 * outPad] = hsum(c2) + bias[j];
      o[3 * outPad] = hsum(c3) + bias[j];
    }
  }
  for (; b < batch; b++) {
    const float *a0 = a + b * inPad;
    for (int j = 0; j < units; j++) {
      const float *w0 = wt + j * inPad;
      v4 c0 = ZERO;
      for (int k = 0; k < inPad; k += 4) c0 = MADD(LD(a0 + k), LD(w0 + k), c0);
      z[b * outPad + j] = hsum(c0) + bias[j];
    }
  }
}

/* out[b][k] = Σ_j g[b][j]·wt[j][k] over every padded input k (the padding of wt is 0): the gradient
 * w.r.t. the layer's input, 4 batch rows × 8 inputs at a time. */
void backward_product(const float *g, int batch, int gPad, const float *wt, int units, int inPad, float *out) {
  int b = 0;
  for (; b + 4 <= batch; b += 4) {
    const float *g0 = g + b * gPad, *g1 = g0 + gPad, *g2 = g1 + gPad, *g3 = g2 + gPad;
    for (int k = 0; k < inPad; k += 8) {
      v4 c00 = ZERO, c01 = ZERO, c10 = ZERO, c11 = ZERO, c20 = ZERO, c21 = ZERO, c30 = ZERO, c31 = ZERO;
      for (int j = 0; j < units; j++) {
        const float *w = wt + j * inPad + k;
        v4 v0 = LD(w), v1 = LD(w + 4);
        v4 s0 = SPLAT(g0[j]), s1 = SPLAT(g1[j]), s2 = SPLAT(g2[j]), s3 = SPLAT(g3[j]);
        c00 = MADD(s0, v0, c00);
        c01 = MADD(s0, v1, c01);
        c10 = MADD(s1, v0, c10);
        c11 = MADD(s1, v1, c11);
        c20 = MADD(s2, v0, c20);
        c21 = MADD(s2, v1, c21);
        c30 = MADD(s3, v0, c30);
        c31 = MADD(s3, v1, c31);
      }
      float *o = out + b * inPad + k;
      ST(o, c00);
      ST(o + 4, c01);
      ST(o + inPad, c10);
      ST(o + inPad + 4, c11);
      ST(o + 2 * inPad, c20);
      ST(o + 2 * inPad + 4, c21);
      ST(o + 3 * inPad, c30);
      ST(o + 3 * inPad + 4, c31);
    }
  }
  for (; b < batch; b++) {
    const float *g0 = g + b * gPad;
    for (int k = 0; k < inPad; k += 4) {
      v4 c0 = ZERO;
      for (int j = 0; j < units; j++) c0 = MADD(SPLAT(g0[j]), LD(wt + j * inPad + k), c0);
      ST(out + b * inPad + k, c0);
    }
  }
}

/* gt[j][b] = g[b][j]: the weight gradient then reads each unit's column as a contiguous row. */
void transpose_rows(const float *g, int batch, int gPad, int units, float *gt, int gtPad) {
  for (int b = 0; b < batch; b++)
    for (int j = 0; j < units; j++) gt[j * gtPad + b] = g[b * gPad + j];
}

/* The kernel's gradient (+ the L2 term) for 2 units × 16 inputs, then its update, as one block; the
 * block's sum of squared weights goes to its own slot, summed in one fixed order afterwards, so the L2
 * term does not depend on which thread did which block. */
static inline void finish_block(int layer, int j, int k, int pairs, v4 c[2][4], const Coef *co, float *squaresOut) {
  const int inPad = net.pad[layer];
  const int optimizer = net.optimizer;
  const int l2 = hyper.twoL2 != 0.0f;
  v4 squares = ZERO;
  for (int u = 0; u < pairs; u++) {
    int at = (j + u) * inPad + k;
    float *w = net.wt[layer] + at;
    float *s0 = net.sw[0][layer] + at, *s1 = net.sw[1][layer] + at;
    for (int q = 0; q < 4; q++) update4_l2(optimizer, co, l2, w + 4 * q, s0 + 4 * q, s1 + 4 * q, c[u][q], &squares);
  }
  *squaresOut = hsum(squares);
}

/* dW[j][k] = Σ_b gt[j][b]·a[b][k] for the 16-input blocks [fromBlock, toBlock) (a column split: each
 * block's sums and updates are independent of the others), updated block by block. sparse: a is the
 * batch, and only the rows the fill listed for each 16-input block are summed. */
void weight_update(int layer, const float *gt, int batch, int gtPad, const float *a, int inPad, int sparse, int fromBlock, int toBlock) {
  const int units = net.dim[layer + 1];
  const int maxBatch = net.maxBatch;
  const int pairCount = (units + 1) / 2;
  float *squares = net.squares[layer];
  const Coef co = coef();
  for (int k = fromBlock * 16; k < toBlock * 16 && k < inPad; k += 16) {
    const int *rows = sparse ? net.rows + (k / 16) * maxBatch : 0;
    const int n = sparse ? net.rowCount[k / 16] : batch;
    const float *ak = a + k;
    for (int j = 0; j < units; j += 2) {
      const int pairs = j + 1 < units ? 2 : 1;
      const float *g0 = gt + j * gtPad, *g1 = pairs == 2 ? g0 + gtPad : g0;
      v4 c[2][4] = {{ZERO, ZERO, ZERO, ZERO}, {ZERO, ZERO, ZERO, ZERO}};
      for (int i = 0; i < n; i++) {
        const int b = sparse ? rows[i] : i;
        const float *x = ak + b * inPad;
        v4 x0 = LD(x), x1 = LD(x + 4), x2 = LD(x + 8), x3 = LD(x + 12);
        v4 s0 = SPLAT(g0[b]), s1 = SPLAT(g1[b]);
        c[0][0] = MADD(s0, x0, c[0][0]);
        c[0][1] = MADD(s0, x1, c[0][1]);
        c[0][2] = MADD(s0, x2, c[0][2]);
        c[0][3] = MADD(s0, x3, c[0][3]);
        c[1][0] = MADD(s1, x0, c[1][0]);
        c[1][1] = MADD(s1, x1, c[1][1]);
        c[1][2] = MADD(s1, x2, c[1][2]);
        c[1][3] = MADD(s1, x3, c[1][3]);
      }
      finish_block(layer, j, k, pairs, c, &co, squares + (k / 16) * pairCount + j / 2);
    }
  }
}

/* db[j] = Σ_b g[b][j], then the bias's update (no L2 on biases, as Keras' kernel regularizer). Four
 * units at a time from g's rows: each lane adds its unit's values in batch order, as a scalar loop
 * would, so the same sums, without a 200-add chain per unit. g's padding is 0. */
void bias_update(int layer, const float *g, int batch, int gPad) {
  const int pad = net.pad[layer + 1];
  float *bias = net.bias[layer];
  const Coef co = coef();
  for (int j = 0; j < pad; j += 8) {
    v4 s0 = ZERO, s1 = ZERO;
    for (int b = 0; b < batch; b++) {
      s0 = ADD(s0, LD(g + b * gPad + j));
      s1 = ADD(s1, LD(g + b * gPad + j + 4));
    }
    update4(net.optimizer, &co, bias + j, net.sb[0][layer] + j, net.sb[1][layer] + j, s0);
    update4(net.optimizer, &co, bias + j + 4, net.sb[0][layer] + j + 4, net.sb[1][layer] + j + 4, s1);
  }
}

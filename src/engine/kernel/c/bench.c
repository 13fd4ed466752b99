/* Figures for `npm run bench`, never used in training: the speed of the first layer's product alone,
 * and the most multiply-adds a second this runtime does with 128-bit SIMD (the kernel's ceiling). */
#include "net.h"

/* reps forward products X·W1ᵀ of the first layer on the current input buffer (count rows). */
void kn_bench_forward(int count, int reps) {
  for (int r = 0; r < reps; r++)
    forward_product(net.x, count, net.pad[0], net.wt[0], net.bias[0], net.dim[1], net.y[0], net.pad[1]);
}

/* iterations × 12 × 4 multiply-adds on registers only: 12 independent chains hide the latency of
 * the multiply and the add. Returns their sum so that none is optimised away. */
float kn_bench_peak(int iterations, float scale) {
  v4 m = SPLAT(scale), a = SPLAT(1e-3f);
  v4 c0 = ZERO, c1 = SPLAT(1), c2 = SPLAT(2), c3 = SPLAT(3), c4 = SPLAT(4), c5 = SPLAT(5);
  v4 c6 = SPLAT(6), c7 = SPLAT(7), c8 = SPLAT(8), c9 = SPLAT(9), c10 = SPLAT(10), c11 = SPLAT(11);
  for (int i = 0; i < iterations; i++) {
    c0 = MADD(c0, m, a);
    c1 = MADD(c1, m, a);
    c2 = MADD(c2, m, a);
    c3 = MADD(c3, m, a);
    c4 = MADD(c4, m, a);
    c5 = MADD(c5, m, a);
    c6 = MADD(c6, m, a);
    c7 = MADD(c7, m, a);
    c8 = MADD(c8, m, a);
    c9 = MADD(c9, m, a);
    c10 = MADD(c10, m, a);
    c11 = MADD(c11, m, a);
  }
  v4 s = ADD(ADD(ADD(c0, c1), ADD(c2, c3)), ADD(ADD(c4, c5), ADD(c6, c7)));
  return hsum(ADD(s, ADD(ADD(c8, c9), ADD(c10, c11))));
}

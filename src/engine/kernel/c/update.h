/* The optimizers' element-wise updates of 4 weights at once, with tfjs 4.22's operations in tfjs's
 * order, so each float32 rounding is the one tfjs makes (optimizer.ts builds the same optimizers). */
#ifndef MLP_KERNEL_UPDATE_H
#define MLP_KERNEL_UPDATE_H
#include "net.h"

/* The Hyper scalars as vectors, made once per product rather than per update (a store through a
 * float pointer could alias hyper, so the compiler would reload them after every one). */
typedef struct {
  v4 negLr, lr, twoL2, momentum, oneMinus1, beta2, oneMinus2, epsilon, biasFix1, biasFix2;
} Coef;

static inline Coef coef(void) {
  const Coef c = {SPLAT(hyper.negLr), SPLAT(hyper.lr), SPLAT(hyper.twoL2), SPLAT(hyper.momentum), SPLAT(hyper.oneMinus1),
                  SPLAT(hyper.beta2), SPLAT(hyper.oneMinus2), SPLAT(hyper.epsilon), SPLAT(hyper.biasFix1), SPLAT(hyper.biasFix2)};
  return c;
}

static inline __attribute__((always_inline)) void update4(int optimizer, const Coef *c, float *w, float *s0, float *s1, v4 g) {
  v4 value = LD(w);
  switch (optimizer) {
  case OPT_SGD: /* w + c·g, c = −lr */
    value = ADD(value, MUL(g, c->negLr));
    break;
  case OPT_MOMENTUM: { /* v' = v·m + g; w + c·v' */
    v4 v = ADD(MUL(LD(s0), c->momentum), g);
    ST(s0, v);
    value = ADD(value, MUL(v, c->negLr));
    break;
  }
  case OPT_NESTEROV: { /* v' = v·m + g; w + c·(g + v'·m) */
    v4 m = c->momentum;
    v4 v = ADD(MUL(LD(s0), m), g);
    ST(s0, v);
    value = ADD(value, MUL(ADD(g, MUL(v, m)), c->negLr));
    break;
  }
  case OPT_ADAM: { /* m' = m·β1 + g·(1−β1); v' = v·β2 + g²·(1−β2); w + (m'/(1−β1^t)) / (√(v'/(1−β2^t)) + ε) · −lr */
    v4 m = ADD(MUL(LD(s0), c->momentum), MUL(g, c->oneMinus1));
    v4 v = ADD(MUL(LD(s1), c->beta2), MUL(MUL(g, g), c->oneMinus2));
    ST(s0, m);
    ST(s1, v);
    v4 mHat = DIV(m, c->biasFix1);
    v4 vHat = DIV(v, c->biasFix2);
    value = ADD(MUL(DIV(mHat, ADD(wasm_f32x4_sqrt(vHat), c->epsilon)), c->negLr), value);
    break;
  }
  case OPT_RMSPROP: { /* s' = s·ρ + g²·(1−ρ); step = g·lr / √(s' + ε) (momentum 0); w − step */
    v4 ms = ADD(MUL(LD(s0), c->momentum), MUL(MUL(g, g), c->oneMinus1));
    ST(s0, ms);
    v4 step = DIV(MUL(g, c->lr), wasm_f32x4_sqrt(ADD(ms, c->epsilon)));
    ST(s1, step);
    value = SUB(value, step);
    break;
  }
  case OPT_ADAGRAD: { /* a' = a + g²; w + (g / √(a' + ε)) · −lr */
    v4 acc = ADD(LD(s0), MUL(g, g));
    ST(s0, acc);
    value = ADD(MUL(DIV(g, wasm_f32x4_sqrt(ADD(acc, c->epsilon))), c->negLr), value);
    break;
  }
  }
  ST(w, value);
}

/* The update of 4 weights from their gradient, plus the L2 term (2λ·w) when l2; the old weights'
 * squares are added to *squares first, for the loss's L2 term. Every product's updates go through it. */
static inline __attribute__((always_inline)) void update4_l2(int optimizer, const Coef *c, int l2, float *w, float *s0, float *s1, v4 grad, v4 *squares) {
  if (l2) {
    const v4 old = LD(w);
    *squares = ADD(*squares, MUL(old, old));
    grad = ADD(grad, MUL(old, c->twoL2));
  }
  update4(optimizer, c, w, s0, s1, grad);
}

#endif

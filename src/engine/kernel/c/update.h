/* The optimizers' element-wise updates of 4 weights at once, with tfjs 4.22's operations in tfjs's
 * order, so each float32 rounding is the one tfjs makes (optimizer.ts builds the same optimizers). */
#ifndef MLP_KERNEL_UPDATE_H
#define MLP_KERNEL_UPDATE_H
#include "net.h"

static inline void update4(int optimizer, float *w, float *s0, float *s1, v4 g) {
  v4 value = LD(w);
  switch (optimizer) {
  case OPT_SGD: /* w + c·g, c = −lr */
    value = ADD(value, MUL(g, SPLAT(hyper.negLr)));
    break;
  case OPT_MOMENTUM: { /* v' = v·m + g; w + c·v' */
    v4 v = ADD(MUL(LD(s0), SPLAT(hyper.momentum)), g);
    ST(s0, v);
    value = ADD(value, MUL(v, SPLAT(hyper.negLr)));
    break;
  }
  case OPT_NESTEROV: { /* v' = v·m + g; w + c·(g + v'·m) */
    v4 m = SPLAT(hyper.momentum);
    v4 v = ADD(MUL(LD(s0), m), g);
    ST(s0, v);
    value = ADD(value, MUL(ADD(g, MUL(v, m)), SPLAT(hyper.negLr)));
    break;
  }
  case OPT_ADAM: { /* m' = m·β1 + g·(1−β1); v' = v·β2 + g²·(1−β2); w + (m'/(1−β1^t)) / (√(v'/(1−β2^t)) + ε) · −lr */
    v4 m = ADD(MUL(LD(s0), SPLAT(hyper.momentum)), MUL(g, SPLAT(hyper.oneMinus1)));
    v4 v = ADD(MUL(LD(s1), SPLAT(hyper.beta2)), MUL(MUL(g, g), SPLAT(hyper.oneMinus2)));
    ST(s0, m);
    ST(s1, v);
    v4 mHat = DIV(m, SPLAT(hyper.biasFix1));
    v4 vHat = DIV(v, SPLAT(hyper.biasFix2));
    value = ADD(MUL(DIV(mHat, ADD(wasm_f32x4_sqrt(vHat), SPLAT(hyper.epsilon))), SPLAT(hyper.negLr)), value);
    break;
  }
  case OPT_RMSPROP: { /* s' = s·ρ + g²·(1−ρ); step = g·lr / √(s' + ε) (momentum 0); w − step */
    v4 ms = ADD(MUL(LD(s0), SPLAT(hyper.momentum)), MUL(MUL(g, g), SPLAT(hyper.oneMinus1)));
    ST(s0, ms);
    v4 step = DIV(MUL(g, SPLAT(hyper.lr)), wasm_f32x4_sqrt(ADD(ms, SPLAT(hyper.epsilon))));
    ST(s1, step);
    value = SUB(value, step);
    break;
  }
  case OPT_ADAGRAD: { /* a' = a + g²; w + (g / √(a' + ε)) · −lr */
    v4 acc = ADD(LD(s0), MUL(g, g));
    ST(s0, acc);
    value = ADD(MUL(DIV(g, wasm_f32x4_sqrt(ADD(acc, SPLAT(hyper.epsilon)))), SPLAT(hyper.negLr)), value);
    break;
  }
  }
  ST(w, value);
}

#endif

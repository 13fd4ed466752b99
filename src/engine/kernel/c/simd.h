/* Shared definitions of the MLP Lab training kernel: SIMD helpers and float functions (-nostdlib). */
#ifndef MLP_KERNEL_SIMD_H
#define MLP_KERNEL_SIMD_H
#include <wasm_simd128.h>

typedef v128_t v4;

#define LD(p) wasm_v128_load(p)
#define ST(p, v) wasm_v128_store((p), (v))
#define SPLAT(x) wasm_f32x4_splat(x)
#define ADD(a, b) wasm_f32x4_add((a), (b))
#define SUB(a, b) wasm_f32x4_sub((a), (b))
#define MUL(a, b) wasm_f32x4_mul((a), (b))
#define DIV(a, b) wasm_f32x4_div((a), (b))
#define ZERO wasm_f32x4_const_splat(0.0f)

/* acc + a·b in the matrix products only: one rounding where the runtime has relaxed SIMD's fused
 * multiply-add (the relaxed build), two otherwise. Updates always round as tfjs does (MUL then ADD). */
#ifdef MLP_RELAXED
#define MADD(a, b, acc) ((v4)__builtin_wasm_relaxed_madd_f32x4((__f32x4)(a), (__f32x4)(b), (__f32x4)(acc)))
#else
#define MADD(a, b, acc) wasm_f32x4_add(wasm_f32x4_mul((a), (b)), (acc))
#endif

static inline float hsum(v4 v) {
  return (wasm_f32x4_extract_lane(v, 0) + wasm_f32x4_extract_lane(v, 1)) +
         (wasm_f32x4_extract_lane(v, 2) + wasm_f32x4_extract_lane(v, 3));
}

double k_exp(double x);
double k_log(double x);
float k_expf(float x);
float k_expm1f(float x);
float k_logf(float x);
void *memset(void *dst, int value, unsigned long n);
void *memcpy(void *dst, const void *src, unsigned long n);

#endif

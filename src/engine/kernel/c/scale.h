/* Grey levels to model inputs, 16 at a time, as BatchFiller scales them (fill.c, sparse.c). */
#ifndef MLP_KERNEL_SCALE_H
#define MLP_KERNEL_SCALE_H
#include "net.h"

/* Two float64 products, each rounded to float32: the scalar (float)(byte · scale), two at a time. */
static inline v4 scaled_pair(v128_t ints, v128_t scale) {
  v128_t low = wasm_f32x4_demote_f64x2_zero(wasm_f64x2_mul(wasm_f64x2_convert_low_i32x4(ints), scale));
  v128_t high = wasm_f32x4_demote_f64x2_zero(wasm_f64x2_mul(wasm_f64x2_convert_low_i32x4(wasm_i32x4_shuffle(ints, ints, 2, 3, 2, 3)), scale));
  return wasm_i32x4_shuffle(low, high, 0, 1, 4, 5);
}

/* 16 bytes times scale into dst, with the scalar loop's operations (exact int→float64, one float64
 * product, one rounding to float32), so the same floats, 16 at a time. */
static inline void scale_block(v128_t bytes, double scale, float *dst) {
  const v128_t s = wasm_f64x2_splat(scale);
  const v128_t low = wasm_u16x8_extend_low_u8x16(bytes), high = wasm_u16x8_extend_high_u8x16(bytes);
  ST(dst, scaled_pair(wasm_u32x4_extend_low_u16x8(low), s));
  ST(dst + 4, scaled_pair(wasm_u32x4_extend_high_u16x8(low), s));
  ST(dst + 8, scaled_pair(wasm_u32x4_extend_low_u16x8(high), s));
  ST(dst + 12, scaled_pair(wasm_u32x4_extend_high_u16x8(high), s));
}

#endif

/* exp, expm1 and log for float, accurate to about one unit in the last place: -nostdlib has no libm.
 * Each reduces its argument to a small range and evaluates a polynomial there in float64, which wasm
 * has natively, so the float result is rounded once from a value far more precise than float. */
#include "simd.h"

#define LN2 0.6931471805599453
#define INV_LN2 1.4426950408889634

/* e^r for |r| ≤ ln2/2, Taylor to r^13 (error below 1e-16 relative). */
static inline double exp_small(double r) {
  double p = 1.0 / 6227020800.0;
  p = p * r + 1.0 / 479001600.0;
  p = p * r + 1.0 / 39916800.0;
  p = p * r + 1.0 / 3628800.0;
  p = p * r + 1.0 / 362880.0;
  p = p * r + 1.0 / 40320.0;
  p = p * r + 1.0 / 5040.0;
  p = p * r + 1.0 / 720.0;
  p = p * r + 1.0 / 120.0;
  p = p * r + 1.0 / 24.0;
  p = p * r + 1.0 / 6.0;
  p = p * r + 0.5;
  p = p * r + 1.0;
  return p * r + 1.0;
}

/* 2^n as a double, for the n a float exponent can need. */
static inline double pow2(int n) {
  union { unsigned long long u; double d; } bits;
  bits.u = (unsigned long long)(n + 1023) << 52;
  return bits.d;
}

double k_exp(double x) {
  if (x != x) return x;
  if (x > 89.0) return 1e300 * 1e10; /* +inf once rounded to float */
  if (x < -104.0) return 0.0;
  double n = __builtin_nearbyint(x * INV_LN2);
  double r = x - n * LN2;
  return exp_small(r) * pow2((int)n);
}

float k_expf(float x) { return (float)k_exp((double)x); }

static const double INV_FACTORIAL[12] = {
    1.0, 1.0, 1.0 / 2, 1.0 / 6, 1.0 / 24, 1.0 / 120, 1.0 / 720, 1.0 / 5040, 1.0 / 40320, 1.0 / 362880,
    1.0 / 3628800, 1.0 / 39916800,
};

/* e^x − 1 without the cancellation of exp(x) − 1 near 0 (tanh, elu and selu of small inputs). */
float k_expm1f(float x) {
  double d = (double)x;
  if (d > -0.5 && d < 0.5) {
    /* Taylor to d^12: the first term left out is below 2^-40 of the result. */
    double p = 1.0 / 479001600.0;
    for (int k = 11; k >= 1; k--) p = p * d + INV_FACTORIAL[k];
    return (float)(p * d);
  }
  return (float)(k_exp(d) - 1.0);
}

/* ln x: x = m·2^e with m in [√½, √2), ln m by atanh's series in s = (m−1)/(m+1), |s| < 0.172:
 * terms to s^21 leave an error below 1e-17. */
double k_log(double x) {
  if (x != x || x < 0.0) return __builtin_nan("");
  if (x == 0.0) return -__builtin_inf();
  if (x == __builtin_inf()) return x;
  union { double d; unsigned long long u; } bits;
  bits.d = x;
  int e = (int)((bits.u >> 52) & 0x7ff) - 1023;
  if (e == -1023) return k_log(x * 4503599627370496.0) - 52 * LN2; /* subnormal */
  bits.u = (bits.u & 0x000fffffffffffffULL) | 0x3ff0000000000000ULL;
  double m = bits.d;
  if (m > 1.4142135623730951) {
    m *= 0.5;
    e += 1;
  }
  double s = (m - 1.0) / (m + 1.0);
  double s2 = s * s;
  double p = 1.0 / 21.0;
  for (int k = 19; k >= 1; k -= 2) p = p * s2 + 1.0 / k;
  return 2.0 * s * p + (double)e * LN2;
}

float k_logf(float x) { return (float)k_log((double)x); }

/* Bulk memory (-mbulk-memory) turns these into memory.fill and memory.copy instructions. */
void *memset(void *dst, int value, unsigned long n) {
  __builtin_memset(dst, value, n);
  return dst;
}

void *memcpy(void *dst, const void *src, unsigned long n) {
  __builtin_memcpy(dst, src, n);
  return dst;
}

// Float32 exp, log and log1p, a select, a conversion and products of narrow matrices with a
// vector, over arrays.
//
// Each loop body is scalar, branch-free code (selects, not early returns) that the compiler
// turns into vector code. On x86-64 every function is compiled three times (AVX-512,
// AVX2 and baseline SSE2) and the loader picks the widest the CPU runs (`target_clones`):
// the library's Swift is compiled for baseline x86-64, where eight float lanes are two SSE
// registers and every select is three logic operations.
//
// The package compiles this file with -ffp-contract=off: no multiply and add is fused, so
// the AVX2 and AVX-512 clones, which have FMA, round exactly as the SSE2 one does, and every
// machine gives bitwise the same results. Nothing here depends on the vector width: each
// element goes through the same operations in the same order, in the vector body and in the
// scalar remainder alike.

// Every symbol of this file is hidden: linked into a shared library (the grader's runtime),
// each `target_clones` resolver then finds its clones by PC-relative address. With default
// visibility it read them from the GOT, which the dynamic loader may not have filled yet when
// it runs the resolver while relocating the library: the resolver returned a null or stale
// address and the first call crashed.
#pragma GCC visibility push(hidden)

#include "CVectorMath.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#if defined(__x86_64__)
#define CVM_CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define CVM_CLONES
#endif

// Helpers are inlined into each clone, so that they are compiled for its instruction set.
#define CVM_INLINE static inline __attribute__((always_inline))

CVM_INLINE int32_t bits(float x) {
  int32_t b;
  memcpy(&b, &x, sizeof b);
  return b;
}

CVM_INLINE float from_bits(int32_t b) {
  float x;
  memcpy(&x, &b, sizeof x);
  return x;
}

/// e^x: Cephes' polynomial on [−ln2/2, ln2/2], an exact two-part ln 2, and the scale 2^n
/// applied in two halves so that results that are subnormal are rounded once.
CVM_INLINE float exp_one(float x) {
  float c = x < -104.0f ? -104.0f : x;
  c = c > 89.0f ? 89.0f : c;
  // Adding 1.5·2^23 rounds to the nearest integer and leaves it in the low mantissa bits.
  const float shifter = 0x1.8p23f;
  float k = c * 1.44269504088896341f + shifter;
  float n = k - shifter;
  float r = c - n * 0.693359375f - n * -2.12194440e-4f;
  float p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  float y = p * (r * r) + r + 1.0f;
  int32_t ni = bits(k) - bits(shifter);
  int32_t half = ni >> 1;
  float scale1 = from_bits((half + 127) << 23);
  float scale2 = from_bits((ni - half + 127) << 23);
  float result = y * scale1 * scale2;
  return x != x ? x : result;
}

/// ln x for x > 0, normal or subnormal, with the special values of C's `logf`.
CVM_INLINE float log_one(float x) {
  // Subnormals are scaled into the normal range first (×2^23, exponent −23).
  int tiny = x < 0x1p-126f;
  float scaled = tiny ? x * 0x1p23f : x;
  int32_t b = bits(scaled);
  float e = (float)(((b >> 23) & 0xff) - 126);
  e = tiny ? e - 23.0f : e;
  // m in [0.5, 1); below √½ it is doubled (and e lowered) so m − 1 lies in [−0.29, 0.41].
  float m = from_bits((int32_t)(((uint32_t)b & 0x807fffffu) | 0x3f000000u));
  int low = m < 0.707106781186547524f;
  e = low ? e - 1.0f : e;
  m = (low ? m + m : m) - 1.0f;
  float z = m * m;
  float p = 7.0376836292e-2f;
  p = p * m - 1.1514610310e-1f;
  p = p * m + 1.1676998740e-1f;
  p = p * m - 1.2420140846e-1f;
  p = p * m + 1.4249322787e-1f;
  p = p * m - 1.6668057665e-1f;
  p = p * m + 2.0000714765e-1f;
  p = p * m - 2.4999993993e-1f;
  p = p * m + 3.3333331174e-1f;
  float y = p * m * z;
  y = y + e * -2.12194440e-4f;
  y = y + z * -0.5f;
  float result = m + y + e * 0.693359375f;
  result = x == 0.0f ? -INFINITY : result;
  result = x == INFINITY ? x : result;
  // Below 0 or NaN (the comparison is false for NaN).
  return !(x >= 0.0f) ? NAN : result;
}

/// ln(1 + x): the logarithm of u = 1 + x, corrected by (x − (u − 1)) / u for the rounding
/// of u, which keeps full relative accuracy for small x.
CVM_INLINE float log1p_one(float x) {
  float u = x + 1.0f;
  float result = log_one(u) + (x - (u - 1.0f)) / u;
  // Where u rounds to 1 the correction alone is x (and exact); keep infinities and NaN.
  result = u == 1.0f ? x : result;
  result = x == INFINITY ? x : result;
  result = x == -1.0f ? -INFINITY : result;
  return !(x >= -1.0f) ? NAN : result;
}

CVM_CLONES void cvm_exp_f32(const float *x, float *y, ptrdiff_t n) {
  for (ptrdiff_t i = 0; i < n; i++) y[i] = exp_one(x[i]);
}

CVM_CLONES void cvm_log_f32(const float *x, float *y, ptrdiff_t n) {
  for (ptrdiff_t i = 0; i < n; i++) y[i] = log_one(x[i]);
}

CVM_CLONES void cvm_log1p_f32(const float *x, float *y, ptrdiff_t n) {
  for (ptrdiff_t i = 0; i < n; i++) y[i] = log1p_one(x[i]);
}

CVM_CLONES void cvm_select_f32(const uint8_t *c, const float *a, ptrdiff_t strideA, const float *b,
                               ptrdiff_t strideB, float *o, ptrdiff_t n) {
  // Both sides are loaded before choosing, so the choice is a blend rather than a branch per
  // element (random conditions mispredict half the time); each pair of strides has a loop of
  // its own, with a broadcast side loaded once.
  if (strideA == 1 && strideB == 1) {
    for (ptrdiff_t i = 0; i < n; i++) {
      float x = a[i], y = b[i];
      o[i] = c[i] ? x : y;
    }
  } else if (strideA == 1) {
    float y = b[0];
    for (ptrdiff_t i = 0; i < n; i++) {
      float x = a[i];
      o[i] = c[i] ? x : y;
    }
  } else if (strideB == 1) {
    float x = a[0];
    for (ptrdiff_t i = 0; i < n; i++) {
      float y = b[i];
      o[i] = c[i] ? x : y;
    }
  } else {
    float x = a[0], y = b[0];
    for (ptrdiff_t i = 0; i < n; i++) o[i] = c[i] ? x : y;
  }
}

CVM_CLONES void cvm_bool_to_f32(const uint8_t *c, float *o, ptrdiff_t n) {
  for (ptrdiff_t i = 0; i < n; i++) o[i] = (float)c[i];
}

/// The rows of a contiguous m × k matrix (k a constant after inlining) times `xs`.
CVM_INLINE void narrow_rows(const float *a, ptrdiff_t m, ptrdiff_t k, const float *xs,
                               float *y) {
  for (ptrdiff_t i = 0; i < m; i++) {
    float s = a[i * k] * xs[0];
    for (ptrdiff_t p = 1; p < k; p++) s += a[i * k + p] * xs[p];
    y[i] = s;
  }
}

CVM_CLONES void cvm_gemv_narrow_f32(const float *a, ptrdiff_t lda, ptrdiff_t m, ptrdiff_t k,
                                    const float *x, ptrdiff_t incx, float *y, ptrdiff_t incy) {
  float xs[8];
  for (ptrdiff_t p = 0; p < k && p < 8; p++) xs[p] = x[p * incx];
  // Contiguous rows and result: loops with the row length fixed, which the compiler
  // vectorizes across rows.
  if (lda == k && incy == 1) {
    switch (k) {
    case 1: narrow_rows(a, m, 1, xs, y); return;
    case 2: narrow_rows(a, m, 2, xs, y); return;
    case 3: narrow_rows(a, m, 3, xs, y); return;
    case 4: narrow_rows(a, m, 4, xs, y); return;
    default: break;
    }
  }
  for (ptrdiff_t i = 0; i < m; i++) {
    float s = a[i * lda] * xs[0];
    for (ptrdiff_t p = 1; p < k; p++) s += a[i * lda + p] * xs[p];
    y[i * incy] = s;
  }
}

/// Column j of the transposed product: eight partial sums, added pairwise, then the rest.
CVM_INLINE float narrow_column(const float *a, ptrdiff_t lda, ptrdiff_t j, ptrdiff_t k,
                                  const float *x, ptrdiff_t incx) {
  float s[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  ptrdiff_t p = 0;
  for (; p + 8 <= k; p += 8) {
    for (ptrdiff_t q = 0; q < 8; q++) s[q] += a[(p + q) * lda + j] * x[(p + q) * incx];
  }
  float t = ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
  for (; p < k; p++) t += a[p * lda + j] * x[p * incx];
  return t;
}

/// Eight floats in one vector (two SSE registers on baseline x86-64).
typedef float cvm_v8f __attribute__((vector_size(32)));

/// Both columns of the transposed product for a contiguous k × 2 matrix and vector, with the
/// partial sums of `narrow_column` interleaved (s[2q + j] for column j): each group of eight
/// rows is two vectors of four rows, each multiplied by its four x values, each repeated
/// twice. Bitwise the same sums as `narrow_column`.
CVM_INLINE void narrow_two_columns(const float *a, ptrdiff_t k, const float *x, float *y0,
                                   float *y1) {
  cvm_v8f low = {0, 0, 0, 0, 0, 0, 0, 0}, high = low;
  ptrdiff_t p = 0;
  for (; p + 8 <= k; p += 8) {
    cvm_v8f a0, a1, xs;
    memcpy(&a0, a + 2 * p, sizeof a0);
    memcpy(&a1, a + 2 * p + 8, sizeof a1);
    memcpy(&xs, x + p, sizeof xs);
    low += a0 * __builtin_shufflevector(xs, xs, 0, 0, 1, 1, 2, 2, 3, 3);
    high += a1 * __builtin_shufflevector(xs, xs, 4, 4, 5, 5, 6, 6, 7, 7);
  }
  float t0 = ((low[0] + low[2]) + (low[4] + low[6])) + ((high[0] + high[2]) + (high[4] + high[6]));
  float t1 = ((low[1] + low[3]) + (low[5] + low[7])) + ((high[1] + high[3]) + (high[5] + high[7]));
  for (; p < k; p++) {
    t0 += a[2 * p] * x[p];
    t1 += a[2 * p + 1] * x[p];
  }
  *y0 = t0;
  *y1 = t1;
}

CVM_CLONES void cvm_gemv_narrow_transposed_f32(const float *a, ptrdiff_t lda, ptrdiff_t m,
                                               ptrdiff_t k, const float *x, ptrdiff_t incx,
                                               float *y, ptrdiff_t incy) {
  // Two contiguous columns and a contiguous vector (the weight gradient of a two-feature
  // linear model) have a vectorized loop of their own.
  if (m == 2 && lda == 2 && incx == 1) {
    narrow_two_columns(a, k, x, &y[0], &y[incy]);
    return;
  }
  for (ptrdiff_t j = 0; j < m; j++) y[j * incy] = narrow_column(a, lda, j, k, x, incx);
}

// One loop per pair of strides (both 1, one of them 0), so each is a plain vectorized loop
// with the broadcast value loaded once.
#define CVM_STRIDED_LOOPS(EXPR)                                                                  \
  if (strideA == 1 && strideB == 1) {                                                            \
    for (ptrdiff_t i = 0; i < n; i++) {                                                          \
      float x = a[i], y = b[i];                                                                  \
      o[i] = (EXPR);                                                                             \
    }                                                                                            \
  } else if (strideA == 1) {                                                                     \
    float y = b[0];                                                                              \
    for (ptrdiff_t i = 0; i < n; i++) {                                                          \
      float x = a[i];                                                                            \
      o[i] = (EXPR);                                                                             \
    }                                                                                            \
  } else if (strideB == 1) {                                                                     \
    float x = a[0];                                                                              \
    for (ptrdiff_t i = 0; i < n; i++) {                                                          \
      float y = b[i];                                                                            \
      o[i] = (EXPR);                                                                             \
    }                                                                                            \
  } else {                                                                                       \
    float x = a[0], y = b[0];                                                                    \
    for (ptrdiff_t i = 0; i < n; i++) o[i] = (EXPR);                                             \
  }

CVM_CLONES void cvm_arith_f32(int op, const float *a, ptrdiff_t strideA, const float *b,
                              ptrdiff_t strideB, float *o, ptrdiff_t n) {
  switch (op) {
  case CVM_ADD: CVM_STRIDED_LOOPS(x + y) break;
  case CVM_SUB: CVM_STRIDED_LOOPS(x - y) break;
  case CVM_MUL: CVM_STRIDED_LOOPS(x * y) break;
  default: CVM_STRIDED_LOOPS(x / y) break;
  }
}

CVM_CLONES void cvm_compare_f32(int op, const float *a, ptrdiff_t strideA, const float *b,
                                ptrdiff_t strideB, uint8_t *o, ptrdiff_t n) {
  switch (op) {
  case CVM_LT: CVM_STRIDED_LOOPS((uint8_t)(x < y)) break;
  case CVM_LE: CVM_STRIDED_LOOPS((uint8_t)(x <= y)) break;
  case CVM_GT: CVM_STRIDED_LOOPS((uint8_t)(x > y)) break;
  case CVM_GE: CVM_STRIDED_LOOPS((uint8_t)(x >= y)) break;
  case CVM_EQ: CVM_STRIDED_LOOPS((uint8_t)(x == y)) break;
  default: CVM_STRIDED_LOOPS((uint8_t)(x != y)) break;
  }
}

CVM_CLONES void cvm_neg_f32(const float *x, float *y, ptrdiff_t n) {
  for (ptrdiff_t i = 0; i < n; i++) y[i] = -x[i];
}

CVM_CLONES void cvm_relu_f32(const float *x, float *y, ptrdiff_t n) {
  for (ptrdiff_t i = 0; i < n; i++) {
    float v = x[i];
    y[i] = v <= 0.0f ? 0.0f : v;
  }
}

CVM_CLONES void cvm_relu_gradient_f32(const float *g, const float *y, float *o, ptrdiff_t n) {
  for (ptrdiff_t i = 0; i < n; i++) {
    float gradient = g[i], output = y[i];
    o[i] = output <= 0.0f ? 0.0f : gradient;
  }
}

/// Eight doubles in one vector.
typedef double cvm_v8d __attribute__((vector_size(64)));

CVM_CLONES double cvm_sum_f32(const float *x, ptrdiff_t n) {
  double total = 0;
  for (ptrdiff_t start = 0; start < n; start += 1024) {
    ptrdiff_t end = n - start < 1024 ? n : start + 1024;
    cvm_v8d lanes = {0, 0, 0, 0, 0, 0, 0, 0};
    ptrdiff_t i = start;
    for (; i + 8 <= end; i += 8) {
      cvm_v8f group;
      memcpy(&group, x + i, sizeof group);
      lanes += __builtin_convertvector(group, cvm_v8d);
    }
    double s = -0.0;
    for (int j = 0; j < 8; j++) s += lanes[j];
    for (; i < end; i++) s += (double)x[i];
    total += s;
  }
  return total;
}

CVM_CLONES void cvm_add_rows_f32(const float *x, ptrdiff_t rows, ptrdiff_t n, double *acc) {
  for (ptrdiff_t r = 0; r < rows; r++) {
    const float *row = x + r * n;
    for (ptrdiff_t i = 0; i < n; i++) acc[i] += (double)row[i];
  }
}

#pragma GCC visibility pop

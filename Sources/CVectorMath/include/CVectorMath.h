// Float32 loops over contiguous arrays, compiled so that the compiler vectorizes them for
// the widest instruction set the running CPU has. Imported by one Swift file only
// (Sources/Autograd/Kernels/VectorMath.swift).
#ifndef CVECTORMATH_H
#define CVECTORMATH_H

#include <stddef.h>
#include <stdint.h>

/// y[i] = e^x[i] for i < n, within 2 ulp, with C's special values. `x` and `y` may be the
/// same array but must not otherwise overlap.
void cvm_exp_f32(const float *x, float *y, ptrdiff_t n);

/// y[i] = ln x[i] for i < n, within 1.5 ulp, with C's special values (NaN below 0 and for
/// NaN, −inf at ±0, +inf at +inf).
void cvm_log_f32(const float *x, float *y, ptrdiff_t n);

/// y[i] = ln(1 + x[i]) for i < n, within 1.5 ulp, with C's special values (NaN below −1 and
/// for NaN, −inf at −1, x itself where 1 + x rounds to 1).
void cvm_log1p_f32(const float *x, float *y, ptrdiff_t n);

/// The arithmetic of `cvm_arith_f32`.
enum { CVM_ADD = 0, CVM_SUB = 1, CVM_MUL = 2, CVM_DIV = 3 };

/// o[i] = a[i·strideA] op b[i·strideB] for i < n, strides 0 (one value broadcast) or 1, op
/// one of CVM_ADD, CVM_SUB, CVM_MUL, CVM_DIV (IEEE arithmetic, each result rounded once).
void cvm_arith_f32(int op, const float *a, ptrdiff_t strideA, const float *b, ptrdiff_t strideB,
                   float *o, ptrdiff_t n);

/// The comparisons of `cvm_compare_f32`.
enum { CVM_LT = 0, CVM_LE = 1, CVM_GT = 2, CVM_GE = 3, CVM_EQ = 4, CVM_NE = 5 };

/// o[i] = a[i·strideA] op b[i·strideB] as the byte 0 or 1 (Swift's `Bool`) for i < n, strides
/// 0 or 1, op one of CVM_LT … CVM_NE (IEEE comparisons: only ≠ holds for NaN).
void cvm_compare_f32(int op, const float *a, ptrdiff_t strideA, const float *b,
                     ptrdiff_t strideB, uint8_t *o, ptrdiff_t n);

/// The sum of x[0..<n] in double: blocks of 1024 elements, each summed in eight lanes (lane j
/// takes the elements ≡ j mod 8 of the block's whole groups of eight), the lanes added in
/// order from −0, then the block's remaining elements in order; the block sums added in order.
double cvm_sum_f32(const float *x, ptrdiff_t n);

/// acc[i] += x[r·n + i] (in double) for each row r < rows in order, for i < n: the column
/// sums of a contiguous rows × n matrix.
void cvm_add_rows_f32(const float *x, ptrdiff_t rows, ptrdiff_t n, double *acc);

/// y[i] = −x[i] for i < n (the sign flipped, NaN and zeros included).
void cvm_neg_f32(const float *x, float *y, ptrdiff_t n);

/// y[i] = x[i] ≤ 0 ? 0 : x[i] for i < n (relu; NaN stays NaN).
void cvm_relu_f32(const float *x, float *y, ptrdiff_t n);

/// o[i] = y[i] ≤ 0 ? 0 : g[i] for i < n (relu's backward from its output y: 0 even where g
/// is NaN, g where y is NaN).
void cvm_relu_gradient_f32(const float *g, const float *y, float *o, ptrdiff_t n);

/// o[i] = c[i] ? a[i·strideA] : b[i·strideB] for i < n, with the conditions stored as the bytes
/// 0 and 1 (Swift's `Bool`) and strides 0 (one value broadcast) or 1. Copies bit patterns.
void cvm_select_f32(const uint8_t *c, const float *a, ptrdiff_t strideA, const float *b,
                    ptrdiff_t strideB, float *o, ptrdiff_t n);

/// o[i] = c[i] (0 or 1) as a float, for i < n.
void cvm_bool_to_f32(const uint8_t *c, float *o, ptrdiff_t n);

/// y[i·incy] = Σ_{p<k} a[i·lda + p]·x[p·incx] for i < m, each sum taken in order of p: a
/// matrix of few columns (k ≤ 8) times a vector.
void cvm_gemv_narrow_f32(const float *a, ptrdiff_t lda, ptrdiff_t m, ptrdiff_t k,
                         const float *x, ptrdiff_t incx, float *y, ptrdiff_t incy);

/// y[j·incy] = Σ_{p<k} a[p·lda + j]·x[p·incx] for j < m: the transpose of a k × m matrix of
/// few columns times a vector. Each sum is taken as eight partial sums (p mod 8) over whole
/// groups of eight, added pairwise, then the remaining terms in order.
void cvm_gemv_narrow_transposed_f32(const float *a, ptrdiff_t lda, ptrdiff_t m, ptrdiff_t k,
                                    const float *x, ptrdiff_t incx, float *y, ptrdiff_t incy);

#endif

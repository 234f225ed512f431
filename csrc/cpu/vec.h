// Contiguous float32 kernels (and a few of other dtypes) compiled for several ISA levels (baseline x86-64, AVX2+FMA,
// AVX-512) and chosen once at load time by CPUID (ARCHITECTURE.md decision 7).
#pragma once
#include <cstdint>

namespace tg {
namespace cpu {

// The ops with parameters take them as p0, p1 (the others ignore both): Clamp lo, hi (not
// NaN); LeakyRelu the slope; Elu alpha, scale; Celu alpha; Softplus beta, threshold; Logit eps,
// and whether to clamp to [eps, 1 - eps] (nonzero p1); PowScalar the exponent (x^p0);
// RPowScalar the base (p0^x).
enum class VecUnary {
  Exp, Tanh, Sigmoid, Relu, Abs, Sqrt, Log, Sin, Cos, Erf, Gelu, GeluTanh, Silu,
  Clamp, Expm1, Log1p, LeakyRelu, Elu, Celu, Softplus, LogSigmoid, Mish,
  Neg, Square, Reciprocal, Rsqrt, Sign, Floor, Ceil, Round, Trunc, Frac, Hardsigmoid, Hardswish,
  Exp2, Log2, Log10, Tan, Atan, Asin, Acos, Sinh, Cosh, Atanh, Asinh, Acosh, Erfc, Erfinv, Logit,
  PowScalar, RPowScalar
};
// Add/Sub: a +- alpha b. ReluBackward: a where b > 0, else 0 (a the gradient, b the result).
// Maximum, Minimum: NaN from either side. Remainder: PyTorch's, with the sign of b. Xlogy:
// a log(b). DivTrunc, DivFloor: a / b rounded toward zero, and PyTorch's floor division.
// Pow: a^b, as C's pow. Atan2: atan2(a, b) (a the ordinate). Hypot: sqrt(a^2 + b^2).
// GeluBackward, GeluTanhBackward: a gelu'(b) (a the gradient, b gelu's input), of either form.
enum class VecBinary {
  Add, Sub, Mul, Div, ReluBackward, Maximum, Minimum, Fmod, Remainder, Xlogy, DivTrunc, DivFloor, Pow, Atan2, Hypot,
  GeluBackward, GeluTanhBackward
};
// y = op(a, b, c) with PyTorch's roundings (cpu/vec_ternary.inc, Note [Ternary roundings]), s
// the op's number: Lerp: lerp(a, b, c), c the weight; LerpScalar: lerp(a, b, s), c unused;
// Addcmul: a + s b c; Addcdiv: a + s b / c.
enum class VecTernary { Lerp, LerpScalar, Addcmul, Addcdiv };

// Where an elementwise kernel's operands live, decided by cpu_backend.cpp from their size:
// in cache, or in DRAM (larger than the last-level cache), where the result is written in
// place or with non-temporal stores (vec_kernels.inc, Notes [Streaming stores] and
// [DRAM-bound loops]).
enum class VecMem { Cached, Dram, DramStream };

// Rows of the built-in gemm's register tile (cpu/gemm.cpp, Note [Built-in gemm]); its
// columns, VecKernels::gemm_nr, are two vectors of the selected ISA.
constexpr int kGemmMR = 6;

// The direct gemm over rows [0, M) (cpu/gemm_direct.inc, Note [Direct gemm] in cpu/gemm.cpp):
// C[M,N] = alpha * A B + beta * C, A[i,k] = a[i * rsa + k * csa], B and C row-major with unit
// column stride (ldb, ldc).
using GemmDirectF32 = void(int64_t M, int64_t N, int64_t K, float alpha, const float* a, int64_t rsa, int64_t csa,
                           const float* b, int64_t ldb, float beta, float* c, int64_t ldc);

// One thread's float32 product C[M,N] = alpha * A B + beta * C (cpu/gemm_packed.inc, Note
// [Packed AVX2 gemm] in cpu/gemm.cpp): A[i,k] at a[i * lda + k], or a[k * lda + i] with ta;
// B[k,j] at b[k * ldb + j], or b[j * ldb + k] with tb; C row-major with unit column stride.
using GemmPackedF32 = void(bool ta, bool tb, int64_t M, int64_t N, int64_t K, float alpha, const float* a, int64_t lda,
                           const float* b, int64_t ldb, float beta, float* c, int64_t ldc);

// The column matrix of a stride-1 convolution, read where it lies in the zero-padded image it
// comes from (Note [Tap matrices] in cpu/conv_kernels.cpp): element (t, p), tap t at output
// position p, is image[tap[t] + (p / width) * pitch + p % width].
struct TapMatrix {
  const float* image;
  const int64_t* tap;
  int64_t pitch, width;
};

// One thread's float32 product C[M,N] = A B + beta * C (cpu/gemm_packed.inc) with a tap
// matrix as one operand: with dense_is_a, A[i,k] at dense[i * ld + k] and B[k,j] = taps(k, j);
// otherwise A[i,k] = taps(i, k) and B[k,j] at dense[j * ld + k]. C row-major, unit column stride.
using GemmTapsF32 = void(bool dense_is_a, int64_t M, int64_t N, int64_t K, const float* dense, int64_t ld,
                         const TapMatrix& taps, float beta, float* c, int64_t ldc);

// The block of the float32 sum kernels: each block of kSumBlock elements is summed alone and
// the block sums are added in double, in order.
constexpr int64_t kSumBlock = 4096;

// row: where the largest (is_max) or smallest of n contiguous elements is, 1 <= n < 2^31: the
// first NaN if any, else the first occurrence (Note [Arg-extreme lanes] in
// cpu/vec_argscan.inc). cols: the same down each of `cols` contiguous columns of n < 2^31 rows
// `stride` apart, column j's value and row going to val[j] and idx[j].
template <typename T>
struct ArgExtremeKernels {
  int64_t (*row)(const T* x, int64_t n, bool is_max);
  void (*cols)(const T* x, int64_t n, int64_t stride, int64_t cols, bool is_max, T* val, int64_t* idx);
};

struct VecKernels {
  const char* isa;
  // y = op(x) / y = op(a, b) over n contiguous floats.
  void (*unary_f32)(VecUnary, const float* x, float* y, int64_t n, VecMem, float p0, float p1);
  void (*binary_f32)(VecBinary, const float*, const float*, float*, int64_t, float alpha, VecMem);
  // y[i st[0]] = op(a[i st[1]], b[i st[2]], c[i st[3]]) for i in [0, n), strides in elements
  // (contiguous runs take the vector kernels; mem applies to those).
  void (*ternary_f32)(VecTernary, const float* a, const float* b, const float* c, float* y, const int64_t* st, int64_t n,
                      float s, VecMem);
  void (*ternary_f64)(VecTernary, const double* a, const double* b, const double* c, double* y, const int64_t* st,
                      int64_t n, double s);
  // nanToNum over n contiguous elements: y = nan where x is NaN, posinf where +inf, neginf where
  // -inf, else x.
  void (*nan_to_num_f32)(const float* x, float* y, int64_t n, VecMem, float nan, float posinf, float neginf);
  void (*nan_to_num_f64)(const double* x, double* y, int64_t n, double nan, double posinf, double neginf);
  void (*mul_scalar_f32)(const float*, float, float*, int64_t);
  void (*add_scalar_f32)(const float*, float, float*, int64_t);
  // Sum of x / of x^2 over n contiguous floats (block sums of kSumBlock, added in order).
  double (*sum_f32)(const float*, int64_t);
  double (*sumsq_f32)(const float*, int64_t);
  // Product of n contiguous elements, rounded as PyTorch's (Note [Row products]).
  float (*prod_f32)(const float*, int64_t);
  double (*prod_f64)(const double*, int64_t);
  // One contiguous row of (log_)softmax and of its gradient (Note [Softmax rows]).
  void (*softmax_row_f32)(float* o, const float* x, int64_t n, bool log);
  void (*softmax_backward_row_f32)(float* gi, const float* g, const float* y, int64_t n, bool log);
  float (*max_f32)(const float*, int64_t);
  float (*min_f32)(const float*, int64_t);
  // Arg-extremes of float32, float64, int32 and int64 (ArgExtremeKernels).
  ArgExtremeKernels<float> arg_f32;
  ArgExtremeKernels<double> arg_f64;
  ArgExtremeKernels<int32_t> arg_i32;
  ArgExtremeKernels<int64_t> arg_i64;
  // Running sums (prod: products) along `rows` contiguous rows of n floats, each accumulated
  // in double in order, as PyTorch does (Note [Running sums]); and down `cols` contiguous
  // columns of n rows `stride` apart (in x and y alike).
  void (*scan_rows_f32)(const float* x, float* y, int64_t rows, int64_t n, bool prod);
  void (*scan_cols_f32)(const float* x, float* y, int64_t n, int64_t stride, int64_t cols, bool prod);
  // C[0:mr, 0:nr] = alpha * P (accumulate: C += alpha * P), P = sum over kc steps of the outer
  // product of a packed A column (kGemmMR floats) and a packed B row (gemm_nr floats).
  void (*gemm_tile_f32)(int64_t kc, const float* ap, const float* bp, float* c, int64_t ldc, int mr, int nr, float alpha,
                        bool accumulate);
  int gemm_nr;
  // Null at levels without one (only AVX-512 has it).
  GemmDirectF32* gemm_direct_f32;
  // Null at levels without one (only AVX2 has it).
  GemmPackedF32* gemm_packed_f32;
  GemmTapsF32* gemm_taps_f32;  // null with gemm_packed_f32
  // o[i] = x[-i] for i in [0, n), elements of 1, 2, 4 or 8 bytes (reverse_run[k] for 2^k
  // bytes): a run read backwards, as flip's view of a last dim gives it (Note [Reversed runs]).
  void (*reverse_run[4])(void* o, const void* x, int64_t n);
};

// The kernels for this CPU.
const VecKernels& vec();

}  // namespace cpu
}  // namespace tg

// The backend contract: every kernel an op may run, per device. ops/ reaches memory only
// through backend_for(device), so a CUDA backend slots in without touching ops/ or autograd/.
// Kernels receive tensors whose shapes already agree (inputs broadcast to the output's shape
// by stride-0 views) and whose dtypes are the op's compute dtype unless a kernel says otherwise.
#pragma once
#include <vector>

#include "core/conv_geometry.h"
#include "core/optim_params.h"
#include "core/scalar.h"
#include "core/pool_axis.h"
#include "core/tensor_impl.h"

namespace tg {

// The kernel op lists, declared once: the enums below and the name tables the binding
// exports (lib/native.ts builds its opcode maps from them) come from these macros.
#define TG_UNARY_OPS(X)                                                                        \
  X(Neg, neg) X(Abs, abs) X(Sign, sign) X(Exp, exp) X(Log, log) X(Sqrt, sqrt) X(Relu, relu)    \
  X(Sin, sin) X(Cos, cos) X(Tanh, tanh) X(Sigmoid, sigmoid) X(Reciprocal, reciprocal)           \
  X(Square, square)                                                                            \
  X(PowScalar, powScalar)   /* x ** p0 */                                                      \
  X(RPowScalar, rpowScalar) /* p0 ** x */                                                      \
  X(Clamp, clamp)           /* min(max(x, p0), p1), NaN-preserving */                         \
  X(AddScalar, addScalar)   /* x + p0 */                                                       \
  X(MulScalar, mulScalar)   /* x * p0 */                                                       \
  X(Floor, floor) X(Ceil, ceil) X(Round, round) X(Trunc, trunc)                                 \
  /* ---- elementwise family (floating kernels unless noted) */                                \
  X(Exp2, exp2) X(Expm1, expm1) X(Log2, log2) X(Log10, log10) X(Log1p, log1p) X(Rsqrt, rsqrt)   \
  X(Tan, tan) X(Asin, asin) X(Acos, acos) X(Atan, atan) X(Sinh, sinh) X(Cosh, cosh)             \
  X(Asinh, asinh) X(Acosh, acosh) X(Atanh, atanh) X(Erf, erf) X(Erfc, erfc) X(Erfinv, erfinv)   \
  X(Frac, frac) X(LogSigmoid, logSigmoid)                                                      \
  X(LeakyRelu, leakyRelu)   /* x > 0 ? x : p0 * x */                                           \
  X(Elu, elu)               /* p1 * (x > 0 ? x : p0 * (exp(x) - 1)) (elu, selu) */             \
  X(Celu, celu)             /* max(0, x) + min(0, p0 * (exp(x / p0) - 1)) */                  \
  X(Gelu, gelu) X(GeluTanh, geluTanh) X(Silu, silu) X(Mish, mish)                              \
  X(Softplus, softplus)     /* beta = p0, threshold = p1 */                                    \
  X(Hardsigmoid, hardsigmoid) X(Hardswish, hardswish)                                          \
  X(RoundDecimals, roundDecimals) /* round half even at p0 decimals */                         \
  X(NanToNum, nanToNum)     /* NaN -> p0, +inf -> p1, -inf -> p2 */                            \
  X(Logit, logit)           /* log(z / (1 - z)), z = clamp(x, p0, 1 - p0) when p1 != 0 */      \
  X(BitwiseNot, bitwiseNot) /* integers and bool only */

// Add/Sub compute a +/- alpha * b. Ops from Eq on write a bool output.
#define TG_BINARY_OPS(X)                                                                       \
  X(Add, add) X(Sub, sub) X(Mul, mul) X(Div, div) X(Pow, pow) X(Maximum, maximum)              \
  X(Minimum, minimum)                                                                          \
  /* ---- elementwise family */                                                                \
  X(Atan2, atan2) X(Fmax, fmax) X(Fmin, fmin) X(Fmod, fmod) X(Remainder, remainder)            \
  X(Hypot, hypot) X(Copysign, copysign) X(Xlogy, xlogy)                                        \
  X(DivTrunc, divTrunc) X(DivFloor, divFloor) /* integer division for integer dtypes */       \
  X(BitwiseAnd, bitwiseAnd) X(BitwiseOr, bitwiseOr) X(BitwiseXor, bitwiseXor)                 \
  X(ThresholdBackward, thresholdBackward) /* b > 0 ? a : 0 (relu's backward, fused) */         \
  X(GeluBackward, geluBackward) /* a gelu'(b) (gelu's backward, fused; floating) */             \
  X(GeluTanhBackward, geluTanhBackward) /* the same for gelu's tanh form */                     \
  X(Eq, eq) X(Ne, ne) X(Lt, lt) X(Le, le) X(Gt, gt) X(Ge, ge)              \
  X(LogicalAnd, logicalAnd) X(LogicalOr, logicalOr) X(LogicalXor, logicalXor)

// SumSquares (the sum of x^2, for 2-norms) is internal: no binding reaches it.
#define TG_REDUCE_OPS(X) \
  X(Sum, sum) X(Mean, mean) X(Prod, prod) X(Max, max) X(Min, min) X(Any, any) X(All, all) X(SumSquares, sumSquares)

#define TG_ENUM_ENTRY(e, name) e,
enum class UnaryOp : uint8_t { TG_UNARY_OPS(TG_ENUM_ENTRY) };
enum class BinaryOp : uint8_t { TG_BINARY_OPS(TG_ENUM_ENTRY) };
enum class ReduceOp : uint8_t { TG_REDUCE_OPS(TG_ENUM_ENTRY) };
#undef TG_ENUM_ENTRY
inline bool binary_op_returns_bool(BinaryOp op) { return op >= BinaryOp::Eq; }

// The pointwise ops of three tensors, with PyTorch's roundings (cpu/vec_ternary.inc, Note
// [Ternary roundings]): Lerp: lerp(a, b, c), c the weight (c undefined: the number weight s);
// Addcmul: a + s * b * c; Addcdiv: a + s * b / c. Floating dtypes only.
enum class TernaryOp : uint8_t { Lerp, Addcmul, Addcdiv };

// How scatter_dim combines a source element with the destination it lands on.
enum class ScatterMode : int { Assign, Add, Mul, Max, Min };

class Backend {
 public:
  virtual ~Backend() = default;
  virtual void fill(const Tensor& dst, Scalar value) = 0;
  // Strided copy with dtype conversion; src may be a broadcast (stride-0) view, or a view with
  // negative strides (flip's, never seen outside ops/movement.cpp).
  virtual void copy(const Tensor& dst, const Tensor& src) = 0;
  // out may alias in (in-place). p0, p1, p2 are the op's scalar parameters (only nanToNum has a third).
  virtual void unary(UnaryOp op, const Tensor& out, const Tensor& in, double p0, double p1, double p2 = 0) = 0;
  // a, b, out share shape (a/b broadcast); out may alias a. alpha applies to Add/Sub.
  virtual void binary(BinaryOp op, const Tensor& out, const Tensor& a, const Tensor& b, double alpha) = 0;
  // out = op(a, b, c) in one pass; a, b, c share out's dtype and shape (broadcast); out may alias a.
  virtual void ternary(TernaryOp op, const Tensor& out, const Tensor& a, const Tensor& b, const Tensor& c, double s) = 0;
  // out = cond ? a : b, all broadcast to out's shape; cond is bool.
  virtual void where(const Tensor& out, const Tensor& cond, const Tensor& a, const Tensor& b) = 0;
  // out has in's rank with size 1 on every reduced dim (reduce_mask bit d set).
  virtual void reduce(ReduceOp op, const Tensor& out, const Tensor& in, uint64_t reduce_mask) = 0;
  // Along one dim: values and int64 indices of the max/min (first occurrence), keepdim shapes.
  virtual void reduce_arg(ReduceOp op, const Tensor& values, const Tensor& indices, const Tensor& in, int64_t dim) = 0;
  // C = alpha * A @ B + beta * C for 2-D matrices of one floating dtype; any strides.
  virtual void matmul(const Tensor& c, const Tensor& a, const Tensor& b, double alpha, double beta) = 0;
  // dst is contiguous: dst[i] = start + i * step.
  virtual void arange(const Tensor& dst, double start, double step) = 0;
  // Random fills from the default generator.
  virtual void uniform(const Tensor& dst, double lo, double hi) = 0;
  virtual void normal(const Tensor& dst, double mean, double std) = 0;
  virtual void randint(const Tensor& dst, int64_t lo, int64_t hi) = 0;
  // dst_flat[offset + sum_i idx_i * strides_i] += src[idx] for every idx of src (src shape =
  // sizes); dst is contiguous. The backward of as_strided views, overlaps included.
  virtual void scatter_add_strided(const Tensor& dst, const Tensor& src, const Shape& strides, int64_t offset) = 0;
  // Copies n bytes between host memory and dst/src storage (for data() and tensor()).
  virtual void to_host(void* host, const Tensor& src) = 0;       // src contiguous
  virtual void from_host(const Tensor& dst, const void* host) = 0; // dst contiguous

  // ---- movement kernels
  // Writes parts (each of out's dtype, shaped like out but for `dim`) one after another along
  // `dim` of out (contiguous). The default copies each part into its slice of out; the CPU
  // backend writes out's rows in order instead (Note [Cat in one pass]).
  virtual void cat(const Tensor& out, const std::vector<Tensor>& parts, int64_t dim);
  // out[..., j, ...] = in[..., index[j], ...] along dim (index: contiguous int64, in range).
  virtual void select_indices(const Tensor& out, const Tensor& in, int64_t dim, const Tensor& index) = 0;
  // out[..., index[j], ...] += src[..., j, ...] along dim; repeated indices accumulate.
  virtual void add_indices(const Tensor& out, int64_t dim, const Tensor& index, const Tensor& src) = 0;
  // out = in on and below diagonal k of the last two dims (lower), or on and above it, and
  // zero elsewhere: tril / triu. out and in contiguous, of one dtype and shape (dim >= 2).
  virtual void triangle(const Tensor& out, const Tensor& in, int64_t k, bool lower) = 0;
  // ---- nn kernels (csrc/cpu/nn_kernels.h documents each; contiguous operands)
  virtual void softmax(const Tensor& out, const Tensor& in, int64_t dim, bool log) = 0;
  virtual void softmax_backward(const Tensor& grad_in, const Tensor& grad, const Tensor& out, int64_t dim, bool log) = 0;
  virtual void nll_loss(const Tensor& out, const Tensor& total_weight, const Tensor& input, const Tensor& target,
                        const Tensor& weight, int64_t reduction, int64_t ignore_index) = 0;
  virtual void nll_loss_backward(const Tensor& grad_in, const Tensor& grad, const Tensor& target, const Tensor& weight,
                                 int64_t reduction, int64_t ignore_index, const Tensor& total_weight) = 0;

  // ---- reduction kernels (contiguous tensors; all but the scans along the last dim)
  // Running sum (kind 0), prod (1), max (2), min (3) along dim; indices (int64 or undefined)
  // for 2/3.
  virtual void scan(int kind, const Tensor& out, const Tensor& indices, const Tensor& in, int64_t dim) = 0;
  // Stable sort of each row (NaN above every number): values and int64 source indices.
  virtual void sort_last(const Tensor& values, const Tensor& indices, const Tensor& in, bool descending, bool stable) = 0;
  // The k largest (smallest) of each row and their indices into rows of k, sorted (or when
  // !sorted, in any order), picking among ties as PyTorch's CPU topk does.
  virtual void topk_last(const Tensor& values, const Tensor& indices, const Tensor& in, int64_t k, bool largest, bool sorted) = 0;
  // The element at sorted position k (0-based) of each row and its index into rows of 1, as
  // PyTorch's kthvalue picks among ties; median: ties by index, a row with NaN gives its first.
  virtual void kth_last(const Tensor& values, const Tensor& indices, const Tensor& in, int64_t k, bool median) = 0;
  // out[r, j] = in[r, index[r, j]].
  virtual void gather_last(const Tensor& out, const Tensor& in, const Tensor& index) = 0;
  // out[r, index[r, j]] += src[r, j].
  virtual void scatter_add_last(const Tensor& out, const Tensor& index, const Tensor& src) = 0;

  // ---- indexing kernels
  // out[p] = in[p with p[dim] = index[p]] over index's shape (out's shape); index int64, any
  // strides; index values are bounds-checked (negatives wrap) before any read.
  virtual void gather_dim(const Tensor& out, const Tensor& in, int64_t dim, const Tensor& index) = 0;
  // out[p with p[dim] = index[p]] = src[p] (or combined with it by `mode`) over index's shape.
  virtual void scatter_dim(const Tensor& out, int64_t dim, const Tensor& index, const Tensor& src, ScatterMode mode) = 0;
  // The int64 [n, in.dim()] coordinates of in's nonzero elements, row-major; in is contiguous,
  // of 1 or more dims.
  virtual Tensor nonzero(const Tensor& in) = 0;
  // out[i] = insertion point of values[i] in its row of sorted (all contiguous, out int64).
  virtual void searchsorted(const Tensor& out, const Tensor& sorted, const Tensor& values, bool right) = 0;

  // ---- convolution kernels (csrc/cpu/conv_kernels.h documents each; contiguous operands)
  virtual void conv2d(const Tensor& y, const Tensor& x, const Tensor& w, const Tensor& bias, const ConvGeometry& g) = 0;
  virtual void conv2d_input_grad(const Tensor& gx, const Tensor& gy, const Tensor& w, const Tensor& bias,
                                 const ConvGeometry& g) = 0;
  virtual void conv2d_weight_grad(const Tensor& gw, const Tensor& x, const Tensor& gy, const ConvGeometry& g) = 0;
  // ---- optim kernels
  // One optimizer update of param and its state buffers in place (core/optim_params.h names
  // the buffers per kind; unused ones are undefined). All operands contiguous, one floating
  // dtype, same shape; grad is only read.
  virtual void optim_step(const OptimParams& p, const Tensor& param, const Tensor& grad, const Tensor& buf0,
                          const Tensor& buf1, const Tensor& buf2) = 0;
  // ---- pooling kernels (csrc/cpu/pool_kernels.h documents each; contiguous [P, H, W] planes)
  virtual void pool_max(const Tensor& out, const Tensor& indices, const Tensor& in, const PoolAxis& h, const PoolAxis& w) = 0;
  virtual void pool_avg(const Tensor& out, const Tensor& in, const PoolAxis& h, const PoolAxis& w, double divisor_override) = 0;
  virtual void pool_avg_backward(const Tensor& grad_in, const Tensor& grad, const PoolAxis& h, const PoolAxis& w,
                                 double divisor_override) = 0;
  virtual void pool_scatter_add(const Tensor& grad_in, const Tensor& grad, const Tensor& indices) = 0;
  virtual void pool_gather(const Tensor& out, const Tensor& in, const Tensor& indices) = 0;

  // ---- normalization kernels (csrc/cpu/norm_kernels.h documents each; contiguous operands)
  virtual void norm_moments(const Tensor& mean, const Tensor& var, const Tensor& x, bool across_batch) = 0;
  virtual void plane_affine(const Tensor& out, const Tensor& x, const Tensor& scale, const Tensor& shift) = 0;
  virtual void batch_norm_backward(const Tensor& gx, const Tensor& gw, const Tensor& gb, const Tensor& g, const Tensor& x,
                                   const Tensor& mean, const Tensor& rstd, const Tensor& weight, bool training) = 0;
  virtual void layer_norm_rows(const Tensor& out, const Tensor& x, const Tensor& mean, const Tensor& rstd,
                               const Tensor& weight, const Tensor& bias) = 0;
  virtual void layer_norm_backward(const Tensor& gx, const Tensor& gw, const Tensor& gb, const Tensor& g, const Tensor& x,
                                   const Tensor& mean, const Tensor& rstd, const Tensor& weight) = 0;
};

Backend& backend_for(Device d);
// Used by each backend's translation unit to install itself.
void register_backend(DeviceType t, Backend* b);

}  // namespace tg

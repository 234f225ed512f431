// The CPU backend: strided loops with contiguous fast paths (see loops.h), reductions,
// random fills and the gemm entry point (gemm.cpp).
#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <type_traits>
#include "core/backend.h"
#include "core/rng.h"
#include "cpu/erfinv_guess.h"
#include "cpu/gemm.h"
#include "cpu/loops.h"
#include "cpu/movement_kernels.h"
#include "cpu/nn_kernels.h"
#include "cpu/optim_kernels.h"
#include "cpu/norm_kernels.h"
#include "cpu/pool_kernels.h"
#include "cpu/reduce_kernels.h"
#include "cpu/index_kernels.h"
#include "cpu/conv_kernels.h"
#include "cpu/parallel.h"
#include "cpu/vec.h"

namespace tg {
namespace cpu {
namespace {

template <typename T> T c_sign(T x) { return static_cast<T>((T(0) < x) - (x < T(0))); }

// ---- elementwise family: scalar helpers
// erfinv: Giles' single-precision approximation refined by two Newton steps on erf.
template <typename T> T c_erfinv(T y) {
  if (y != y || y < T(-1) || y > T(1)) return std::numeric_limits<T>::quiet_NaN();
  if (y == T(1)) return std::numeric_limits<T>::infinity();
  if (y == T(-1)) return -std::numeric_limits<T>::infinity();
  const double x = static_cast<double>(y);
  double r = erfinv_initial_guess(x);
  for (int i = 0; i < 2; ++i) r -= (std::erf(r) - x) / (2.0 / std::sqrt(M_PI) * std::exp(-r * r));
  return static_cast<T>(r);
}
template <typename T> T c_log_sigmoid(T x) {  // -softplus(-x), stable
  return std::min(x, T(0)) - std::log1p(std::exp(-std::abs(x)));
}
template <typename T> T c_softplus(T x, T beta, T threshold) {
  return x * beta > threshold ? x : std::log1p(std::exp(x * beta)) / beta;
}
// min(max(x + 3, 0), 6), NaN passing; hardsigmoid is it over 6, hardswish x times it over 6
// (HardsigmoidV and HardswishV in cpu/vec_kernels.inc evaluate the same).
template <typename T> T c_hardsigmoid_ramp(T x) { return std::min(std::max(x + T(3), T(0)), T(6)); }
template <typename T> T c_hardsigmoid(T x) { return c_hardsigmoid_ramp(x) / T(6); }
template <typename T> T c_hardswish(T x) { return x * c_hardsigmoid_ramp(x) / T(6); }
template <typename T> T c_mish(T x) { return x * std::tanh(c_softplus(x, T(1), T(20))); }
// The activations with parameters, as functions of x (the float32 vector kernels of
// cpu/vec_kernels.inc, LeakyReluV, EluV and CeluV, evaluate the same expressions).
template <typename T> auto leaky_relu_fn(T slope) {
  return [slope](T x) { return x > T(0) ? x : x * slope; };
}
template <typename T> auto elu_fn(T alpha, T scale) {  // selu is elu with its constants
  return [alpha, scale](T x) { return x > T(0) ? scale * x : scale * alpha * std::expm1(x); };
}
template <typename T> auto celu_fn(T alpha) {
  return [alpha](T x) { return x > T(0) ? x : alpha * std::expm1(x / alpha); };
}
// nanToNum's replacements as selects on values, not branches, so the loops vectorize (the
// float32 vector kernel, NanToNumV in cpu/vec_kernels.inc, makes the same selects).
template <typename T> auto nan_to_num_fn(T nan, T posinf, T neginf) {
  return [nan, posinf, neginf](T x) {
    const T inf = std::numeric_limits<T>::infinity();
    const T r = x == inf ? posinf : x;
    const T s = x == -inf ? neginf : r;
    return x != x ? nan : s;
  };
}
template <typename T> T c_round_decimals(T x, double decimals) {
  bool neg = decimals < 0;
  T ten = static_cast<T>(std::pow(10.0, std::abs(decimals)));
  return neg ? std::nearbyint(x / ten) * ten : std::nearbyint(x * ten) / ten;
}
// log(z / (1 - z)) with z = x, or with clamp, x moved into [eps, 1 - eps] (LogitV computes the same).
template <typename T> T c_logit(T x, T eps, bool clamp) {
  const T z = clamp ? (x < eps ? eps : (x > T(1) - eps ? T(1) - eps : x)) : x;
  return std::log(z / (T(1) - z));
}
// maximum / minimum: NaN from either side, x's first; y where they compare equal (MaximumV, MinimumV).
template <typename T> T c_maximum(T x, T y) { return x != x ? x : (y != y ? y : (x > y ? x : y)); }
template <typename T> T c_minimum(T x, T y) { return x != x ? x : (y != y ? y : (x < y ? x : y)); }
// PyTorch's remainder of floats: fmod, moved by one b where it is nonzero and its sign
// differs from b's (the float32 vector kernel, cpu/vec_binary.inc's RemainderV, computes the same).
template <typename T> T c_remainder(T a, T b) {
  T m = std::fmod(a, b);
  return (m != T(0) && ((b < T(0)) != (m < T(0)))) ? m + b : m;
}
// a log(b), 0 where a is 0 (even for b = 0 or inf), NaN wherever b is NaN (as XlogyV).
template <typename T> T c_xlogy(T a, T b) {
  if (b != b) return b;
  return a == T(0) ? T(0) : a * std::log(b);
}
// Python-style floor division of floats (PyTorch's div_floor_floating).
template <typename T> T c_div_floor(T a, T b) {
  if (b == T(0)) return a / b;
  T mod = std::fmod(a, b);
  T div = (a - mod) / b;
  if (mod != T(0) && ((b < T(0)) != (mod < T(0)))) div -= T(1);
  T fl;
  if (div != T(0)) {
    fl = std::floor(div);
    if (div - fl > T(0.5)) fl += T(1);
  } else {
    fl = std::copysign(T(0), a / b);
  }
  return fl;
}

// Applies f elementwise: out[i] = f(in[i]), with a flat loop when both are contiguous runs.
// Note [Local functor]: the loops call a local copy of f. Through the reference the closure
// could alias the output, so GCC reloaded its captured scalars after every store and
// neither if-converted nor vectorized the loop (leakyRelu over 1M floats took 5.4 ms, a
// mispredicted branch per element).
template <typename TO, typename TI, typename F>
void unary_loop(const Tensor& out, const Tensor& in, F f) {
  for_each_run<2>(out.sizes(), {&out, &in}, [&](std::array<char*, 2> p, std::array<int64_t, 2> s, int64_t n) {
    const F fn = f;
    if (s[0] == sizeof(TO) && s[1] == sizeof(TI)) {
      TO* o = reinterpret_cast<TO*>(p[0]);
      const TI* x = reinterpret_cast<const TI*>(p[1]);
      for (int64_t i = 0; i < n; ++i) o[i] = fn(x[i]);
    } else {
      for (int64_t i = 0; i < n; ++i)
        *reinterpret_cast<TO*>(p[0] + i * s[0]) = fn(*reinterpret_cast<const TI*>(p[1] + i * s[1]));
    }
  });
}

template <typename TO, typename TA, typename TB, typename F>
void binary_loop(const Tensor& out, const Tensor& a, const Tensor& b, F f) {
  for_each_run<3>(out.sizes(), {&out, &a, &b}, [&](std::array<char*, 3> p, std::array<int64_t, 3> s, int64_t n) {
    const F fn = f;  // Note [Local functor]
    TO* o = reinterpret_cast<TO*>(p[0]);
    const TA* x = reinterpret_cast<const TA*>(p[1]);
    const TB* y = reinterpret_cast<const TB*>(p[2]);
    if (s[0] == sizeof(TO) && s[1] == sizeof(TA) && s[2] == sizeof(TB)) {
      for (int64_t i = 0; i < n; ++i) o[i] = fn(x[i], y[i]);
    } else if (s[0] == sizeof(TO) && s[1] == sizeof(TA) && s[2] == 0) {
      const TB yv = *y;
      for (int64_t i = 0; i < n; ++i) o[i] = fn(x[i], yv);
    } else if (s[0] == sizeof(TO) && s[1] == 0 && s[2] == sizeof(TB)) {
      const TA xv = *x;
      for (int64_t i = 0; i < n; ++i) o[i] = fn(xv, y[i]);
    } else {
      for (int64_t i = 0; i < n; ++i)
        *reinterpret_cast<TO*>(p[0] + i * s[0]) =
            fn(*reinterpret_cast<const TA*>(p[1] + i * s[1]), *reinterpret_cast<const TB*>(p[2] + i * s[2]));
    }
  });
}

// Where a float32 elementwise op's operands live (cpu/vec_kernels.inc, Notes [Streaming
// stores] and [DRAM-bound loops]): a result larger than the last-level cache is in DRAM, and
// is written with streaming stores unless it overwrites an input, whose lines the kernel has
// just read anyway.
constexpr int64_t kDramBytes = int64_t(32) << 20;

VecMem result_memory(const Tensor& out, std::initializer_list<const Tensor*> inputs) {
  if (out.numel() * static_cast<int64_t>(dtype_size(out.dtype())) < kDramBytes) return VecMem::Cached;
  for (const Tensor* t : inputs)
    if (t->shares_storage(out)) return VecMem::Dram;
  return VecMem::DramStream;
}

// Like unary_loop on float32 or float64, but contiguous runs go to `contiguous(x, y, n, mem)`, a
// vector kernel of cpu/vec.h; strided runs take `scalar`, which must compute the same values.
template <typename T, typename C, typename F>
void unary_runs(const Tensor& out, const Tensor& in, C contiguous, F scalar) {
  const VecMem mem = result_memory(out, {&in});
  for_each_run<2>(out.sizes(), {&out, &in}, [&](std::array<char*, 2> p, std::array<int64_t, 2> s, int64_t n) {
    if (s[0] == sizeof(T) && s[1] == sizeof(T)) return contiguous(reinterpret_cast<const T*>(p[1]), reinterpret_cast<T*>(p[0]), n, mem);
    for (int64_t i = 0; i < n; ++i) *reinterpret_cast<T*>(p[0] + i * s[0]) = scalar(*reinterpret_cast<const T*>(p[1] + i * s[1]));
  });
}
template <typename F>
void unary_vec_f32(const Tensor& out, const Tensor& in, VecUnary op, F scalar, float p0 = 0, float p1 = 0) {
  unary_runs<float>(
      out, in, [=](const float* x, float* y, int64_t n, VecMem mem) { vec().unary_f32(op, x, y, n, mem, p0, p1); },
      scalar);
}

// gelu's two forms and their derivatives, as PyTorch evaluates them. The float32 vector kernels
// of cpu/vec_kernels.inc reach gelu and its derivative Phi(x) + x phi(x) another way (Note [gelu]:
// without the cancellation below x = -1), so float32's strided runs take those two in float64
// and round once; GeluTanhV and GeluTanhBackwardV evaluate the tanh form's expressions.
template <typename T>
T gelu_value(T x) {
  return T(0.5) * x * (T(1) + std::erf(x * T(M_SQRT1_2)));
}
template <typename T>
T gelu_grad_value(T x) {
  return T(0.5) * (T(1) + std::erf(x * T(M_SQRT1_2))) + x * (std::exp(x * x * T(-0.5)) * T(0.5 * M_2_SQRTPI * M_SQRT1_2));
}
template <typename T>
T gelu_tanh_value(T x) {
  const T k = T(M_SQRT2 * M_2_SQRTPI * 0.5);
  return T(0.5) * x * (T(1) + std::tanh(k * (x + T(0.044715) * x * x * x)));
}
template <typename T>
T gelu_tanh_grad_value(T x) {
  const T k = T(M_SQRT2 * M_2_SQRTPI * 0.5), c = T(0.044715);
  const T t = std::tanh(k * (x + c * x * x * x));
  return (t + T(1)) * T(0.5) + x * T(0.5) * (T(1) - t * t) * ((x * x * (T(3) * c) + T(1)) * k);
}

// clamp's value: lo where x < lo, then hi where that exceeds hi, so hi wins when lo > hi; NaN
// in x passes both comparisons. The float32 vector kernel (cpu/vec_kernels.inc, ClampV)
// computes the same selects.
template <typename T>
inline T clamp_value(T x, T lo, T hi) {
  const T t = x < lo ? lo : x;
  return t > hi ? hi : t;
}

// x * s or x + s on float32: contiguous runs go to the vec kernels (the SGD update's
// grad.mul(lr) is one of these over every parameter).
void scalar_vec_f32(const Tensor& out, const Tensor& in, bool mul, float s) {
  auto contiguous = [=](const float* x, float* y, int64_t n, VecMem) {
    mul ? vec().mul_scalar_f32(x, s, y, n) : vec().add_scalar_f32(x, s, y, n);
  };
  unary_runs<float>(out, in, contiguous, [=](float x) { return mul ? x * s : x + s; });
}

// A float32 run whose output is contiguous and whose K inputs are each contiguous or broadcast
// along it (stride 0: a scalar tensor, or an expanded dim), some broadcast, goes through a
// contiguous vector kernel too: kernel(inputs, y, m) block by block, each broadcast input read
// from a stack block of up to 1024 copies of its value, filled once per run. Returns false,
// doing nothing, for any other run. (p[0], s[0]: the output; byte strides.)
template <int K, typename F>
bool broadcast_blocks_f32(const std::array<char*, K + 1>& p, const std::array<int64_t, K + 1>& s, int64_t n, F kernel) {
  bool any = false;
  for (int k = 1; k <= K; ++k) {
    if (s[k] != 0 && s[k] != 4) return false;
    any = any || s[k] == 0;
  }
  if (s[0] != 4 || !any) return false;
  constexpr int64_t kBlock = 1024;
  float blocks[K][kBlock];
  for (int k = 0; k < K; ++k)
    if (s[k + 1] == 0) std::fill_n(blocks[k], std::min(n, kBlock), *reinterpret_cast<const float*>(p[k + 1]));
  float* o = reinterpret_cast<float*>(p[0]);
  for (int64_t i = 0; i < n; i += kBlock) {
    std::array<const float*, K> in;
    for (int k = 0; k < K; ++k) in[k] = s[k + 1] == 0 ? blocks[k] : reinterpret_cast<const float*>(p[k + 1]) + i;
    kernel(in, o + i, std::min(kBlock, n - i));
  }
  return true;
}

// Binary float32 ops whose contiguous runs go to the vec kernel `vop`, and so do runs against
// broadcast operands (broadcast_blocks_f32; add, sub and mul against one have scalar kernels of
// their own). Other strided runs take `scalar`, which must compute the same values.
template <typename F>
void binary_vec_f32(const Tensor& out, const Tensor& a, const Tensor& b, VecBinary vop, float alpha, F scalar) {
  const VecKernels& v = vec();
  const VecMem mem = result_memory(out, {&a, &b});
  for_each_run<3>(out.sizes(), {&out, &a, &b}, [&](std::array<char*, 3> p, std::array<int64_t, 3> s, int64_t n) {
    float* o = reinterpret_cast<float*>(p[0]);
    const float* x = reinterpret_cast<const float*>(p[1]);
    const float* y = reinterpret_cast<const float*>(p[2]);
    if (s[0] == 4 && s[1] == 4 && s[2] == 4) return v.binary_f32(vop, x, y, o, n, alpha, mem);
    if (s[0] == 4 && s[1] == 4 && s[2] == 0 && (vop == VecBinary::Add || vop == VecBinary::Sub || vop == VecBinary::Mul)) {
      float yv = *y;
      if (vop == VecBinary::Mul) return v.mul_scalar_f32(x, yv, o, n);
      return v.add_scalar_f32(x, vop == VecBinary::Add ? alpha * yv : -alpha * yv, o, n);
    }
    auto blocked = [&](const std::array<const float*, 2>& in, float* y_out, int64_t m) {
      v.binary_f32(vop, in[0], in[1], y_out, m, alpha, mem);
    };
    if (broadcast_blocks_f32<2>(p, s, n, blocked)) return;
    for (int64_t i = 0; i < n; ++i)
      *reinterpret_cast<float*>(p[0] + i * s[0]) =
          scalar(*reinterpret_cast<const float*>(p[1] + i * s[1]), *reinterpret_cast<const float*>(p[2] + i * s[2]));
  });
}

// The ternary ops (backend.h) through the vec kernels of cpu/vec_ternary.inc, which take runs
// of any strides; float32 runs against broadcast operands go through broadcast_blocks_f32.
// Lerp's number weight reads no third tensor: b stands in for it in the loop plan.
void ternary_kernel(TernaryOp op, const Tensor& out, const Tensor& a, const Tensor& b, const Tensor& c, double s) {
  TG_CHECK_DTYPE(is_floating(out.dtype()) && a.dtype() == out.dtype() && b.dtype() == out.dtype() &&
                     (!c.defined() || c.dtype() == out.dtype()),
                 "ternary kernel: expected operands of one floating dtype");
  const VecTernary vop = op == TernaryOp::Addcmul   ? VecTernary::Addcmul
                         : op == TernaryOp::Addcdiv ? VecTernary::Addcdiv
                         : c.defined()              ? VecTernary::Lerp
                                                    : VecTernary::LerpScalar;
  const Tensor& third = c.defined() ? c : b;
  const VecKernels& v = vec();
  if (out.dtype() == DType::Float32) {
    const VecMem mem = result_memory(out, {&a, &b, &third});
    const float sf = static_cast<float>(s);
    for_each_run<4>(out.sizes(), {&out, &a, &b, &third}, [&](std::array<char*, 4> p, std::array<int64_t, 4> st, int64_t n) {
      auto contiguous = [&](const std::array<const float*, 3>& in, float* y, int64_t m) {
        static const int64_t unit[4] = {1, 1, 1, 1};
        v.ternary_f32(vop, in[0], in[1], in[2], y, unit, m, sf, mem);
      };
      if (broadcast_blocks_f32<3>(p, st, n, contiguous)) return;
      const int64_t elems[4] = {st[0] / 4, st[1] / 4, st[2] / 4, st[3] / 4};
      v.ternary_f32(vop, reinterpret_cast<const float*>(p[1]), reinterpret_cast<const float*>(p[2]),
                    reinterpret_cast<const float*>(p[3]), reinterpret_cast<float*>(p[0]), elems, n, sf, mem);
    });
    return;
  }
  for_each_run<4>(out.sizes(), {&out, &a, &b, &third}, [&](std::array<char*, 4> p, std::array<int64_t, 4> st, int64_t n) {
    const int64_t elems[4] = {st[0] / 8, st[1] / 8, st[2] / 8, st[3] / 8};
    v.ternary_f64(vop, reinterpret_cast<const double*>(p[1]), reinterpret_cast<const double*>(p[2]),
                  reinterpret_cast<const double*>(p[3]), reinterpret_cast<double*>(p[0]), elems, n, s);
  });
}

template <typename T>
void unary_typed(UnaryOp op, const Tensor& out, const Tensor& in, double p0, double p1, double p2) {
  using std::abs;
  const T a0 = static_cast<T>(p0), a1 = static_cast<T>(p1), a2 = static_cast<T>(p2);
  if constexpr (std::is_same<T, float>::value) {
    switch (op) {
      case UnaryOp::Exp: return unary_vec_f32(out, in, VecUnary::Exp, [](float x) { return std::exp(x); });
      case UnaryOp::Tanh: return unary_vec_f32(out, in, VecUnary::Tanh, [](float x) { return std::tanh(x); });
      case UnaryOp::Sigmoid:
        return unary_vec_f32(out, in, VecUnary::Sigmoid, [](float x) { return 1.0f / (1.0f + std::exp(-x)); });
      case UnaryOp::Relu: return unary_vec_f32(out, in, VecUnary::Relu, [](float x) { return x < 0.0f ? 0.0f : x; });
      case UnaryOp::Abs: return unary_vec_f32(out, in, VecUnary::Abs, [](float x) { return std::fabs(x); });
      case UnaryOp::Sqrt: return unary_vec_f32(out, in, VecUnary::Sqrt, [](float x) { return std::sqrt(x); });
      case UnaryOp::Log: return unary_vec_f32(out, in, VecUnary::Log, [](float x) { return std::log(x); });
      case UnaryOp::Log2: return unary_vec_f32(out, in, VecUnary::Log2, [](float x) { return std::log2(x); });
      case UnaryOp::Log10: return unary_vec_f32(out, in, VecUnary::Log10, [](float x) { return std::log10(x); });
      case UnaryOp::Exp2: return unary_vec_f32(out, in, VecUnary::Exp2, [](float x) { return std::exp2(x); });
      case UnaryOp::Sin: return unary_vec_f32(out, in, VecUnary::Sin, [](float x) { return std::sin(x); });
      case UnaryOp::Cos: return unary_vec_f32(out, in, VecUnary::Cos, [](float x) { return std::cos(x); });
      case UnaryOp::Erf: return unary_vec_f32(out, in, VecUnary::Erf, [](float x) { return std::erf(x); });
      case UnaryOp::Gelu:
        return unary_vec_f32(out, in, VecUnary::Gelu, [](float x) { return static_cast<float>(gelu_value<double>(x)); });
      case UnaryOp::GeluTanh: return unary_vec_f32(out, in, VecUnary::GeluTanh, [](float x) { return gelu_tanh_value(x); });
      case UnaryOp::Silu: return unary_vec_f32(out, in, VecUnary::Silu, [](float x) { return x / (1.0f + std::exp(-x)); });
      case UnaryOp::Clamp:
        if (std::isnan(a0) || std::isnan(a1)) break;
        return unary_vec_f32(out, in, VecUnary::Clamp, [=](float x) { return clamp_value(x, a0, a1); }, a0, a1);
      case UnaryOp::Expm1: return unary_vec_f32(out, in, VecUnary::Expm1, [](float x) { return std::expm1(x); });
      case UnaryOp::Log1p: return unary_vec_f32(out, in, VecUnary::Log1p, [](float x) { return std::log1p(x); });
      case UnaryOp::LeakyRelu: return unary_vec_f32(out, in, VecUnary::LeakyRelu, leaky_relu_fn(a0), a0);
      case UnaryOp::Elu: return unary_vec_f32(out, in, VecUnary::Elu, elu_fn(a0, a1), a0, a1);
      case UnaryOp::Celu: return unary_vec_f32(out, in, VecUnary::Celu, celu_fn(a0), a0);
      case UnaryOp::Softplus:
        return unary_vec_f32(out, in, VecUnary::Softplus, [=](float x) { return c_softplus(x, a0, a1); }, a0, a1);
      case UnaryOp::LogSigmoid: return unary_vec_f32(out, in, VecUnary::LogSigmoid, [](float x) { return c_log_sigmoid(x); });
      case UnaryOp::Mish: return unary_vec_f32(out, in, VecUnary::Mish, [](float x) { return c_mish(x); });
      case UnaryOp::Neg: return unary_vec_f32(out, in, VecUnary::Neg, [](float x) { return -x; });
      case UnaryOp::Square: return unary_vec_f32(out, in, VecUnary::Square, [](float x) { return x * x; });
      case UnaryOp::Reciprocal: return unary_vec_f32(out, in, VecUnary::Reciprocal, [](float x) { return 1.0f / x; });
      case UnaryOp::Rsqrt: return unary_vec_f32(out, in, VecUnary::Rsqrt, [](float x) { return 1.0f / std::sqrt(x); });
      case UnaryOp::Sign: return unary_vec_f32(out, in, VecUnary::Sign, [](float x) { return c_sign(x); });
      case UnaryOp::Floor: return unary_vec_f32(out, in, VecUnary::Floor, [](float x) { return std::floor(x); });
      case UnaryOp::Ceil: return unary_vec_f32(out, in, VecUnary::Ceil, [](float x) { return std::ceil(x); });
      case UnaryOp::Round: return unary_vec_f32(out, in, VecUnary::Round, [](float x) { return std::nearbyint(x); });
      case UnaryOp::Trunc: return unary_vec_f32(out, in, VecUnary::Trunc, [](float x) { return std::trunc(x); });
      case UnaryOp::Frac: return unary_vec_f32(out, in, VecUnary::Frac, [](float x) { return x - std::trunc(x); });
      case UnaryOp::Hardsigmoid: return unary_vec_f32(out, in, VecUnary::Hardsigmoid, [](float x) { return c_hardsigmoid(x); });
      case UnaryOp::Hardswish: return unary_vec_f32(out, in, VecUnary::Hardswish, [](float x) { return c_hardswish(x); });
      case UnaryOp::Logit:
        return unary_vec_f32(out, in, VecUnary::Logit, [=](float x) { return c_logit(x, a0, p1 != 0); }, a0, p1 != 0 ? 1 : 0);
      case UnaryOp::Tan: return unary_vec_f32(out, in, VecUnary::Tan, [](float x) { return std::tan(x); });
      case UnaryOp::Atan: return unary_vec_f32(out, in, VecUnary::Atan, [](float x) { return std::atan(x); });
      case UnaryOp::Asin: return unary_vec_f32(out, in, VecUnary::Asin, [](float x) { return std::asin(x); });
      case UnaryOp::Acos: return unary_vec_f32(out, in, VecUnary::Acos, [](float x) { return std::acos(x); });
      case UnaryOp::Sinh: return unary_vec_f32(out, in, VecUnary::Sinh, [](float x) { return std::sinh(x); });
      case UnaryOp::Cosh: return unary_vec_f32(out, in, VecUnary::Cosh, [](float x) { return std::cosh(x); });
      case UnaryOp::Atanh: return unary_vec_f32(out, in, VecUnary::Atanh, [](float x) { return std::atanh(x); });
      case UnaryOp::Asinh: return unary_vec_f32(out, in, VecUnary::Asinh, [](float x) { return std::asinh(x); });
      case UnaryOp::Acosh: return unary_vec_f32(out, in, VecUnary::Acosh, [](float x) { return std::acosh(x); });
      case UnaryOp::Erfc: return unary_vec_f32(out, in, VecUnary::Erfc, [](float x) { return std::erfc(x); });
      case UnaryOp::Erfinv: return unary_vec_f32(out, in, VecUnary::Erfinv, [](float x) { return c_erfinv(x); });
      case UnaryOp::MulScalar: return scalar_vec_f32(out, in, true, a0);
      case UnaryOp::AddScalar: return scalar_vec_f32(out, in, false, a0);
      default: break;
    }
  }
  switch (op) {
    case UnaryOp::Neg: return unary_loop<T, T>(out, in, [](T x) { return static_cast<T>(-x); });
    // Floats: fabs, so abs(-0.0) is +0.0 as in PyTorch.
    case UnaryOp::Abs:
      if constexpr (std::is_floating_point<T>::value) return unary_loop<T, T>(out, in, [](T x) { return std::fabs(x); });
      else return unary_loop<T, T>(out, in, [](T x) { return x < T(0) ? static_cast<T>(-x) : x; });
    case UnaryOp::Sign: return unary_loop<T, T>(out, in, [](T x) { return c_sign(x); });
    case UnaryOp::Square: return unary_loop<T, T>(out, in, [](T x) { return static_cast<T>(x * x); });
    // Like PyTorch: NaN and -0.0 pass through.
    case UnaryOp::Relu: return unary_loop<T, T>(out, in, [](T x) { return x < T(0) ? T(0) : x; });
    case UnaryOp::AddScalar: return unary_loop<T, T>(out, in, [a0](T x) { return static_cast<T>(x + a0); });
    case UnaryOp::MulScalar: return unary_loop<T, T>(out, in, [a0](T x) { return static_cast<T>(x * a0); });
    case UnaryOp::Clamp:
      // min(max(x, lo), hi) as in PyTorch: hi wherever lo > hi; NaN in x or in a bound gives
      // NaN. Pure selects, so the loop vectorizes.
      if constexpr (std::is_floating_point<T>::value)
        if (std::isnan(a0) || std::isnan(a1)) return unary_loop<T, T>(out, in, [](T) { return std::numeric_limits<T>::quiet_NaN(); });
      return unary_loop<T, T>(out, in, [a0, a1](T x) { return clamp_value(x, a0, a1); });
    default: break;
  }
  if constexpr (std::is_floating_point<T>::value) {
    switch (op) {
      case UnaryOp::Exp: return unary_loop<T, T>(out, in, [](T x) { return std::exp(x); });
      case UnaryOp::Log: return unary_loop<T, T>(out, in, [](T x) { return std::log(x); });
      case UnaryOp::Sqrt: return unary_loop<T, T>(out, in, [](T x) { return std::sqrt(x); });
      case UnaryOp::Sin: return unary_loop<T, T>(out, in, [](T x) { return std::sin(x); });
      case UnaryOp::Cos: return unary_loop<T, T>(out, in, [](T x) { return std::cos(x); });
      case UnaryOp::Tanh: return unary_loop<T, T>(out, in, [](T x) { return std::tanh(x); });
      case UnaryOp::Sigmoid: return unary_loop<T, T>(out, in, [](T x) { return T(1) / (T(1) + std::exp(-x)); });
      case UnaryOp::Reciprocal: return unary_loop<T, T>(out, in, [](T x) { return T(1) / x; });
      case UnaryOp::PowScalar:
        // PyTorch's special exponents (the same roundings as its pow kernel): 1 is a copy, and
        // pow's backward takes x^(e-1), so x^2 costs x^1 in its backward.
        if (p0 == 1) return unary_loop<T, T>(out, in, [](T x) { return x; });
        if (p0 == 2) return unary_loop<T, T>(out, in, [](T x) { return x * x; });
        if (p0 == 3) return unary_loop<T, T>(out, in, [](T x) { return x * x * x; });
        if (p0 == 0.5) return unary_loop<T, T>(out, in, [](T x) { return std::sqrt(x); });
        if (p0 == -0.5) return unary_loop<T, T>(out, in, [](T x) { return T(1) / std::sqrt(x); });
        if (p0 == -1) return unary_loop<T, T>(out, in, [](T x) { return T(1) / x; });
        if (p0 == -2) return unary_loop<T, T>(out, in, [](T x) { return T(1) / (x * x); });
        if constexpr (std::is_same<T, float>::value)
          return unary_vec_f32(out, in, VecUnary::PowScalar, [a0](float x) { return std::pow(x, a0); }, a0);
        return unary_loop<T, T>(out, in, [a0](T x) { return std::pow(x, a0); });
      case UnaryOp::RPowScalar:
        if constexpr (std::is_same<T, float>::value)
          return unary_vec_f32(out, in, VecUnary::RPowScalar, [a0](float x) { return std::pow(a0, x); }, a0);
        return unary_loop<T, T>(out, in, [a0](T x) { return std::pow(a0, x); });
      case UnaryOp::Floor: return unary_loop<T, T>(out, in, [](T x) { return std::floor(x); });
      case UnaryOp::Ceil: return unary_loop<T, T>(out, in, [](T x) { return std::ceil(x); });
      case UnaryOp::Round: return unary_loop<T, T>(out, in, [](T x) { return std::nearbyint(x); });
      case UnaryOp::Trunc: return unary_loop<T, T>(out, in, [](T x) { return std::trunc(x); });
      // ---- elementwise family
      case UnaryOp::Exp2: return unary_loop<T, T>(out, in, [](T x) { return std::exp2(x); });
      case UnaryOp::Expm1: return unary_loop<T, T>(out, in, [](T x) { return std::expm1(x); });
      case UnaryOp::Log2: return unary_loop<T, T>(out, in, [](T x) { return std::log2(x); });
      case UnaryOp::Log10: return unary_loop<T, T>(out, in, [](T x) { return std::log10(x); });
      case UnaryOp::Log1p: return unary_loop<T, T>(out, in, [](T x) { return std::log1p(x); });
      case UnaryOp::Rsqrt: return unary_loop<T, T>(out, in, [](T x) { return T(1) / std::sqrt(x); });
      case UnaryOp::Tan: return unary_loop<T, T>(out, in, [](T x) { return std::tan(x); });
      case UnaryOp::Asin: return unary_loop<T, T>(out, in, [](T x) { return std::asin(x); });
      case UnaryOp::Acos: return unary_loop<T, T>(out, in, [](T x) { return std::acos(x); });
      case UnaryOp::Atan: return unary_loop<T, T>(out, in, [](T x) { return std::atan(x); });
      case UnaryOp::Sinh: return unary_loop<T, T>(out, in, [](T x) { return std::sinh(x); });
      case UnaryOp::Cosh: return unary_loop<T, T>(out, in, [](T x) { return std::cosh(x); });
      case UnaryOp::Asinh: return unary_loop<T, T>(out, in, [](T x) { return std::asinh(x); });
      case UnaryOp::Acosh: return unary_loop<T, T>(out, in, [](T x) { return std::acosh(x); });
      case UnaryOp::Atanh: return unary_loop<T, T>(out, in, [](T x) { return std::atanh(x); });
      case UnaryOp::Erf: return unary_loop<T, T>(out, in, [](T x) { return std::erf(x); });
      case UnaryOp::Erfc: return unary_loop<T, T>(out, in, [](T x) { return std::erfc(x); });
      case UnaryOp::Erfinv: return unary_loop<T, T>(out, in, [](T x) { return c_erfinv(x); });
      case UnaryOp::Frac: return unary_loop<T, T>(out, in, [](T x) { return x - std::trunc(x); });
      case UnaryOp::LogSigmoid: return unary_loop<T, T>(out, in, [](T x) { return c_log_sigmoid(x); });
      case UnaryOp::LeakyRelu: return unary_loop<T, T>(out, in, leaky_relu_fn(a0));
      case UnaryOp::Elu: return unary_loop<T, T>(out, in, elu_fn(a0, a1));
      case UnaryOp::Celu: return unary_loop<T, T>(out, in, celu_fn(a0));
      case UnaryOp::Gelu: return unary_loop<T, T>(out, in, [](T x) { return gelu_value(x); });
      case UnaryOp::GeluTanh: return unary_loop<T, T>(out, in, [](T x) { return gelu_tanh_value(x); });
      case UnaryOp::Silu: return unary_loop<T, T>(out, in, [](T x) { return x / (T(1) + std::exp(-x)); });
      case UnaryOp::Mish: return unary_loop<T, T>(out, in, [](T x) { return c_mish(x); });
      case UnaryOp::Softplus: return unary_loop<T, T>(out, in, [a0, a1](T x) { return c_softplus(x, a0, a1); });
      case UnaryOp::Hardsigmoid: return unary_loop<T, T>(out, in, [](T x) { return c_hardsigmoid(x); });
      case UnaryOp::Hardswish: return unary_loop<T, T>(out, in, [](T x) { return c_hardswish(x); });
      case UnaryOp::RoundDecimals: return unary_loop<T, T>(out, in, [p0](T x) { return c_round_decimals(x, p0); });
      case UnaryOp::NanToNum: {
        auto contiguous = [=](const T* x, T* y, int64_t n, VecMem mem) {
          if constexpr (std::is_same<T, float>::value) vec().nan_to_num_f32(x, y, n, mem, a0, a1, a2);
          else vec().nan_to_num_f64(x, y, n, a0, a1, a2);
        };
        return unary_runs<T>(out, in, contiguous, nan_to_num_fn(a0, a1, a2));
      }
      case UnaryOp::Logit: return unary_loop<T, T>(out, in, [a0, p1](T x) { return c_logit(x, a0, p1 != 0); });
      default: break;
    }
  } else {
    if (op == UnaryOp::BitwiseNot) {
      if constexpr (std::is_same<T, bool>::value) return unary_loop<T, T>(out, in, [](T x) { return !x; });
      else return unary_loop<T, T>(out, in, [](T x) { return static_cast<T>(~x); });
    }
    switch (op) {
      case UnaryOp::PowScalar:
        return unary_loop<T, T>(out, in, [p0](T x) {
          int64_t e = static_cast<int64_t>(p0), r = 1, b = static_cast<int64_t>(x);
          for (; e > 0; e >>= 1, b *= b) if (e & 1) r *= b;
          return static_cast<T>(r);
        });
      case UnaryOp::Floor: case UnaryOp::Ceil: case UnaryOp::Round: case UnaryOp::Trunc:
        return unary_loop<T, T>(out, in, [](T x) { return x; });
      default: break;
    }
  }
  fail(ErrorKind::DType, "unary op ", static_cast<int>(op), " is not implemented for ", dtype_name(dtype_of<T>()));
}

template <typename T>
void binary_typed(BinaryOp op, const Tensor& out, const Tensor& a, const Tensor& b, double alpha) {
  const T al = static_cast<T>(alpha);
  if constexpr (std::is_same<T, float>::value) {
    switch (op) {
      case BinaryOp::Add: return binary_vec_f32(out, a, b, VecBinary::Add, al, [al](float x, float y) { return x + al * y; });
      case BinaryOp::Sub: return binary_vec_f32(out, a, b, VecBinary::Sub, al, [al](float x, float y) { return x - al * y; });
      case BinaryOp::Mul: return binary_vec_f32(out, a, b, VecBinary::Mul, al, [](float x, float y) { return x * y; });
      case BinaryOp::Div: return binary_vec_f32(out, a, b, VecBinary::Div, al, [](float x, float y) { return x / y; });
      case BinaryOp::ThresholdBackward:
        return binary_vec_f32(out, a, b, VecBinary::ReluBackward, al, [](float x, float y) { return y > 0.0f ? x : 0.0f; });
      case BinaryOp::Maximum: return binary_vec_f32(out, a, b, VecBinary::Maximum, al, c_maximum<float>);
      case BinaryOp::Minimum: return binary_vec_f32(out, a, b, VecBinary::Minimum, al, c_minimum<float>);
      case BinaryOp::Fmod: return binary_vec_f32(out, a, b, VecBinary::Fmod, al, [](float x, float y) { return std::fmod(x, y); });
      case BinaryOp::Remainder: return binary_vec_f32(out, a, b, VecBinary::Remainder, al, c_remainder<float>);
      case BinaryOp::Xlogy: return binary_vec_f32(out, a, b, VecBinary::Xlogy, al, c_xlogy<float>);
      case BinaryOp::DivTrunc: return binary_vec_f32(out, a, b, VecBinary::DivTrunc, al, [](float x, float y) { return std::trunc(x / y); });
      case BinaryOp::DivFloor: return binary_vec_f32(out, a, b, VecBinary::DivFloor, al, c_div_floor<float>);
      case BinaryOp::Pow: return binary_vec_f32(out, a, b, VecBinary::Pow, al, [](float x, float y) { return std::pow(x, y); });
      case BinaryOp::Atan2: return binary_vec_f32(out, a, b, VecBinary::Atan2, al, [](float y, float x) { return std::atan2(y, x); });
      case BinaryOp::Hypot: return binary_vec_f32(out, a, b, VecBinary::Hypot, al, [](float x, float y) { return std::hypot(x, y); });
      case BinaryOp::GeluBackward:
        return binary_vec_f32(out, a, b, VecBinary::GeluBackward, al,
                              [](float g, float x) { return static_cast<float>(g * gelu_grad_value<double>(x)); });
      case BinaryOp::GeluTanhBackward:
        return binary_vec_f32(out, a, b, VecBinary::GeluTanhBackward, al, [](float g, float x) { return g * gelu_tanh_grad_value(x); });
      default: break;
    }
  }
  switch (op) {
    case BinaryOp::Add:
      if (alpha == 1) return binary_loop<T, T, T>(out, a, b, [](T x, T y) { return static_cast<T>(x + y); });
      return binary_loop<T, T, T>(out, a, b, [al](T x, T y) { return static_cast<T>(x + al * y); });
    case BinaryOp::Sub:
      if (alpha == 1) return binary_loop<T, T, T>(out, a, b, [](T x, T y) { return static_cast<T>(x - y); });
      return binary_loop<T, T, T>(out, a, b, [al](T x, T y) { return static_cast<T>(x - al * y); });
    case BinaryOp::Mul: return binary_loop<T, T, T>(out, a, b, [](T x, T y) { return static_cast<T>(x * y); });
    case BinaryOp::Div:
      if constexpr (std::is_floating_point<T>::value)
        return binary_loop<T, T, T>(out, a, b, [](T x, T y) { return x / y; });
      break;
    case BinaryOp::Pow:
      if constexpr (std::is_floating_point<T>::value)
        return binary_loop<T, T, T>(out, a, b, [](T x, T y) { return std::pow(x, y); });
      break;
    case BinaryOp::ThresholdBackward:
      return binary_loop<T, T, T>(out, a, b, [](T x, T y) { return y > T(0) ? x : T(0); });
    case BinaryOp::Maximum: return binary_loop<T, T, T>(out, a, b, c_maximum<T>);
    case BinaryOp::Minimum: return binary_loop<T, T, T>(out, a, b, c_minimum<T>);
    case BinaryOp::Eq: return binary_loop<bool, T, T>(out, a, b, [](T x, T y) { return x == y; });
    case BinaryOp::Ne: return binary_loop<bool, T, T>(out, a, b, [](T x, T y) { return x != y; });
    case BinaryOp::Lt: return binary_loop<bool, T, T>(out, a, b, [](T x, T y) { return x < y; });
    case BinaryOp::Le: return binary_loop<bool, T, T>(out, a, b, [](T x, T y) { return x <= y; });
    case BinaryOp::Gt: return binary_loop<bool, T, T>(out, a, b, [](T x, T y) { return x > y; });
    case BinaryOp::Ge: return binary_loop<bool, T, T>(out, a, b, [](T x, T y) { return x >= y; });
    // & and | rather than && and ||: no branch per element (on random masks they mispredicted).
    case BinaryOp::LogicalAnd: return binary_loop<bool, T, T>(out, a, b, [](T x, T y) { return (x != T(0)) & (y != T(0)); });
    case BinaryOp::LogicalOr: return binary_loop<bool, T, T>(out, a, b, [](T x, T y) { return (x != T(0)) | (y != T(0)); });
    case BinaryOp::LogicalXor:
      return binary_loop<bool, T, T>(out, a, b, [](T x, T y) { return (x != T(0)) != (y != T(0)); });
    // ---- elementwise family
    case BinaryOp::Fmax:
      return binary_loop<T, T, T>(out, a, b, [](T x, T y) { return x != x ? y : (y != y ? x : (x > y ? x : y)); });
    case BinaryOp::Fmin:
      return binary_loop<T, T, T>(out, a, b, [](T x, T y) { return x != x ? y : (y != y ? x : (x < y ? x : y)); });
    default: break;
  }
  if constexpr (std::is_floating_point<T>::value) {
    switch (op) {
      case BinaryOp::Atan2: return binary_loop<T, T, T>(out, a, b, [](T x, T y) { return std::atan2(x, y); });
      case BinaryOp::Fmod: return binary_loop<T, T, T>(out, a, b, [](T x, T y) { return std::fmod(x, y); });
      case BinaryOp::Remainder: return binary_loop<T, T, T>(out, a, b, [](T x, T y) { return c_remainder(x, y); });
      case BinaryOp::Hypot: return binary_loop<T, T, T>(out, a, b, [](T x, T y) { return std::hypot(x, y); });
      case BinaryOp::Copysign: return binary_loop<T, T, T>(out, a, b, [](T x, T y) { return std::copysign(x, y); });
      case BinaryOp::Xlogy: return binary_loop<T, T, T>(out, a, b, [](T x, T y) { return c_xlogy(x, y); });
      case BinaryOp::DivTrunc: return binary_loop<T, T, T>(out, a, b, [](T x, T y) { return std::trunc(x / y); });
      case BinaryOp::DivFloor: return binary_loop<T, T, T>(out, a, b, [](T x, T y) { return c_div_floor(x, y); });
      case BinaryOp::GeluBackward: return binary_loop<T, T, T>(out, a, b, [](T g, T x) { return g * gelu_grad_value(x); });
      case BinaryOp::GeluTanhBackward:
        return binary_loop<T, T, T>(out, a, b, [](T g, T x) { return g * gelu_tanh_grad_value(x); });
      default: break;
    }
  } else if constexpr (!std::is_same<T, bool>::value) {
    // Integer kernels; the op checked that no divisor is zero. A divisor of -1 is handled
    // apart: INT_MIN / -1 traps on x86 (the quotient wraps, as in PyTorch).
    using U = typename std::make_unsigned<T>::type;
    auto neg_wrap = [](T x) { return static_cast<T>(U(0) - static_cast<U>(x)); };
    auto minus_one = [](T y) { return std::is_signed<T>::value && y == static_cast<T>(-1); };
    switch (op) {
      case BinaryOp::Fmod:
        return binary_loop<T, T, T>(out, a, b, [=](T x, T y) { return minus_one(y) ? T(0) : static_cast<T>(x % y); });
      case BinaryOp::Remainder:
        return binary_loop<T, T, T>(out, a, b, [=](T x, T y) {
          if (minus_one(y)) return T(0);
          T m = static_cast<T>(x % y);
          return (m != 0 && ((y < 0) != (m < 0))) ? static_cast<T>(m + y) : m;
        });
      case BinaryOp::DivTrunc:
        return binary_loop<T, T, T>(out, a, b, [=](T x, T y) { return minus_one(y) ? neg_wrap(x) : static_cast<T>(x / y); });
      case BinaryOp::DivFloor:
        return binary_loop<T, T, T>(out, a, b, [=](T x, T y) {
          if (minus_one(y)) return neg_wrap(x);
          T q = static_cast<T>(x / y);
          return (x % y != 0 && ((x < 0) != (y < 0))) ? static_cast<T>(q - 1) : q;
        });
      case BinaryOp::BitwiseAnd: return binary_loop<T, T, T>(out, a, b, [](T x, T y) { return static_cast<T>(x & y); });
      case BinaryOp::BitwiseOr: return binary_loop<T, T, T>(out, a, b, [](T x, T y) { return static_cast<T>(x | y); });
      case BinaryOp::BitwiseXor: return binary_loop<T, T, T>(out, a, b, [](T x, T y) { return static_cast<T>(x ^ y); });
      default: break;
    }
  } else {
    switch (op) {
      case BinaryOp::BitwiseAnd: return binary_loop<T, T, T>(out, a, b, [](T x, T y) { return x && y; });
      case BinaryOp::BitwiseOr: return binary_loop<T, T, T>(out, a, b, [](T x, T y) { return x || y; });
      case BinaryOp::BitwiseXor: return binary_loop<T, T, T>(out, a, b, [](T x, T y) { return x != y; });
      default: break;
    }
  }
  fail(ErrorKind::DType, "binary op ", static_cast<int>(op), " is not implemented for ", dtype_name(dtype_of<T>()));
}

// Accumulator type for sums: double for floats keeps float32 sums accurate.
template <typename T> struct Acc { using type = double; };
template <> struct Acc<int32_t> { using type = int64_t; };
template <> struct Acc<int64_t> { using type = int64_t; };
template <> struct Acc<uint8_t> { using type = int64_t; };
template <> struct Acc<bool> { using type = int64_t; };
// Products accumulate in the element type for floats (as PyTorch's do, Note [Row products] in
// cpu/vec_kernels.inc) and in int64 for integers and bool.
template <typename T> using ProdAcc = std::conditional_t<std::is_floating_point<T>::value, T, typename Acc<T>::type>;

// Splits in's dims into kept (outer) and reduced (inner) groups. The reduction loop walks
// the reduced dims with an odometer; the kept dims walk out and in together.
struct ReducePlan {
  Shape kept_sizes, kept_in_strides, kept_out_strides;
  Shape red_sizes, red_strides;
  int64_t red_numel = 1;
};

ReducePlan plan_reduce(const Tensor& out, const Tensor& in, uint64_t mask) {
  ReducePlan p;
  int64_t prev_reduced = -2;
  for (int64_t d = 0; d < in.dim(); ++d) {
    if (mask >> d & 1) {
      p.red_numel *= in.size(d);
      if (in.size(d) == 1) continue;
      // Merge with the previous reduced dim when they are contiguous to each other.
      if (!p.red_sizes.empty() && prev_reduced == d - 1 && p.red_strides.back() == in.stride(d) * in.size(d)) {
        p.red_sizes.back() *= in.size(d);
        p.red_strides.back() = in.stride(d);
      } else {
        p.red_sizes.push_back(in.size(d));
        p.red_strides.push_back(in.stride(d));
      }
      prev_reduced = d;
    } else {
      p.kept_sizes.push_back(in.size(d));
      p.kept_in_strides.push_back(in.stride(d));
      p.kept_out_strides.push_back(out.stride(d));
    }
  }
  return p;
}

template <typename Visit>
void odometer(const Shape& sizes, const Shape& strides_a, const Shape* strides_b, Visit visit) {
  int64_t n = numel_of(sizes);
  const int nd = static_cast<int>(sizes.size());
  int64_t idx[64] = {0};
  int64_t oa = 0, ob = 0;
  for (int64_t i = 0; i < n; ++i) {
    visit(oa, ob);
    for (int d = nd - 1; d >= 0; --d) {
      if (++idx[d] < sizes[d]) {
        oa += strides_a[d];
        if (strides_b) ob += (*strides_b)[d];
        break;
      }
      oa -= strides_a[d] * (sizes[d] - 1);
      if (strides_b) ob -= (*strides_b)[d] * (sizes[d] - 1);
      idx[d] = 0;
    }
  }
}

// The odometer restricted to linear positions [begin, end) of `sizes`.
template <typename Visit>
void odometer_range(const Shape& sizes, const Shape& sa, const Shape& sb, int64_t begin, int64_t end, Visit visit) {
  const int nd = static_cast<int>(sizes.size());
  int64_t idx[64] = {0};
  int64_t oa = 0, ob = 0, rest = begin;
  for (int d = nd - 1; d >= 0; --d) {
    idx[d] = rest % sizes[d];
    rest /= sizes[d];
    oa += idx[d] * sa[d];
    ob += idx[d] * sb[d];
  }
  for (int64_t i = begin; i < end; ++i) {
    visit(oa, ob);
    for (int d = nd - 1; d >= 0; --d) {
      if (++idx[d] < sizes[d]) {
        oa += sa[d];
        ob += sb[d];
        break;
      }
      oa -= sa[d] * (sizes[d] - 1);
      ob -= sb[d] * (sizes[d] - 1);
      idx[d] = 0;
    }
  }
}

// Note [Parallel row sums]: vec().sum_f32 sums a contiguous float32 row in blocks of kSumBlock
// and adds the block sums in double, in order. A row long enough for two threads (a full
// sum, a loss's mean, a 2-norm) has its blocks summed on the pool and added afterwards in the
// same order: bit for bit the one-thread sum, at any thread count.
double sum_row_f32(const float* x, int64_t n, bool square) {
  double (*const sum_block)(const float*, int64_t) = square ? vec().sumsq_f32 : vec().sum_f32;
  const int64_t blocks = (n + kSumBlock - 1) / kSumBlock;
  const int64_t grain = kElementwiseGrain / kSumBlock;
  if (blocks < 2 * grain || get_num_threads() <= 1) return sum_block(x, n);
  std::vector<double> part(static_cast<size_t>(blocks));
  parallel_for(0, blocks, grain, [&](int64_t b, int64_t e) {
    for (int64_t k = b; k < e; ++k) part[k] = sum_block(x + k * kSumBlock, std::min(kSumBlock, n - k * kSumBlock));
  });
  double total = 0;
  for (double s : part) total += s;
  return total;
}

// Note [Column reductions]: summing (or multiplying) the leading dims of a contiguous tensor
// (a bias gradient's sum(0)) adds whole rows into per-column accumulators, instead of walking
// each column with a stride. Products run down each column in order, in ProdAcc<T>: PyTorch's
// outer reduction, bit for bit. Returns false when the layout is not of that form.
template <typename T>
bool reduce_leading(ReduceOp op, const Tensor& out, const Tensor& in, uint64_t mask) {
  using A = typename Acc<T>::type;
  if ((op != ReduceOp::Sum && op != ReduceOp::Mean && op != ReduceOp::SumSquares && op != ReduceOp::Prod) ||
      !in.is_contiguous() || !out.is_contiguous())
    return false;
  const bool square = op == ReduceOp::SumSquares;
  int64_t r = 0;
  while (r < in.dim() && (mask >> r & 1)) ++r;
  if (r == 0 || r >= in.dim() || mask != ((uint64_t(1) << r) - 1)) return false;
  int64_t R = 1;
  for (int64_t d = 0; d < r; ++d) R *= in.size(d);
  const int64_t K = in.numel() / R;
  const T* src = in.data<T>();
  const double scale = op == ReduceOp::Mean ? 1.0 / static_cast<double>(R) : 1.0;
  dispatch_all(out.dtype(), [&](auto tag) {
    using O = TG_TYPE(tag);
    O* dst = out.data<O>();
    parallel_for(0, K, std::max<int64_t>(64, kElementwiseGrain / std::max<int64_t>(1, R)), [&](int64_t b, int64_t e) {
      if (op == ReduceOp::Prod) {
        using P = ProdAcc<T>;
        std::vector<P> prod(static_cast<size_t>(e - b), P(1));
        for (int64_t i = 0; i < R; ++i) {
          const T* row = src + i * K + b;
          for (int64_t j = 0; j < e - b; ++j) prod[j] *= static_cast<P>(row[j]);
        }
        for (int64_t j = b; j < e; ++j) dst[j] = static_cast<O>(prod[j - b]);
        return;
      }
      std::vector<A> acc(static_cast<size_t>(e - b), A(0));
      if constexpr (std::is_same<T, float>::value) {
        // Blocks of kBlock rows add in float (auto-vectorized for this file's baseline ISA;
        // the vec kernels' add was no faster at 256x512 and 30% slower for 100-wide rows,
        // per-call cost), and the block sums in double: float32 error grows with kBlock, not R.
        constexpr int64_t kBlock = 32;
        std::vector<float> part(static_cast<size_t>(e - b));
        for (int64_t i0 = 0; i0 < R; i0 += kBlock) {
          std::fill(part.begin(), part.end(), 0.0f);
          for (int64_t i = i0; i < std::min(R, i0 + kBlock); ++i) {
            const float* row = src + i * K + b;
            if (square) for (int64_t j = 0; j < e - b; ++j) part[j] += row[j] * row[j];
            else for (int64_t j = 0; j < e - b; ++j) part[j] += row[j];
          }
          for (int64_t j = 0; j < e - b; ++j) acc[j] += static_cast<A>(part[j]);
        }
      } else {
        for (int64_t i = 0; i < R; ++i) {
          const T* row = src + i * K + b;
          for (int64_t j = 0; j < e - b; ++j) acc[j] += static_cast<A>(square ? row[j] * row[j] : row[j]);
        }
      }
      for (int64_t j = b; j < e; ++j) {
        double v = static_cast<double>(acc[j - b]);
        dst[j] = static_cast<O>(op == ReduceOp::Mean ? v * scale : v);
      }
    });
  });
  return true;
}

// The vec kernel that reduces one contiguous row of T to a T, where there is one: products, and
// float32 max and min; null otherwise.
template <typename T>
T (*row_kernel(ReduceOp op))(const T*, int64_t) {
  if constexpr (std::is_same<T, float>::value) {
    if (op == ReduceOp::Prod) return vec().prod_f32;
    if (op == ReduceOp::Max) return vec().max_f32;
    if (op == ReduceOp::Min) return vec().min_f32;
  }
  if constexpr (std::is_same<T, double>::value)
    if (op == ReduceOp::Prod) return vec().prod_f64;
  return nullptr;
}

template <typename T>
void reduce_typed(ReduceOp op, const Tensor& out, const Tensor& in, uint64_t mask) {
  using A = typename Acc<T>::type;
  if (reduce_leading<T>(op, out, in, mask)) return;
  ReducePlan p = plan_reduce(out, in, mask);
  const T* src = in.data<T>();
  // Output dtype: bool for Any/All, else T (mean on floats only).
  const bool contiguous_rows = p.red_sizes.size() == 1 && p.red_strides[0] == 1;
  // Float32 sums whose innermost reduced dim is a unit-stride run (a bias gradient's sum over
  // dims (0, 2, 3)) add whole runs through the row kernel, the outer reduced dims by odometer:
  // a sum over (0, 2, 3) of [32, 32, 32, 32] took 1470 µs element by element, 76 by runs.
  const bool float_runs = std::is_same<T, float>::value && p.red_sizes.size() > 1 && p.red_strides.back() == 1 &&
                          p.red_sizes.back() >= 16;
  Shape outer_sizes, outer_strides;  // the reduced dims around the runs
  if (float_runs) {
    outer_sizes.assign(p.red_sizes.begin(), p.red_sizes.end() - 1);
    outer_strides.assign(p.red_strides.begin(), p.red_strides.end() - 1);
  }
  auto reduce_one = [&](int64_t in_off) -> double {
    const T* base = src + in_off;
    switch (op) {
      case ReduceOp::Sum: case ReduceOp::Mean: case ReduceOp::SumSquares: {
        const bool square = op == ReduceOp::SumSquares;
        A acc = 0;
        if (contiguous_rows) {
          if constexpr (std::is_same<T, float>::value) acc = sum_row_f32(base, p.red_numel, square);
          else for (int64_t i = 0; i < p.red_numel; ++i) acc += static_cast<A>(square ? base[i] * base[i] : base[i]);
        } else if (float_runs) {
          if constexpr (std::is_same<T, float>::value) {
            double (*const sum_run)(const float*, int64_t) = square ? vec().sumsq_f32 : vec().sum_f32;
            const int64_t run = p.red_sizes.back();
            odometer(outer_sizes, outer_strides, nullptr, [&](int64_t o, int64_t) { acc += sum_run(base + o, run); });
          }
        } else {
          odometer(p.red_sizes, p.red_strides, nullptr,
                   [&](int64_t o, int64_t) { acc += static_cast<A>(square ? base[o] * base[o] : base[o]); });
        }
        if (op == ReduceOp::Mean) return static_cast<double>(acc) / static_cast<double>(p.red_numel);
        return static_cast<double>(acc);
      }
      case ReduceOp::Prod: {
        if (contiguous_rows) {
          if constexpr (std::is_same<T, float>::value) return vec().prod_f32(base, p.red_numel);
          if constexpr (std::is_same<T, double>::value) return vec().prod_f64(base, p.red_numel);
        }
        // In order, in T's own precision for floats: PyTorch's outer reductions (Note [Row products]).
        ProdAcc<T> acc = 1;
        odometer(p.red_sizes, p.red_strides, nullptr, [&](int64_t o, int64_t) { acc *= static_cast<ProdAcc<T>>(base[o]); });
        return static_cast<double>(acc);
      }
      case ReduceOp::Max: case ReduceOp::Min: {
        bool is_max = op == ReduceOp::Max;
        if constexpr (std::is_same<T, float>::value) {
          if (contiguous_rows) return is_max ? vec().max_f32(base, p.red_numel) : vec().min_f32(base, p.red_numel);
        }
        double best = is_max ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity();
        bool nan = false;
        odometer(p.red_sizes, p.red_strides, nullptr, [&](int64_t o, int64_t) {
          double v = static_cast<double>(base[o]);
          if (v != v) nan = true;
          else if (is_max ? v > best : v < best) best = v;
        });
        return nan ? std::numeric_limits<double>::quiet_NaN() : best;
      }
      case ReduceOp::Any: case ReduceOp::All: {
        bool any = false, all = true;
        odometer(p.red_sizes, p.red_strides, nullptr, [&](int64_t o, int64_t) {
          bool v = base[o] != T(0);
          any = any || v; all = all && v;
        });
        return op == ReduceOp::Any ? any : all;
      }
    }
    return 0;
  };
  // Outputs are independent: split them over the pool (each costs red_numel reads). A contiguous
  // tensor reduced over its trailing dims into a contiguous output has row r at r red_numel and
  // its result at r, so those go by index, without the odometer, straight to a row kernel where
  // there is one (per row, reduce_one's dispatch cost a product of 1024 floats 2.5%).
  const int64_t kept = numel_of(p.kept_sizes);
  const int64_t grain = std::max<int64_t>(1, kElementwiseGrain / std::max<int64_t>(1, p.red_numel));
  const bool rows_in_order = contiguous_rows && in.is_contiguous() && out.is_contiguous();
  dispatch_all(out.dtype(), [&](auto tag) {
    using O = TG_TYPE(tag);
    O* dst = out.data<O>();
    parallel_for(0, kept, grain, [&](int64_t b, int64_t e) {
      if (rows_in_order) {
        const int64_t n = p.red_numel;
        if constexpr (std::is_same<T, O>::value) {
          if (T (*const row)(const T*, int64_t) = row_kernel<T>(op)) {
            for (int64_t r = b; r < e; ++r) dst[r] = row(src + r * n, n);
            return;
          }
        }
        for (int64_t r = b; r < e; ++r) dst[r] = static_cast<O>(reduce_one(r * n));
        return;
      }
      odometer_range(p.kept_sizes, p.kept_in_strides, p.kept_out_strides, b, e,
                     [&](int64_t in_off, int64_t out_off) { dst[out_off] = static_cast<O>(reduce_one(in_off)); });
    });
  });
}

// Whether v, met after best, takes its place as the max (min) so far: PyTorch keeps the first
// NaN, else the first occurrence of the extreme (Note [Arg-extreme lanes] in vec_argscan.inc).
template <bool Max, typename T>
bool replaces(T v, T best) {
  return best == best && (v != v || (Max ? v > best : v < best));
}

// The arg-extreme vector kernels of T, or null (bool, uint8).
template <typename T>
const ArgExtremeKernels<T>* vec_arg() {
  if constexpr (std::is_same<T, float>::value) return &vec().arg_f32;
  else if constexpr (std::is_same<T, double>::value) return &vec().arg_f64;
  else if constexpr (std::is_same<T, int32_t>::value) return &vec().arg_i32;
  else if constexpr (std::is_same<T, int64_t>::value) return &vec().arg_i64;
  else return nullptr;
}

// Index of the max (min) of x[0], x[st], ..., x[(n - 1) st].
template <bool Max, typename T>
int64_t arg_extreme_run(const T* x, int64_t n, int64_t st) {
  if (vec_arg<T>() && st == 1 && n < (int64_t(1) << 31)) return vec_arg<T>()->row(x, n, Max);
  T best = x[0];
  int64_t bi = 0;
  for (int64_t i = 1; i < n && best == best; ++i)  // nothing replaces a NaN
    if (replaces<Max>(x[i * st], best)) best = x[i * st], bi = i;
  return bi;
}

// Note [Arg-extreme layouts]: max/min/argmax/argmin along a dim take one of two paths. A
// contiguous input reduced along a dim that is not last is [outer, n, inner]: each outer
// slice is walked row by row, keeping per-column running values and indices (in the outputs
// themselves) in blocks of kArgColumns columns, instead of striding down each column. Any
// other layout reduces each output's run of n elements on its own (contiguous rows with the
// vector kernel); a run longer than kArgChunk (argmax() of a large tensor is one such row)
// is split in chunks over the pool, whose results merge in order, the earlier winning ties.
constexpr int64_t kArgChunk = 65536;
constexpr int64_t kArgColumns = 256;

template <typename T, bool Max>
void reduce_arg_typed(const Tensor& values, const Tensor& indices, const Tensor& in, int64_t dim) {
  const int64_t n = in.size(dim), st = in.stride(dim);
  const T* src = in.data<T>();
  T* val = values.data<T>();
  int64_t* idx = indices.data<int64_t>();
  int64_t inner = 1;
  for (int64_t d = dim + 1; d < in.dim(); ++d) inner *= in.size(d);
  if (inner > 1 && n > 1 && in.is_contiguous()) {
    const int64_t outer = in.numel() / (n * inner), blocks = (inner + kArgColumns - 1) / kArgColumns;
    parallel_for(0, outer * blocks, grain_per_item(n * std::min(inner, kArgColumns)), [&](int64_t b, int64_t e) {
      for (int64_t it = b; it < e; ++it) {
        const int64_t o = it / blocks, c0 = it % blocks * kArgColumns, w = std::min(kArgColumns, inner - c0);
        const T* x = src + o * n * inner + c0;
        T* v = val + o * inner + c0;
        int64_t* ix = idx + o * inner + c0;
        if (vec_arg<T>() && n < (int64_t(1) << 31)) {
          vec_arg<T>()->cols(x, n, inner, w, Max, v, ix);
          continue;
        }
        std::copy(x, x + w, v);
        std::fill(ix, ix + w, int64_t{0});
        for (int64_t i = 1; i < n; ++i)
          for (int64_t j = 0; j < w; ++j)
            if (replaces<Max>(x[i * inner + j], v[j])) v[j] = x[i * inner + j], ix[j] = i;
      }
    });
    return;
  }
  ReducePlan p = plan_reduce(values, in, uint64_t(1) << dim);
  const int64_t kept = numel_of(p.kept_sizes);
  if (n <= kArgChunk) {
    parallel_for(0, kept, grain_per_item(n), [&](int64_t b, int64_t e) {
      odometer_range(p.kept_sizes, p.kept_in_strides, p.kept_out_strides, b, e, [&](int64_t in_off, int64_t out_off) {
        const int64_t i = arg_extreme_run<Max>(src + in_off, n, st);
        val[out_off] = src[in_off + i * st];
        idx[out_off] = i;
      });
    });
    return;
  }
  const int64_t chunks = (n + kArgChunk - 1) / kArgChunk;
  std::vector<int64_t> part(static_cast<size_t>(chunks));
  odometer(p.kept_sizes, p.kept_in_strides, &p.kept_out_strides, [&](int64_t in_off, int64_t out_off) {
    const T* x = src + in_off;
    parallel_for(0, chunks, 1, [&](int64_t b, int64_t e) {
      for (int64_t c = b; c < e; ++c)
        part[c] = c * kArgChunk + arg_extreme_run<Max>(x + c * kArgChunk * st, std::min(kArgChunk, n - c * kArgChunk), st);
    });
    int64_t bi = part[0];
    for (int64_t c = 1; c < chunks; ++c)
      if (replaces<Max>(x[part[c] * st], x[bi * st])) bi = part[c];
    val[out_off] = x[bi * st];
    idx[out_off] = bi;
  });
}

class CPUBackend final : public Backend {
 public:
  void fill(const Tensor& dst, Scalar value) override {
    dispatch_all(dst.dtype(), [&](auto tag) {
      using T = TG_TYPE(tag);
      const T v = static_cast<T>(value.value);
      for_each_run<1>(dst.sizes(), {&dst}, [&](std::array<char*, 1> p, std::array<int64_t, 1> s, int64_t n) {
        // +0 (all bits clear in every dtype; -0.0 is not) is a memset, which runs with the
        // widest stores the CPU has; -O3 alone vectorizes only to the baseline ISA.
        if (s[0] == sizeof(T) && value.value == 0 && !std::signbit(value.value)) std::memset(p[0], 0, static_cast<size_t>(n) * sizeof(T));
        else if (s[0] == sizeof(T)) { T* o = reinterpret_cast<T*>(p[0]); for (int64_t i = 0; i < n; ++i) o[i] = v; }
        else for (int64_t i = 0; i < n; ++i) *reinterpret_cast<T*>(p[0] + i * s[0]) = v;
      });
    });
  }

  void copy(const Tensor& dst, const Tensor& src) override {
    if (copy_transposed(dst, src)) return;
    dispatch_all(dst.dtype(), [&](auto to) {
      using TO = TG_TYPE(to);
      dispatch_all(src.dtype(), [&](auto ti) {
        using TI = TG_TYPE(ti);
        if (std::is_same<TO, TI>::value && dst.is_contiguous() && src.is_contiguous()) {
          concat_rows(static_cast<char*>(dst.impl()->data()), 1,
                      {{static_cast<const char*>(src.impl()->data()), dst.numel() * static_cast<int64_t>(sizeof(TO))}});
          return;
        }
        if (std::is_same<TO, TI>::value) {
          // Contiguous runs (a slice of cat's output) go to memcpy, which uses the CPU's widest
          // loads and stores (this file is compiled for the baseline) when source and
          // destination sit alike within a cache line. Otherwise (a tensor narrowed by one
          // element) each of its 64-byte loads would straddle two lines: 1.1x the time of
          // this loop's 16-byte ones.
          for_each_run<2>(dst.sizes(), {&dst, &src}, [](std::array<char*, 2> p, std::array<int64_t, 2> s, int64_t n) {
            if (s[0] == sizeof(TO) && s[1] == sizeof(TO)) {
              if (((p[0] - p[1]) & 63) == 0) {
                std::memcpy(p[0], p[1], static_cast<size_t>(n) * sizeof(TO));
              } else {
                TO* o = reinterpret_cast<TO*>(p[0]);
                const TO* x = reinterpret_cast<const TO*>(p[1]);
                // Unrolled to 64 bytes an iteration: the 16-byte loop alone (5 instructions) ran
                // 1.8x slower on Zen 3 in a build where it happened to straddle a 64-byte line of
                // code (m.roll(3, 1) of 1024 x 1024 float32: 409 -> 182 us; bench/RESULTS.md).
#pragma GCC unroll 4
                for (int64_t i = 0; i < n; ++i) o[i] = x[i];
              }
              return;
            }
            if (s[0] == sizeof(TO) && s[1] == 0) {  // a broadcast value (sum's gradient, expanded)
              TO* o = reinterpret_cast<TO*>(p[0]);
              std::fill(o, o + n, *reinterpret_cast<const TO*>(p[1]));
              return;
            }
            if (s[0] == sizeof(TO) && s[1] == -static_cast<int64_t>(sizeof(TO))) {
              constexpr int log2_size = sizeof(TO) == 1 ? 0 : sizeof(TO) == 2 ? 1 : sizeof(TO) == 4 ? 2 : 3;
              static_assert(sizeof(TO) == size_t{1} << log2_size, "reverse_run takes 1, 2, 4 or 8-byte elements");
              vec().reverse_run[log2_size](p[0], p[1], n);  // flip's view of a last dim
              return;
            }
            for (int64_t i = 0; i < n; ++i) *reinterpret_cast<TO*>(p[0] + i * s[0]) = *reinterpret_cast<const TO*>(p[1] + i * s[1]);
          });
          return;
        }
        unary_loop<TO, TI>(dst, src, [](TI x) { return static_cast<TO>(x); });
      });
    });
  }

  void triangle(const Tensor& out, const Tensor& in, int64_t k, bool lower) override { cpu::triangle(out, in, k, lower); }

  void cat(const Tensor& out, const std::vector<Tensor>& parts, int64_t dim) override {
    bool contiguous = true;
    for (const Tensor& part : parts) contiguous = contiguous && part.is_contiguous();
    if (!contiguous) {
      Backend::cat(out, parts, dim);
      return;
    }
    int64_t rows = 1;
    for (int64_t d = 0; d < dim; ++d) rows *= out.size(d);
    if (rows == 0) return;
    std::vector<ByteRun> runs;
    for (const Tensor& part : parts) {
      if (part.numel() == 0) continue;  // concat_rows takes non-empty runs
      runs.push_back({static_cast<const char*>(part.impl()->data()),
                      part.numel() / rows * static_cast<int64_t>(dtype_size(part.dtype()))});
    }
    concat_rows(static_cast<char*>(out.impl()->data()), rows, runs);
  }

  void unary(UnaryOp op, const Tensor& out, const Tensor& in, double p0, double p1, double p2) override {
    TG_CHECK_DTYPE(out.dtype() == in.dtype(), "unary kernel: dtype mismatch");
    dispatch_all(in.dtype(), [&](auto tag) { unary_typed<TG_TYPE(tag)>(op, out, in, p0, p1, p2); });
  }

  void binary(BinaryOp op, const Tensor& out, const Tensor& a, const Tensor& b, double alpha) override {
    TG_CHECK_DTYPE(a.dtype() == b.dtype(), "binary kernel: dtype mismatch");
    dispatch_all(a.dtype(), [&](auto tag) { binary_typed<TG_TYPE(tag)>(op, out, a, b, alpha); });
  }

  void ternary(TernaryOp op, const Tensor& out, const Tensor& a, const Tensor& b, const Tensor& c, double s) override {
    ternary_kernel(op, out, a, b, c, s);
  }

  void where(const Tensor& out, const Tensor& cond, const Tensor& a, const Tensor& b) override {
    dispatch_all(out.dtype(), [&](auto tag) {
      using T = TG_TYPE(tag);
      for_each_run<4>(out.sizes(), {&out, &cond, &a, &b}, [&](std::array<char*, 4> p, std::array<int64_t, 4> s, int64_t n) {
        // Contiguous runs, also with a broadcast scalar branch (backward formulas' where(mask, g,
        // 0)), are flat select loops that vectorize.
        T* o = reinterpret_cast<T*>(p[0]);
        // Read as bytes (0 or 1): GCC does not vectorize selects on a bool load.
        const uint8_t* c = reinterpret_cast<const uint8_t*>(p[1]);
        const T* x = reinterpret_cast<const T*>(p[2]);
        const T* y = reinterpret_cast<const T*>(p[3]);
        // Both branches are loaded unconditionally, so the select needs no branch.
        if (s[0] == sizeof(T) && s[1] == 1 && s[2] == sizeof(T)) {
          if (s[3] == sizeof(T)) {
            for (int64_t i = 0; i < n; ++i) {
              const T xi = x[i], yi = y[i];
              o[i] = c[i] ? xi : yi;
            }
            return;
          }
          if (s[3] == 0) {
            const T yv = *y;
            for (int64_t i = 0; i < n; ++i) {
              const T xi = x[i];
              o[i] = c[i] ? xi : yv;
            }
            return;
          }
        }
        if (s[0] == sizeof(T) && s[1] == 1 && s[2] == 0 && s[3] == sizeof(T)) {
          const T xv = *x;
          for (int64_t i = 0; i < n; ++i) {
            const T yi = y[i];
            o[i] = c[i] ? xv : yi;
          }
          return;
        }
        for (int64_t i = 0; i < n; ++i)
          *reinterpret_cast<T*>(p[0] + i * s[0]) = *reinterpret_cast<const bool*>(p[1] + i * s[1])
                                                       ? *reinterpret_cast<const T*>(p[2] + i * s[2])
                                                       : *reinterpret_cast<const T*>(p[3] + i * s[3]);
      });
    });
  }

  void reduce(ReduceOp op, const Tensor& out, const Tensor& in, uint64_t mask) override {
    dispatch_all(in.dtype(), [&](auto tag) { reduce_typed<TG_TYPE(tag)>(op, out, in, mask); });
  }

  void reduce_arg(ReduceOp op, const Tensor& values, const Tensor& indices, const Tensor& in, int64_t dim) override {
    dispatch_all(in.dtype(), [&](auto tag) {
      if (op == ReduceOp::Max) reduce_arg_typed<TG_TYPE(tag), true>(values, indices, in, dim);
      else reduce_arg_typed<TG_TYPE(tag), false>(values, indices, in, dim);
    });
  }

  void matmul(const Tensor& c, const Tensor& a, const Tensor& b, double alpha, double beta) override {
    gemm_strided(c, a, b, alpha, beta);
  }

  void arange(const Tensor& dst, double start, double step) override {
    dispatch_all(dst.dtype(), [&](auto tag) {
      using T = TG_TYPE(tag);
      T* o = dst.data<T>();
      for (int64_t i = 0; i < dst.numel(); ++i) o[i] = static_cast<T>(start + static_cast<double>(i) * step);
    });
  }

  void uniform(const Tensor& dst, double lo, double hi) override {
    Generator& g = default_generator();
    dispatch_floating(dst.dtype(), [&](auto tag) {
      using T = TG_TYPE(tag);
      T* o = dst.data<T>();
      for (int64_t i = 0; i < dst.numel(); ++i)
        o[i] = static_cast<T>(lo + (hi - lo) * (sizeof(T) == 4 ? g.next_float() : g.next_double()));
    });
  }

  void normal(const Tensor& dst, double mean, double std) override {
    // Box-Muller on pairs.
    Generator& g = default_generator();
    dispatch_floating(dst.dtype(), [&](auto tag) {
      using T = TG_TYPE(tag);
      T* o = dst.data<T>();
      const int64_t n = dst.numel();
      for (int64_t i = 0; i < n; i += 2) {
        double u1 = 1.0 - g.next_double(), u2 = g.next_double();
        double r = std::sqrt(-2.0 * std::log(u1)), th = 2.0 * M_PI * u2;
        o[i] = static_cast<T>(mean + std * r * std::cos(th));
        if (i + 1 < n) o[i + 1] = static_cast<T>(mean + std * r * std::sin(th));
      }
    });
  }

  void randint(const Tensor& dst, int64_t lo, int64_t hi) override {
    Generator& g = default_generator();
    const uint64_t range = static_cast<uint64_t>(hi - lo);
    dispatch_all(dst.dtype(), [&](auto tag) {
      using T = TG_TYPE(tag);
      T* o = dst.data<T>();
      for (int64_t i = 0; i < dst.numel(); ++i) o[i] = static_cast<T>(lo + static_cast<int64_t>(g.next_u64() % range));
    });
  }

  void scatter_add_strided(const Tensor& dst, const Tensor& src, const Shape& strides, int64_t offset) override {
    dispatch_all(dst.dtype(), [&](auto tag) {
      using T = TG_TYPE(tag);
      T* d = dst.data<T>() + offset;
      const T* s = src.data<T>();
      Shape src_strides = src.strides();
      odometer(src.sizes(), strides, &src_strides, [&](int64_t od, int64_t os) { d[od] = static_cast<T>(d[od] + s[os]); });
    });
  }

  void to_host(void* host, const Tensor& src) override {
    std::memcpy(host, src.impl()->data(), static_cast<size_t>(src.numel()) * dtype_size(src.dtype()));
  }
  void from_host(const Tensor& dst, const void* host) override {
    std::memcpy(dst.impl()->data(), host, static_cast<size_t>(dst.numel()) * dtype_size(dst.dtype()));
  }

  // ---- movement kernels
  void select_indices(const Tensor& out, const Tensor& in, int64_t dim, const Tensor& index) override { cpu::select_indices(out, in, dim, index); }
  void add_indices(const Tensor& out, int64_t dim, const Tensor& index, const Tensor& src) override { cpu::add_indices(out, dim, index, src); }
  // ---- nn kernels (cpu/nn_kernels.cpp)
  void softmax(const Tensor& out, const Tensor& in, int64_t dim, bool log) override { softmax_kernel(out, in, dim, log); }
  void softmax_backward(const Tensor& gi, const Tensor& g, const Tensor& out, int64_t dim, bool log) override {
    softmax_backward_kernel(gi, g, out, dim, log);
  }
  void nll_loss(const Tensor& out, const Tensor& tw, const Tensor& in, const Tensor& t, const Tensor& w, int64_t red,
                int64_t ignore) override {
    nll_loss_kernel(out, tw, in, t, w, red, ignore);
  }
  void nll_loss_backward(const Tensor& gi, const Tensor& g, const Tensor& t, const Tensor& w, int64_t red, int64_t ignore,
                         const Tensor& tw) override {
    nll_loss_backward_kernel(gi, g, t, w, red, ignore, tw);
  }

  // ---- reduction kernels
  void scan(int kind, const Tensor& out, const Tensor& indices, const Tensor& in, int64_t dim) override {
    cpu::scan(kind, out, indices, in, dim);
  }
  void sort_last(const Tensor& values, const Tensor& indices, const Tensor& in, bool descending, bool stable) override { cpu::sort_last(values, indices, in, descending, stable); }
  void topk_last(const Tensor& v, const Tensor& i, const Tensor& in, int64_t k, bool largest, bool sorted) override { cpu::topk_last(v, i, in, k, largest, sorted); }
  void kth_last(const Tensor& v, const Tensor& i, const Tensor& in, int64_t k, bool median) override { cpu::kth_last(v, i, in, k, median); }
  void gather_last(const Tensor& out, const Tensor& in, const Tensor& index) override { cpu::gather_last(out, in, index); }
  void scatter_add_last(const Tensor& out, const Tensor& index, const Tensor& src) override { cpu::scatter_add_last(out, index, src); }

  // ---- indexing kernels
  void gather_dim(const Tensor& out, const Tensor& in, int64_t dim, const Tensor& index) override { cpu::gather_dim(out, in, dim, index); }
  void scatter_dim(const Tensor& out, int64_t dim, const Tensor& index, const Tensor& src, ScatterMode mode) override { cpu::scatter_dim(out, dim, index, src, mode); }
  Tensor nonzero(const Tensor& in) override { return cpu::nonzero(in); }
  void searchsorted(const Tensor& out, const Tensor& sorted, const Tensor& values, bool right) override { cpu::searchsorted(out, sorted, values, right); }

  // ---- convolution kernels
  void conv2d(const Tensor& y, const Tensor& x, const Tensor& w, const Tensor& b, const ConvGeometry& g) override { cpu::conv2d_kernel(y, x, w, b, g); }
  void conv2d_input_grad(const Tensor& gx, const Tensor& gy, const Tensor& w, const Tensor& b, const ConvGeometry& g) override { cpu::conv2d_input_grad_kernel(gx, gy, w, b, g); }
  void conv2d_weight_grad(const Tensor& gw, const Tensor& x, const Tensor& gy, const ConvGeometry& g) override { cpu::conv2d_weight_grad_kernel(gw, x, gy, g); }
  // ---- optim kernels (cpu/optim_kernels.cpp)
  void optim_step(const OptimParams& p, const Tensor& param, const Tensor& grad, const Tensor& b0, const Tensor& b1,
                  const Tensor& b2) override {
    cpu::optim_step(p, param, grad, b0, b1, b2);
  }
  // ---- pooling kernels (cpu/pool_kernels.cpp)
  void pool_max(const Tensor& out, const Tensor& idx, const Tensor& in, const PoolAxis& h, const PoolAxis& w) override { pool_max_kernel(out, idx, in, h, w); }
  void pool_avg(const Tensor& out, const Tensor& in, const PoolAxis& h, const PoolAxis& w, double d) override { pool_avg_kernel(out, in, h, w, d); }
  void pool_avg_backward(const Tensor& gi, const Tensor& g, const PoolAxis& h, const PoolAxis& w, double d) override { pool_avg_backward_kernel(gi, g, h, w, d); }
  void pool_scatter_add(const Tensor& gi, const Tensor& g, const Tensor& idx) override { pool_scatter_add_kernel(gi, g, idx); }
  void pool_gather(const Tensor& out, const Tensor& in, const Tensor& idx) override { pool_gather_kernel(out, in, idx); }

  // ---- normalization kernels (cpu/norm_kernels.cpp)
  void norm_moments(const Tensor& m, const Tensor& v, const Tensor& x, bool across) override { norm_moments_kernel(m, v, x, across); }
  void plane_affine(const Tensor& out, const Tensor& x, const Tensor& a, const Tensor& b) override { plane_affine_kernel(out, x, a, b); }
  void batch_norm_backward(const Tensor& gx, const Tensor& gw, const Tensor& gb, const Tensor& g, const Tensor& x,
                           const Tensor& mean, const Tensor& rstd, const Tensor& weight, bool training) override {
    batch_norm_backward_kernel(gx, gw, gb, g, x, mean, rstd, weight, training);
  }
  void layer_norm_rows(const Tensor& out, const Tensor& x, const Tensor& mean, const Tensor& rstd, const Tensor& weight,
                       const Tensor& bias) override {
    layer_norm_rows_kernel(out, x, mean, rstd, weight, bias);
  }
  void layer_norm_backward(const Tensor& gx, const Tensor& gw, const Tensor& gb, const Tensor& g, const Tensor& x,
                           const Tensor& mean, const Tensor& rstd, const Tensor& weight) override {
    layer_norm_backward_kernel(gx, gw, gb, g, x, mean, rstd, weight);
  }
};

struct Registrar {
  Registrar() { register_backend(DeviceType::CPU, new CPUBackend()); }
} registrar;

}  // namespace
}  // namespace cpu
}  // namespace tg

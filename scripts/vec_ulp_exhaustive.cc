// Measures a float32 vector kernel of csrc/cpu/vec_kernels.inc over every one of the 2^32
// float32 inputs, at one ISA level, against the float64 libm result rounded to float32.
// Not part of npm test (a run takes a minute or two per op and level); the bounds it found
// are quoted in the kernels' Notes and sampled by test/transcendentals.test.ts.
//
//   g++ -O2 -std=gnu++17 -Icsrc -o /tmp/vec_ulp scripts/vec_ulp_exhaustive.cc
//   /tmp/vec_ulp log avx512            # level: avx512, avx2, baseline
//   (op: exp, tanh, sigmoid, log, sin, cos, tan, erf, expm1, log1p, exp2, log2, log10, atan, asin,
//   acos, sinh, cosh, atanh, asinh, acosh, erfc, erfinv, gelu)
//   /tmp/vec_ulp sin avx2 1000 1e5     # only inputs in [lo, hi] (NaN inputs always count)
//   /tmp/vec_ulp pow avx512 2.5        # x^2.5 over every float32 x (the exponent as a float32)
//   /tmp/vec_ulp rpow baseline 10      # 10^y over every float32 y; [lo hi] may follow either
//   /tmp/vec_ulp atan2 avx512 1.5      # binary ops (atan2(y, x), hypot(x, y)): every float32
//   /tmp/vec_ulp atan2 avx512 y=1e-30  # value of one operand, the other fixed: a bare number
//   /tmp/vec_ulp hypot baseline x=-3.7 # fixes the second (x of atan2, y of hypot), name= either
//
// It includes csrc/cpu/vec_levels.inc, as csrc/cpu/vec_dispatch.cpp does, so it runs the
// kernels the addon ships (a level the CPU lacks would fault: check simdLevel()).
#include <immintrin.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <vector>

#include "cpu/erfinv_guess.h"
#include "cpu/vec.h"

#define TG_X86_MULTI_ISA 1
namespace tg {
namespace cpu {
#include "cpu/vec_levels.inc"
}  // namespace cpu
}  // namespace tg

using namespace tg::cpu;

// erfinv in float64 for a float32 y: Giles' single-precision approximation (erfinv_guess.h,
// relative error under 1e-6), then one Halley step on erf, or on erfc for |y| > 1/2 (1 - |y| is
// exact there; erf(x) - y would cancel), which cubes the error: within a few float64 ulps, far
// below float32's.
static double erfinv_ref(double y) {
  const double a = std::fabs(y);
  if (!(a <= 1)) return NAN;
  if (a == 1) return std::copysign(INFINITY, y);
  double x = erfinv_initial_guess(a);
  const double residual = a > 0.5 ? (1.0 - a) - std::erfc(x) : std::erf(x) - a;  // erf(x) - a
  const double q = residual / (1.1283791670955126 * std::exp(-x * x));  // the Newton step
  x -= q / (1 + x * q);  // Halley's: erf''(x) = -2x erf'(x)
  return std::copysign(x, y);
}

// gelu(x) = x Phi(x) = x erfc(-x / sqrt(2)) / 2, in long double: erfc keeps its relative
// precision where Phi(x) is tiny (x far below 0), where 1 + erf(x / sqrt(2)) would cancel.
static double gelu_ref(double x) {
  const long double xl = x;
  return static_cast<double>(xl * std::erfc(-xl * 0.70710678118654752440084436210484904L) / 2);
}

// Position of a float on the number line in ulps (monotonic across zero).
static int64_t ordinal(float v) {
  int32_t i;
  std::memcpy(&i, &v, 4);
  return i < 0 ? int64_t(INT32_MIN) - i : i;
}

// Distance in ulps from the float64 reference rounded to float32; a wrong NaN, infinity or
// sign of zero counts as 2^30.
static int64_t ulps(float got, double ref) {
  const float want = static_cast<float>(ref);
  const int64_t wrong = int64_t(1) << 30;
  if (std::isnan(got) || std::isnan(want)) return std::isnan(got) && std::isnan(want) ? 0 : wrong;
  if (std::isinf(got) || std::isinf(want)) return got == want ? 0 : wrong;
  if (got == 0 && want == 0 && std::signbit(got) != std::signbit(want)) return wrong;
  return std::llabs(ordinal(got) - ordinal(want));
}

// A binary op with one operand over all 2^32 float32 values and the other fixed at `fixed`:
// "V" or "x=V" / "y=V" (V parsed by strtof, so subnormals, inf and nan are accepted).
static int binary_main(const std::string& op, const std::string& level, const std::string& fixed) {
  const bool atan2 = op == "atan2";
  const std::string second = atan2 ? "x" : "y", first = atan2 ? "y" : "x";
  const size_t eq = fixed.find('=');
  const std::string name = eq == std::string::npos ? second : fixed.substr(0, eq);
  if (name != "x" && name != "y") return std::fprintf(stderr, "fix x=V or y=V\n"), 2;
  const float value = std::strtof(fixed.c_str() + (eq == std::string::npos ? 0 : eq + 1), nullptr);
  const bool fix_second = name == second;  // the swept operand is the first one
  const VecBinary kernel = atan2 ? VecBinary::Atan2 : VecBinary::Hypot;
  auto run = level == "avx512" ? isa_avx512::binary_f32 : level == "avx2" ? isa_avx2::binary_f32 : isa_base::binary_f32;

  const int64_t block = 1 << 16;
  static float sweep[1 << 16], fixed_v[1 << 16], ys[1 << 16];
  for (int64_t i = 0; i < block; ++i) fixed_v[i] = value;
  int64_t worst = 0, over1 = 0, correct = 0;
  float worst_at = 0;
  double total = 0;
  for (uint64_t base = 0; base < (uint64_t(1) << 32); base += block) {
    for (int64_t i = 0; i < block; ++i) {
      const uint32_t bits = static_cast<uint32_t>(base + i);
      std::memcpy(&sweep[i], &bits, 4);
    }
    const float* a = fix_second ? sweep : fixed_v;
    const float* b = fix_second ? fixed_v : sweep;
    run(kernel, a, b, ys, block, 0, VecMem::Cached);
    for (int64_t i = 0; i < block; ++i) {
      // hypot's reference in long double (x87, 64-bit significand): the kernel computes it in
      // float64, as std::hypot would, so a shared double rounding would not show.
      const double want = atan2 ? std::atan2(double(a[i]), double(b[i]))
                                : double(static_cast<float>(std::hypot((long double)a[i], (long double)b[i])));
      const int64_t u = ulps(ys[i], want);
      total += static_cast<double>(u);
      over1 += u > 1;
      correct += u == 0;
      if (u > worst) worst = u, worst_at = sweep[i];
    }
  }
  const std::string swept = fix_second ? first : second;
  std::printf("%s %s, %s = %.9g, %s over every float32: max %lld ulp at %s = %.9g, mean %.5f, correctly rounded %.5f%%, "
              "over 1 ulp: %lld\n",
              op.c_str(), level.c_str(), name.c_str(), value, swept.c_str(), static_cast<long long>(worst), swept.c_str(),
              worst_at, total / 4294967296.0, 100.0 * static_cast<double>(correct) / 4294967296.0,
              static_cast<long long>(over1));
  return 0;
}

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s OP avx512|avx2|baseline [lo hi]\n       %s pow|rpow LEVEL P [lo hi]\n       %s atan2|hypot LEVEL [x=|y=]V\n",
                 argv[0], argv[0], argv[0]);
    return 2;
  }
  const std::string op = argv[1], level = argv[2];
  if (op == "atan2" || op == "hypot") return binary_main(op, level, argc > 3 ? argv[3] : "1");
  // pow and rpow: the fixed operand (the exponent or the base), as float32.
  static float p = 0;
  const bool has_p = op == "pow" || op == "rpow";
  if (has_p && argc < 4) return std::fprintf(stderr, "%s needs the fixed operand\n", op.c_str()), 2;
  if (has_p) p = static_cast<float>(std::atof(argv[3]));
  const int range_arg = has_p ? 4 : 3;
  const double lo = argc > range_arg ? std::atof(argv[range_arg]) : -INFINITY;
  const double hi = argc > range_arg + 1 ? std::atof(argv[range_arg + 1]) : INFINITY;
  VecUnary kernel;
  double (*ref)(double);
  if (op == "pow") kernel = VecUnary::PowScalar, ref = [](double x) { return std::pow(x, double(p)); };
  else if (op == "rpow") kernel = VecUnary::RPowScalar, ref = [](double y) { return std::pow(double(p), y); };
  else if (op == "exp") kernel = VecUnary::Exp, ref = [](double x) { return std::exp(x); };
  else if (op == "tanh") kernel = VecUnary::Tanh, ref = [](double x) { return std::tanh(x); };
  else if (op == "sigmoid") kernel = VecUnary::Sigmoid, ref = [](double x) { return 1 / (1 + std::exp(-x)); };
  else if (op == "log") kernel = VecUnary::Log, ref = [](double x) { return std::log(x); };
  else if (op == "sin") kernel = VecUnary::Sin, ref = [](double x) { return std::sin(x); };
  else if (op == "cos") kernel = VecUnary::Cos, ref = [](double x) { return std::cos(x); };
  else if (op == "erf") kernel = VecUnary::Erf, ref = [](double x) { return std::erf(x); };
  else if (op == "expm1") kernel = VecUnary::Expm1, ref = [](double x) { return std::expm1(x); };
  else if (op == "log1p") kernel = VecUnary::Log1p, ref = [](double x) { return std::log1p(x); };
  else if (op == "exp2") kernel = VecUnary::Exp2, ref = [](double x) { return std::exp2(x); };
  else if (op == "log2") kernel = VecUnary::Log2, ref = [](double x) { return std::log2(x); };
  else if (op == "log10") kernel = VecUnary::Log10, ref = [](double x) { return std::log10(x); };
  else if (op == "tan") kernel = VecUnary::Tan, ref = [](double x) { return std::tan(x); };
  else if (op == "atan") kernel = VecUnary::Atan, ref = [](double x) { return std::atan(x); };
  else if (op == "asin") kernel = VecUnary::Asin, ref = [](double x) { return std::asin(x); };
  else if (op == "acos") kernel = VecUnary::Acos, ref = [](double x) { return std::acos(x); };
  else if (op == "sinh") kernel = VecUnary::Sinh, ref = [](double x) { return std::sinh(x); };
  else if (op == "cosh") kernel = VecUnary::Cosh, ref = [](double x) { return std::cosh(x); };
  else if (op == "atanh") kernel = VecUnary::Atanh, ref = [](double x) { return std::atanh(x); };
  else if (op == "asinh") kernel = VecUnary::Asinh, ref = [](double x) { return std::asinh(x); };
  else if (op == "acosh") kernel = VecUnary::Acosh, ref = [](double x) { return std::acosh(x); };
  else if (op == "erfc") kernel = VecUnary::Erfc, ref = [](double x) { return std::erfc(x); };
  else if (op == "erfinv") kernel = VecUnary::Erfinv, ref = erfinv_ref;
  else if (op == "gelu") kernel = VecUnary::Gelu, ref = gelu_ref;
  else return std::fprintf(stderr, "unknown op %s\n", op.c_str()), 2;
  auto run = level == "avx512" ? isa_avx512::unary_f32 : level == "avx2" ? isa_avx2::unary_f32 : isa_base::unary_f32;

  const int64_t block = 1 << 16;
  static float xs[1 << 16], ys[1 << 16];
  int64_t worst = 0, count = 0, over1 = 0, finite = 0;
  float worst_at = 0;
  double total = 0, total_finite = 0;
  for (uint64_t base = 0; base < (uint64_t(1) << 32); base += block) {
    for (int64_t i = 0; i < block; ++i) {
      const uint32_t bits = static_cast<uint32_t>(base + i);
      std::memcpy(&xs[i], &bits, 4);
    }
    run(kernel, xs, ys, block, VecMem::Cached, p, 0);
    for (int64_t i = 0; i < block; ++i) {
      const float x = xs[i];
      if (!(x >= lo && x <= hi) && !std::isnan(x)) continue;
      const double want = ref(x);
      const int64_t u = ulps(ys[i], want);
      ++count;
      total += static_cast<double>(u);
      if (std::isfinite(static_cast<float>(want))) ++finite, total_finite += static_cast<double>(u);
      over1 += u > 1;
      if (u > worst) worst = u, worst_at = x;
    }
  }
  if (has_p) std::printf("%s %.9g ", op == "pow" ? "exponent" : "base", p);
  std::printf("%s %s: max %lld ulp at %.9g, mean %.4f (%.4f where the result is finite), over 1 ulp: %lld of %lld inputs\n",
              op.c_str(), level.c_str(), static_cast<long long>(worst), worst_at, total / count,
              total_finite / std::max<int64_t>(finite, 1), static_cast<long long>(over1), static_cast<long long>(count));
}

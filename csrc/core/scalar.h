// A Python-style number operand: remembers whether it was written as a bool, an integer
// or a float, because that decides type promotion (see result_type_with_scalar).
#pragma once
#include <cmath>
#include <cstdint>
#include "core/dtype.h"

namespace tg {

struct Scalar {
  double value = 0;
  ScalarKind kind = ScalarKind::Float;

  Scalar() = default;
  Scalar(double v) : value(v), kind(ScalarKind::Float) {}
  static Scalar integer(int64_t v) { Scalar s; s.value = static_cast<double>(v); s.kind = ScalarKind::Int; return s; }
  static Scalar boolean(bool v) { Scalar s; s.value = v ? 1 : 0; s.kind = ScalarKind::Bool; return s; }
  // A JS number is an Int when it is integral and safely representable. -0 stays an Int
  // (so an integer tensor's dtype does not change) but keeps its sign bit in `value`, which
  // float kernels read: x * -0 is -0 for positive x, as in PyTorch.
  static Scalar from_js(double v) {
    if (std::isfinite(v) && v == std::floor(v) && std::fabs(v) <= 9007199254740991.0) {
      Scalar s = integer(static_cast<int64_t>(v));
      s.value = v;
      return s;
    }
    return Scalar(v);
  }
  template <typename T> T to() const { return static_cast<T>(value); }
};

}  // namespace tg

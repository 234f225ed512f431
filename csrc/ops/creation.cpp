// Factories. None records a graph: requiresGrad is set on the result by the caller.
#include <cmath>
#include "ops/helpers.h"

namespace tg {

Tensor empty(const Shape& sizes, DType dtype, Device device) { return Tensor::empty(sizes, dtype, device); }

Tensor empty_strided(const Shape& sizes, const Shape& strides, DType dtype, Device device) {
  TG_CHECK_SHAPE(sizes.size() == strides.size(), "empty_strided: sizes and strides must have the same length");
  int64_t extent = 1;
  bool empty_tensor = false;
  for (size_t i = 0; i < sizes.size(); ++i) {
    TG_CHECK_SHAPE(sizes[i] >= 0 && strides[i] >= 0, "empty_strided: negative size or stride");
    if (sizes[i] == 0) empty_tensor = true;
    extent += (sizes[i] - 1) * strides[i];
  }
  if (empty_tensor) extent = 0;
  Tensor storage = Tensor::empty({extent}, dtype, device);
  return Tensor::view_of(storage, sizes, strides, 0);
}

Tensor full(const Shape& sizes, Scalar value, DType dtype, Device device) {
  Tensor t = Tensor::empty(sizes, dtype, device);
  backend_of(t).fill(t, value);
  return t;
}
Tensor zeros(const Shape& sizes, DType dtype, Device device) { return full(sizes, Scalar(0.0), dtype, device); }
Tensor ones(const Shape& sizes, DType dtype, Device device) { return full(sizes, Scalar(1.0), dtype, device); }
Tensor zeros_like(const Tensor& t) { return zeros(t.sizes(), t.dtype(), t.device()); }
Tensor ones_like(const Tensor& t) { return ones(t.sizes(), t.dtype(), t.device()); }
Tensor scalar_tensor(Scalar value, DType dtype, Device device) { return full({}, value, dtype, device); }

Tensor arange(double start, double end, double step, DType dtype, Device device) {
  TG_CHECK_VALUE(step != 0, "arange: step must be nonzero");
  TG_CHECK_VALUE(std::isfinite(start) && std::isfinite(end), "arange: unsupported range: ", start, " -> ", end);
  TG_CHECK_VALUE((step > 0 && end >= start) || (step < 0 && end <= start),
                 "arange: upper bound and larger bound inconsistent with step sign");
  int64_t n = static_cast<int64_t>(std::ceil((end - start) / step));
  Tensor t = Tensor::empty({n}, dtype, device);
  backend_of(t).arange(t, start, step);
  return t;
}

Tensor linspace(double start, double end, int64_t steps, DType dtype, Device device) {
  TG_CHECK_VALUE(steps >= 0, "linspace: number of steps must be non-negative");
  Tensor t = Tensor::empty({steps}, dtype, device);
  if (steps == 0) return t;
  double step = steps > 1 ? (end - start) / static_cast<double>(steps - 1) : 0;
  backend_of(t).arange(t, start, step);
  if (steps > 1) {
    // Make the last element exact, as PyTorch does (it fills from both ends).
    Tensor last = Tensor::view_of(t, {}, {}, steps - 1);
    backend_of(t).fill(last, Scalar(end));
  }
  return t;
}

Tensor eye(int64_t n, int64_t m, DType dtype, Device device) {
  TG_CHECK_VALUE(n >= 0 && m >= 0, "eye: n and m must be non-negative, got ", n, " and ", m);
  Tensor t = zeros({n, m}, dtype, device);
  int64_t k = std::min(n, m);
  if (k > 0) {
    Tensor diag = Tensor::view_of(t, {k}, {m + 1}, 0);
    backend_of(t).fill(diag, Scalar(1.0));
  }
  return t;
}

Tensor rand(const Shape& sizes, DType dtype, Device device) {
  TG_CHECK_DTYPE(is_floating(dtype), "\"check_uniform_bounds\" not implemented for '", dtype_legacy_name(dtype), "'");
  Tensor t = Tensor::empty(sizes, dtype, device);
  backend_of(t).uniform(t, 0.0, 1.0);
  return t;
}

Tensor randn(const Shape& sizes, DType dtype, Device device) {
  TG_CHECK_DTYPE(is_floating(dtype), "\"normal_kernel_cpu\" not implemented for '", dtype_legacy_name(dtype), "'");
  Tensor t = Tensor::empty(sizes, dtype, device);
  backend_of(t).normal(t, 0.0, 1.0);
  return t;
}

Tensor randint(int64_t low, int64_t high, const Shape& sizes, DType dtype, Device device) {
  TG_CHECK_VALUE(high > low, "random_ expects 'from' to be less than 'to', but got from=", low, " >= to=", high);
  Tensor t = Tensor::empty(sizes, dtype, device);
  backend_of(t).randint(t, low, high);
  return t;
}

Tensor from_host(const void* data, const Shape& sizes, DType dtype, Device device) {
  Tensor t = Tensor::empty(sizes, dtype, device);
  if (t.numel() > 0) backend_of(t).from_host(t, data);
  return t;
}

}  // namespace tg

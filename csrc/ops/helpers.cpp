#include "ops/helpers.h"

namespace tg {

Tensor expand_raw(const Tensor& t, const Shape& shape) {
  if (t.sizes() == shape) return t;
  return Tensor::view_of(t, shape, expand_strides(t.sizes(), t.strides(), shape), t.impl()->offset());
}

Tensor cast_raw(const Tensor& t, DType dtype) {
  if (t.dtype() == dtype) return t;
  Tensor out = Tensor::empty(t.sizes(), dtype, t.device());
  backend_of(t).copy(out, t);
  return out;
}

Tensor contiguous_raw(const Tensor& t) {
  if (t.is_contiguous()) return t;
  Tensor out = Tensor::empty(t.sizes(), t.dtype(), t.device());
  backend_of(t).copy(out, t);
  return out;
}

void check_same_device(const char* op, const Tensor& a, const Tensor& b) {
  TG_CHECK_KIND(ErrorKind::Device, a.device() == b.device(), op,
                ": Expected all tensors to be on the same device, but found at least two devices, ", a.device().str(),
                " and ", b.device().str(), "!");
}

void check_defined(const char* op, const Tensor& t) {
  TG_CHECK_KIND(ErrorKind::Type, t.defined(), op, ": expected a defined tensor");
}

static int category(DType t) { return t == DType::Bool ? 0 : is_floating(t) ? 2 : 1; }

DType result_type(const Tensor& a, const Tensor& b) {
  bool a0 = a.dim() == 0, b0 = b.dim() == 0;
  if (a0 == b0) return promote_types(a.dtype(), b.dtype());
  const Tensor& dimmed = a0 ? b : a;
  const Tensor& zero = a0 ? a : b;
  if (category(zero.dtype()) > category(dimmed.dtype())) {
    // A 0-d float tensor lifts an integer tensor to its own float dtype.
    return zero.dtype();
  }
  return dimmed.dtype();
}

bool can_cast(DType from, DType to) {
  if (is_floating(from) && !is_floating(to)) return false;
  if (from != DType::Bool && to == DType::Bool) return false;
  return true;
}

}  // namespace tg

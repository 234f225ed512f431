#include "ops/helpers.h"

#include <cmath>

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

void check_no_internal_overlap(const Tensor& t) {
  for (int64_t d = 0; d < t.dim(); ++d)
    TG_CHECK(t.stride(d) != 0 || t.size(d) <= 1,
             "unsupported operation: more than one element of the written-to tensor refers to a single memory location. "
             "Please clone() the tensor before performing the operation.");
}

void check_sub_operands(bool a_is_bool, bool b_is_bool) {
  TG_CHECK_DTYPE(!(a_is_bool && b_is_bool), "Subtraction, the `-` operator, with two bool tensors is not supported. ",
                 "Use the `^` or `logicalXor()` operator instead.");
  TG_CHECK_DTYPE(!(a_is_bool || b_is_bool), "Subtraction, the `-` operator, with a bool tensor is not supported. ",
                 "If you are trying to invert a mask, use the `~` or `logicalNot()` operator instead.");
}

static int category(DType t) { return t == DType::Bool ? 0 : is_floating(t) ? 2 : 1; }

DType result_type(const Tensor& a, const Tensor& b) { return result_type(a.dtype(), a.dim() == 0, b.dtype(), b.dim() == 0); }

DType result_type(DType a, bool a0, DType b, bool b0) {
  if (a0 == b0) return promote_types(a, b);
  const DType dimmed = a0 ? b : a;
  const DType zero = a0 ? a : b;
  // A 0-d float tensor lifts an integer tensor to its own float dtype.
  return category(zero) > category(dimmed) ? zero : dimmed;
}

bool can_cast(DType from, DType to) {
  if (is_floating(from) && !is_floating(to)) return false;
  if (from != DType::Bool && to == DType::Bool) return false;
  return true;
}

uint64_t dims_mask(const std::vector<int64_t>& dims, int64_t ndim, const char* op) {
  uint64_t mask = 0;
  if (dims.empty()) return ndim == 0 ? 0 : (ndim >= 64 ? ~uint64_t(0) : (uint64_t(1) << ndim) - 1);
  for (int64_t d : dims) {
    int64_t w = wrap_dim(d, ndim, op);
    if (ndim == 0) continue;
    TG_CHECK(!(mask >> w & 1), op, ": dim ", w, " appears multiple times in the list of dims");
    mask |= uint64_t(1) << w;
  }
  return mask;
}

Shape keepdim_shape(const Shape& in, uint64_t mask) {
  Shape s = in;
  for (size_t d = 0; d < s.size(); ++d)
    if (mask >> d & 1) s[d] = 1;
  return s;
}

Shape squeezed_shape(const Shape& in, uint64_t mask) {
  Shape s;
  for (size_t d = 0; d < in.size(); ++d)
    if (!(mask >> d & 1)) s.push_back(in[d]);
  return s;
}

Tensor reduce_raw(ReduceOp op, const Tensor& a, uint64_t mask, bool keepdim, DType out_dtype) {
  Tensor out = Tensor::empty(keepdim_shape(a.sizes(), mask), out_dtype, a.device());
  if (a.numel() == 0) {
    double empty_value = op == ReduceOp::Prod || op == ReduceOp::All ? 1.0 : op == ReduceOp::Mean ? NAN : 0.0;
    backend_of(a).fill(out, Scalar(empty_value));
  } else if (out.numel() > 0) {
    backend_of(a).reduce(op, out, a, mask);
  }
  if (keepdim) return out;
  Shape s = squeezed_shape(a.sizes(), mask);
  return Tensor::view_of(out, s, contiguous_strides(s), 0);
}

Tensor keep_grad(const Tensor& g, const Shape& in_shape, uint64_t mask, bool keepdim) {
  if (keepdim) return g;
  Tensor r = g;
  for (size_t d = 0; d < in_shape.size(); ++d)
    if (mask >> d & 1) r = unsqueeze(r, static_cast<int64_t>(d));
  return r;
}

void check_floating(const char* kernel, const Tensor& t) {
  TG_CHECK_KIND(ErrorKind::NotImplemented, is_floating(t.dtype()), "\"", kernel, "\" not implemented for '",
                dtype_legacy_name(t.dtype()), "'");
}

}  // namespace tg

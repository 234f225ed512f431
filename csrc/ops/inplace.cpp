// In-place ops. Unrecorded writes (the usual optimizer step under noGrad) run the kernel
// straight into self. Recorded writes compute the op out of place on self's old value, so
// the node and its formula are the out-of-place op's, then copy the result into self and
// rebase self's history (autograd/inplace.h).
#include "autograd/autograd_meta.h"
#include "autograd/function.h"
#include "autograd/grad_mode.h"
#include "autograd/inplace.h"
#include "ops/helpers.h"

namespace tg {
namespace {

// A copy of self's current value that keeps self's place in the graph: formulas that read
// self's old value read this, which later writes into self cannot change.
Tensor snapshot(const Tensor& self) {
  Tensor snap = Tensor::empty(self.sizes(), self.dtype(), self.device());
  backend_of(self).copy(snap, self);
  if (auto* m = get_meta(self); m && grad_fn_of(self)) {  // grad_fn_of: a stale view is refreshed
    auto& sm = ensure_meta(snap);
    sm.grad_fn = m->grad_fn;
    sm.output_nr = m->output_nr;
  }
  return snap;
}

void check_result(const Tensor& self, const Shape& shape, DType result, const char* name) {
  TG_CHECK_SHAPE(shape == self.sizes(), name, ": output with shape ", shape_str(self.sizes()),
                 " doesn't match the broadcast shape ", shape_str(shape));
  TG_CHECK_DTYPE(can_cast(result, self.dtype()), name, ": result type ", dtype_legacy_name(result),
                 " can't be cast to the desired output type ", dtype_legacy_name(self.dtype()));
}

// Runs `op` (the out-of-place form) on self's old value with recording and writes the result
// into self. Used when the write must be recorded.
template <typename Op>
Tensor& recorded_inplace(Tensor& self, bool needs_self, Op op) {
  Tensor src = needs_self ? snapshot(self) : self;
  Tensor out = op(src);
  backend_of(self).copy(self, out);
  rebase_history(self, grad_fn_of(out));
  return self;
}

bool will_record(const Tensor& self, const Tensor* other) {
  return GradMode::is_enabled() && (self.requires_grad() || (other && other->defined() && other->requires_grad()));
}

Tensor& binary_inplace(Tensor& self, const Tensor& other_in, BinaryOp op, double alpha, const char* name,
                       bool needs_self, Tensor (*out_of_place)(const Tensor&, const Tensor&, double)) {
  check_defined(name, self);
  check_defined(name, other_in);
  check_same_device(name, self, other_in);
  if (op == BinaryOp::Sub) check_sub_operands(self.dtype() == DType::Bool, other_in.dtype() == DType::Bool);
  Shape shape = broadcast_shapes(self.sizes(), other_in.sizes(), name);
  DType ct = result_type(self, other_in);
  if (op == BinaryOp::Div && !is_floating(ct)) ct = kDefaultFloat;
  check_result(self, shape, ct, name);
  check_no_internal_overlap(self);
  bool record_it = will_record(self, &other_in);
  check_inplace(self, record_it);
  if (record_it) return recorded_inplace(self, needs_self, [&](const Tensor& s) { return out_of_place(s, other_in, alpha); });
  // An operand overlapping self in another layout would be read after being written.
  Tensor other = other_in;
  bool same_layout = other_in.strides() == self.strides() && other_in.impl()->offset() == self.impl()->offset();
  if (other_in.shares_storage(self) && !same_layout) {
    other = Tensor::empty(other_in.sizes(), other_in.dtype(), other_in.device());
    backend_of(self).copy(other, other_in);
  }
  Tensor b = expand_raw(cast_raw(other, ct), shape);
  if (ct == self.dtype()) {
    backend_of(self).binary(op, self, self, b, alpha);
  } else {
    Tensor tmp = Tensor::empty(shape, ct, self.device());
    backend_of(self).binary(op, tmp, cast_raw(self, ct), b, alpha);
    backend_of(self).copy(self, tmp);
  }
  self.impl()->bump_version();
  return self;
}

Tensor add_op(const Tensor& a, const Tensor& b, double alpha) { return add(a, b, Scalar(alpha)); }
Tensor sub_op(const Tensor& a, const Tensor& b, double alpha) { return sub(a, b, Scalar(alpha)); }
Tensor mul_op(const Tensor& a, const Tensor& b, double) { return mul(a, b); }
Tensor div_op(const Tensor& a, const Tensor& b, double) { return div(a, b); }

Tensor scalar_operand(const Tensor& self, Scalar s) {
  return scalar_tensor(s, result_type_with_scalar(self.dtype(), s.kind), self.device());
}

// Unary in-place: `op` is the out-of-place op, `kernel_op`/p0/p1 the kernel for the fast path.
template <typename Op>
Tensor& unary_inplace(Tensor& self, UnaryOp kernel_op, double p0, double p1, DType result, bool needs_self,
                      const char* name, Op op) {
  check_defined(name, self);
  check_result(self, self.sizes(), result, name);
  check_no_internal_overlap(self);
  bool record_it = will_record(self, nullptr);
  check_inplace(self, record_it);
  if (record_it) return recorded_inplace(self, needs_self, op);
  if (result == self.dtype()) {
    backend_of(self).unary(kernel_op, self, self, p0, p1);
  } else {
    Tensor tmp = Tensor::empty(self.sizes(), result, self.device());
    backend_of(self).unary(kernel_op, tmp, cast_raw(self, result), p0, p1);
    backend_of(self).copy(self, tmp);
  }
  self.impl()->bump_version();
  return self;
}

TensorList zero_fill_backward(OpNode&, const TensorList& g) { return {zeros_like(g[0])}; }
TensorList copy_backward(OpNode& n, const TensorList& g) {
  return {n.needs_input_grad(0) ? zeros_like(g[0]) : Tensor(), g[0]};
}

}  // namespace

Tensor& add_(Tensor& self, const Tensor& other, Scalar alpha) {
  return binary_inplace(self, other, BinaryOp::Add, alpha.value, "add_", false, add_op);
}
Tensor& add_(Tensor& self, Scalar other, Scalar alpha) {
  check_defined("add_", self);
  return binary_inplace(self, scalar_operand(self, other), BinaryOp::Add, alpha.value, "add_", false, add_op);
}
Tensor& sub_(Tensor& self, const Tensor& other, Scalar alpha) {
  return binary_inplace(self, other, BinaryOp::Sub, alpha.value, "sub_", false, sub_op);
}
Tensor& sub_(Tensor& self, Scalar other, Scalar alpha) {
  check_defined("sub_", self);
  check_sub_operands(self.dtype() == DType::Bool, other.kind == ScalarKind::Bool);
  return binary_inplace(self, scalar_operand(self, other), BinaryOp::Sub, alpha.value, "sub_", false, sub_op);
}
Tensor& mul_(Tensor& self, const Tensor& other) {
  return binary_inplace(self, other, BinaryOp::Mul, 1, "mul_", true, mul_op);
}
Tensor& mul_(Tensor& self, Scalar other) {
  check_defined("mul_", self);
  return binary_inplace(self, scalar_operand(self, other), BinaryOp::Mul, 1, "mul_", true, mul_op);
}
Tensor& div_(Tensor& self, const Tensor& other) {
  return binary_inplace(self, other, BinaryOp::Div, 1, "div_", true, div_op);
}
Tensor& div_(Tensor& self, Scalar other) {
  check_defined("div_", self);
  return binary_inplace(self, scalar_operand(self, other), BinaryOp::Div, 1, "div_", true, div_op);
}

Tensor& pow_(Tensor& self, Scalar e) {
  check_defined("pow_", self);
  DType rt = result_type_with_scalar(self.dtype(), e.kind);
  return unary_inplace(self, UnaryOp::PowScalar, e.value, 0, rt, true, "pow_",
                       [&](const Tensor& s) { return pow(s, e); });
}

Tensor& unary_(Tensor& self, UnaryOp op) {
  check_defined("unary_", self);
  DType rt = self.dtype();
  switch (op) {
    case UnaryOp::Exp: case UnaryOp::Log: case UnaryOp::Sqrt: case UnaryOp::Sin: case UnaryOp::Cos:
    case UnaryOp::Tanh: case UnaryOp::Sigmoid: case UnaryOp::Reciprocal:
      if (!is_floating(rt)) rt = kDefaultFloat;
      break;
    default: break;
  }
  return unary_inplace(self, op, 0, 0, rt, true, unary_op_name(op), [&](const Tensor& s) { return unary(op, s); });
}

Tensor& clamp_(Tensor& self, std::optional<double> min, std::optional<double> max) {
  check_defined("clamp_", self);
  TG_CHECK_VALUE(min || max, "torch.clamp: At least one of 'min' or 'max' must not be None");
  double lo = min ? *min : -std::numeric_limits<double>::infinity();
  double hi = max ? *max : std::numeric_limits<double>::infinity();
  if (!is_floating(self.dtype())) {
    lo = min ? lo : -9.2e18;
    hi = max ? hi : 9.2e18;
  }
  return unary_inplace(self, UnaryOp::Clamp, lo, hi, self.dtype(), true, "clamp_",
                       [&](const Tensor& s) { return clamp(s, min, max); });
}

Tensor& fill_(Tensor& self, Scalar value) {
  check_defined("fill_", self);
  bool record_it = will_record(self, nullptr);
  check_inplace(self, record_it);
  backend_of(self).fill(self, value);
  std::shared_ptr<OpNode> n;
  if (record_it) {
    Tensor probe = Tensor::view_of(self, self.sizes(), self.strides(), self.impl()->offset());
    n = record(value.value == 0 ? "ZeroBackward0" : "FillBackward0", zero_fill_backward, {&self}, {&probe});
  }
  rebase_history(self, n);
  return self;
}

Tensor& zero_(Tensor& self) { return fill_(self, Scalar(0.0)); }

// In-place forms of ops that have no in-place kernel (the indexing family's scatter_,
// indexAdd_, ...): when the write will be recorded, the out-of-place op runs on
// inplace_snapshot(self) (self's value and place in the graph), and assign_result_ then
// copies its result into self and makes the op's node self's producer, so self.grad_fn is
// e.g. ScatterBackward0 as in PyTorch rather than a copy node.
Tensor inplace_snapshot(const Tensor& self) {
  check_defined("inplace", self);
  check_inplace(self, true);
  return snapshot(self);
}

Tensor& assign_result_(Tensor& self, const Tensor& result) {
  check_defined("inplace", self);
  check_defined("inplace", result);
  TG_CHECK_SHAPE(result.sizes() == self.sizes(), "output with shape ", shape_str(self.sizes()),
                 " doesn't match the broadcast shape ", shape_str(result.sizes()));
  check_result(self, result.sizes(), result.dtype(), "inplace");
  const bool recorded = GradMode::is_enabled() && grad_fn_of(result) != nullptr;
  check_inplace(self, recorded);
  backend_of(self).copy(self, result);
  rebase_history(self, recorded ? grad_fn_of(result) : nullptr);
  return self;
}

Tensor& copy_(Tensor& self, const Tensor& src) {
  check_defined("copy_", self);
  check_defined("copy_", src);
  TG_CHECK_SHAPE(is_expandable_to(src.sizes(), self.sizes()), "copy_: the source of shape ", shape_str(src.sizes()),
                 " cannot be broadcast to the destination of shape ", shape_str(self.sizes()));
  check_no_internal_overlap(self);
  bool record_it = will_record(self, &src);
  check_inplace(self, record_it);
  Tensor s = src;
  if (src.shares_storage(self)) {
    s = Tensor::empty(src.sizes(), src.dtype(), src.device());
    backend_of(src).copy(s, src);
  }
  backend_of(self).copy(self, expand_raw(s, self.sizes()));
  std::shared_ptr<OpNode> n;
  if (record_it) {
    Tensor probe = Tensor::view_of(self, self.sizes(), self.strides(), self.impl()->offset());
    n = record("torch::autograd::CopyBackwards", copy_backward, {&self, &src}, {&probe});
  }
  rebase_history(self, n);
  return self;
}

}  // namespace tg

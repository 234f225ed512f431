// Elementwise ops: forward (promotion, broadcasting, kernel) beside backward formulas.
// Formulas return gradients of the broadcast shape and compute dtype; the engine sums
// them down to each input's shape and casts them back (see autograd/function.h).
#include <cmath>
#include "autograd/function.h"
#include "ops/helpers.h"

namespace tg {
namespace {

// Runs a binary kernel on two tensors after promotion and broadcasting.
Tensor binary_forward(BinaryOp op, const Tensor& a, const Tensor& b, double alpha, const char* name) {
  check_defined(name, a);
  check_defined(name, b);
  check_same_device(name, a, b);
  DType ct = result_type(a, b);
  if (op == BinaryOp::Div && !is_floating(ct)) ct = kDefaultFloat;  // true division
  if (op == BinaryOp::Sub) check_sub_operands(a.dtype() == DType::Bool, b.dtype() == DType::Bool);
  Shape shape = broadcast_shapes(a.sizes(), b.sizes(), name);
  Tensor out = Tensor::empty(shape, binary_op_returns_bool(op) ? DType::Bool : ct, a.device());
  backend_of(a).binary(op, out, expand_raw(cast_raw(a, ct), shape), expand_raw(cast_raw(b, ct), shape), alpha);
  return out;
}

// A Python-number operand as a 0-d tensor of the result dtype.
Tensor binary_scalar_forward(BinaryOp op, const Tensor& a, Scalar s, double alpha, const char* name, DType* ct_out) {
  check_defined(name, a);
  DType ct = result_type_with_scalar(a.dtype(), s.kind);
  if (op == BinaryOp::Div && !is_floating(ct)) ct = kDefaultFloat;
  *ct_out = ct;
  Tensor sv = scalar_tensor(s, ct, a.device());
  Tensor out = Tensor::empty(a.sizes(), binary_op_returns_bool(op) ? DType::Bool : ct, a.device());
  backend_of(a).binary(op, out, cast_raw(a, ct), expand_raw(sv, a.sizes()), alpha);
  return out;
}

Tensor unary_kernel(UnaryOp op, const Tensor& a, DType dtype, double p0 = 0, double p1 = 0) {
  Tensor in = cast_raw(a, dtype);
  Tensor out = Tensor::empty(a.sizes(), dtype, a.device());
  backend_of(a).unary(op, out, in, p0, p1);
  return out;
}

// ---- backward formulas ----
TensorList add_backward(OpNode& n, const TensorList& g) {
  return {g[0], n.needs_input_grad(1) ? (n.scalar == 1 ? g[0] : g[0] * n.scalar) : Tensor()};
}
TensorList sub_backward(OpNode& n, const TensorList& g) {
  return {g[0], n.needs_input_grad(1) ? g[0] * (-n.scalar) : Tensor()};
}
TensorList rsub_backward(OpNode&, const TensorList& g) { return {neg(g[0])}; }
TensorList mul_backward(OpNode& n, const TensorList& g) {
  return {n.needs_input_grad(0) ? g[0] * n.saved(1) : Tensor(), n.needs_input_grad(1) ? g[0] * n.saved(0) : Tensor()};
}
TensorList mul_scalar_backward(OpNode& n, const TensorList& g) { return {g[0] * n.scalar, Tensor()}; }
TensorList div_backward(OpNode& n, const TensorList& g) {
  Tensor b = n.saved(1);
  Tensor ga = n.needs_input_grad(0) ? g[0] / b : Tensor();
  Tensor gb;
  if (n.needs_input_grad(1)) gb = neg(g[0]) * n.saved(0) / (b * b);
  return {ga, gb};
}
TensorList div_scalar_backward(OpNode& n, const TensorList& g) { return {div(g[0], Scalar(n.scalar)), Tensor()}; }

// d/dx x^e = e x^(e-1), and 0 for e == 0 (also at x == 0: spec Q).
TensorList pow_scalar_backward(OpNode& n, const TensorList& g) {
  if (n.scalar == 0) return {zeros_like(g[0])};
  return {g[0] * (pow(n.saved(0), Scalar(n.scalar - 1)) * n.scalar)};
}
TensorList pow_tensor_backward(OpNode& n, const TensorList& g) {
  Tensor base = n.saved(0), e = n.saved(1);
  Tensor ga, ge;
  if (n.needs_input_grad(0)) {
    Tensor d = g[0] * (e * pow(base, sub(e, Scalar::integer(1))));
    ga = zero_where(compare(BinaryOp::Eq, e, Scalar(0.0)), d);
  }
  if (n.needs_input_grad(1)) {
    Tensor d = g[0] * (n.saved(2) * log(base));
    Tensor at_zero = mul(compare(BinaryOp::Eq, base, Scalar(0.0)), compare(BinaryOp::Ge, e, Scalar(0.0)));
    ge = zero_where(at_zero, d);
  }
  return {ga, ge};
}
TensorList pow_scalar_base_backward(OpNode& n, const TensorList& g) {
  if (n.scalar == 0) {
    Tensor e = n.saved(0);
    Tensor d = g[0] * (n.saved(1) * std::log(n.scalar));
    return {zero_where(compare(BinaryOp::Ge, e, Scalar(0.0)), d)};
  }
  return {g[0] * (n.saved(1) * std::log(n.scalar))};
}

TensorList maximum_backward(OpNode& n, const TensorList& g) {
  Tensor a = n.saved(0), b = n.saved(1);
  Tensor half = div(g[0], Scalar(2.0));
  Tensor tie = compare(BinaryOp::Eq, a, b);
  bool is_max = n.flag;
  Tensor a_wins = compare(is_max ? BinaryOp::Gt : BinaryOp::Lt, a, b);
  Tensor b_wins = compare(is_max ? BinaryOp::Lt : BinaryOp::Gt, a, b);
  return {n.needs_input_grad(0) ? where(tie, half, keep_where(a_wins, g[0])) : Tensor(),
          n.needs_input_grad(1) ? where(tie, half, keep_where(b_wins, g[0])) : Tensor()};
}

TensorList where_backward(OpNode& n, const TensorList& g) {
  Tensor cond = n.saved(0);
  return {n.needs_input_grad(0) ? keep_where(cond, g[0]) : Tensor(),
          n.needs_input_grad(1) ? zero_where(cond, g[0]) : Tensor()};
}

TensorList clamp_backward(OpNode& n, const TensorList& g) {
  // Inclusive bounds: gradient 1 on min <= x <= max (spec Q).
  Tensor x = n.saved(0);
  Tensor mask;
  if (n.flag) mask = compare(BinaryOp::Ge, x, Scalar(n.scalar));
  if (n.flag2) {
    Tensor m2 = compare(BinaryOp::Le, x, Scalar(n.scalar2));
    mask = mask.defined() ? compare(BinaryOp::LogicalAnd, mask, m2) : m2;
  }
  return {keep_where(mask, g[0])};
}

TensorList unary_backward(OpNode& n, const TensorList& g) {
  const Tensor& gr = g[0];
  switch (static_cast<UnaryOp>(n.ints[0])) {
    case UnaryOp::Neg: return {neg(gr)};
    case UnaryOp::Abs: return {gr * sign(n.saved(0))};
    case UnaryOp::Exp: return {gr * n.saved(0)};
    case UnaryOp::Log: return {gr / n.saved(0)};
    case UnaryOp::Sqrt: return {gr / (n.saved(0) * 2.0)};
    case UnaryOp::Relu: return {threshold_backward(gr, n.saved(0))};
    case UnaryOp::Sin: return {gr * cos(n.saved(0))};
    case UnaryOp::Cos: return {neg(gr) * sin(n.saved(0))};
    case UnaryOp::Tanh: {
      Tensor r = n.saved(0);
      return {gr * rsub(r * r, Scalar(1.0))};
    }
    case UnaryOp::Sigmoid: {
      Tensor r = n.saved(0);
      return {gr * (r * rsub(r, Scalar(1.0)))};
    }
    case UnaryOp::Reciprocal: {
      Tensor r = n.saved(0);
      return {neg(gr) * (r * r)};
    }
    case UnaryOp::Square: return {gr * (n.saved(0) * 2.0)};
    case UnaryOp::Sign: case UnaryOp::Floor: case UnaryOp::Ceil: case UnaryOp::Round: case UnaryOp::Trunc:
      return {zeros_like(gr)};
    default: break;
  }
  fail(ErrorKind::NotImplemented, "the derivative for '", n.name(), "' is not implemented.");
}

struct UnaryInfo {
  const char* op_name;
  const char* node_name;
  bool saves_input, saves_output, float_only;
};

UnaryInfo unary_info(UnaryOp op) {
  switch (op) {
    case UnaryOp::Neg: return {"neg", "NegBackward0", false, false, false};
    case UnaryOp::Abs: return {"abs", "AbsBackward0", true, false, false};
    case UnaryOp::Sign: return {"sign", "SignBackward0", false, false, false};
    case UnaryOp::Exp: return {"exp", "ExpBackward0", false, true, true};
    case UnaryOp::Log: return {"log", "LogBackward0", true, false, true};
    case UnaryOp::Sqrt: return {"sqrt", "SqrtBackward0", false, true, true};
    case UnaryOp::Relu: return {"relu", "ReluBackward0", false, true, false};
    case UnaryOp::Sin: return {"sin", "SinBackward0", true, false, true};
    case UnaryOp::Cos: return {"cos", "CosBackward0", true, false, true};
    case UnaryOp::Tanh: return {"tanh", "TanhBackward0", false, true, true};
    case UnaryOp::Sigmoid: return {"sigmoid", "SigmoidBackward0", false, true, true};
    case UnaryOp::Reciprocal: return {"reciprocal", "ReciprocalBackward0", false, true, true};
    case UnaryOp::Square: return {"square", "PowBackward0", true, false, false};
    case UnaryOp::Floor: return {"floor", "FloorBackward0", false, false, false};
    case UnaryOp::Ceil: return {"ceil", "CeilBackward0", false, false, false};
    case UnaryOp::Round: return {"round", "RoundBackward0", false, false, false};
    case UnaryOp::Trunc: return {"trunc", "TruncBackward0", false, false, false};
    default: break;
  }
  fail(ErrorKind::Value, "unary(): op ", static_cast<int>(op), " needs parameters");
}

}  // namespace

const char* unary_op_name(UnaryOp op) { return unary_info(op).op_name; }

Tensor add(const Tensor& a, const Tensor& b, Scalar alpha) {
  Tensor out = binary_forward(BinaryOp::Add, a, b, alpha.value, "add");
  if (auto n = record("AddBackward0", add_backward, {&a, &b}, {&out})) n->scalar = alpha.value;
  return out;
}

Tensor add(const Tensor& a, Scalar b, Scalar alpha) {
  check_defined("add", a);
  DType ct = result_type_with_scalar(a.dtype(), b.kind);
  Tensor out = unary_kernel(UnaryOp::AddScalar, a, ct, b.value * alpha.value);
  if (auto n = record("AddBackward0", add_backward, {&a, nullptr}, {&out})) n->scalar = 1;
  return out;
}

Tensor sub(const Tensor& a, const Tensor& b, Scalar alpha) {
  Tensor out = binary_forward(BinaryOp::Sub, a, b, alpha.value, "sub");
  if (auto n = record("SubBackward0", sub_backward, {&a, &b}, {&out})) n->scalar = alpha.value;
  return out;
}

Tensor sub(const Tensor& a, Scalar b, Scalar alpha) {
  check_defined("sub", a);
  check_sub_operands(a.dtype() == DType::Bool, b.kind == ScalarKind::Bool);
  DType ct = result_type_with_scalar(a.dtype(), b.kind);
  Tensor out = unary_kernel(UnaryOp::AddScalar, a, ct, -b.value * alpha.value);
  if (auto n = record("SubBackward0", sub_backward, {&a, nullptr}, {&out})) n->scalar = alpha.value;
  return out;
}

Tensor rsub(const Tensor& a, Scalar b) {
  check_defined("rsub", a);
  check_sub_operands(b.kind == ScalarKind::Bool, a.dtype() == DType::Bool);
  // b - a as -a + b, which is what IEEE subtraction is: negating a - b instead gave -0 where
  // a == b (PyTorch's 1 - x is +0 at x = 1, so atanh's gradient there is +inf).
  Tensor out = unary_kernel(UnaryOp::Neg, a, result_type_with_scalar(a.dtype(), b.kind));
  backend_of(out).unary(UnaryOp::AddScalar, out, out, b.value, 0);
  record("RsubBackward1", rsub_backward, {&a}, {&out});
  return out;
}

Tensor mul(const Tensor& a, const Tensor& b) {
  Tensor out = binary_forward(BinaryOp::Mul, a, b, 1, "mul");
  if (auto n = record("MulBackward0", mul_backward, {&a, &b}, {&out})) n->save({a, b});
  return out;
}

Tensor mul(const Tensor& a, Scalar b) {
  check_defined("mul", a);
  DType ct = result_type_with_scalar(a.dtype(), b.kind);
  Tensor out = unary_kernel(UnaryOp::MulScalar, a, ct, b.value);
  if (auto n = record("MulBackward0", mul_scalar_backward, {&a, nullptr}, {&out})) n->scalar = b.value;
  return out;
}

Tensor div(const Tensor& a, const Tensor& b) {
  Tensor out = binary_forward(BinaryOp::Div, a, b, 1, "div");
  if (auto n = record("DivBackward0", div_backward, {&a, &b}, {&out})) n->save({a, b});
  return out;
}

Tensor div(const Tensor& a, Scalar b, const char* node_name) {
  DType ct;
  Tensor out = binary_scalar_forward(BinaryOp::Div, a, b, 1, "div", &ct);
  if (auto n = record(node_name, div_scalar_backward, {&a, nullptr}, {&out})) n->scalar = b.value;
  return out;
}

Tensor rdiv(const Tensor& a, Scalar b) {
  // Like Python's __rtruediv__: reciprocal(a) * b, so 1/a records MulBackward0.
  Tensor r = is_floating(a.dtype()) ? unary(UnaryOp::Reciprocal, a) : unary(UnaryOp::Reciprocal, to_dtype(a, kDefaultFloat));
  return mul(r, b);
}

Tensor pow(const Tensor& a, Scalar e) {
  check_defined("pow", a);
  DType ct = result_type_with_scalar(a.dtype(), e.kind);
  if (!is_floating(ct)) TG_CHECK_VALUE(e.value >= 0, "Integers to negative integer powers are not allowed.");
  Tensor out = unary_kernel(UnaryOp::PowScalar, a, ct, e.value);
  if (auto n = record("PowBackward0", pow_scalar_backward, {&a}, {&out})) {
    n->scalar = e.value;
    n->save({a});
  }
  return out;
}

Tensor pow(const Tensor& a, const Tensor& e) {
  Tensor out = binary_forward(BinaryOp::Pow, a, e, 1, "pow");
  if (auto n = record("PowBackward1", pow_tensor_backward, {&a, &e}, {&out})) {
    n->save({a, e});
    n->save_output(out);
  }
  return out;
}

Tensor pow(Scalar base, const Tensor& e) {
  check_defined("pow", e);
  DType ct = result_type_with_scalar(e.dtype(), base.kind);
  Tensor out = unary_kernel(UnaryOp::RPowScalar, e, ct, base.value);
  if (auto n = record("PowBackward2", pow_scalar_base_backward, {&e}, {&out})) {
    n->scalar = base.value;
    n->save({e});
    n->save_output(out);
  }
  return out;
}

Tensor maximum(const Tensor& a, const Tensor& b) {
  Tensor out = binary_forward(BinaryOp::Maximum, a, b, 1, "maximum");
  if (auto n = record("MaximumBackward0", maximum_backward, {&a, &b}, {&out})) {
    n->save({a, b});
    n->flag = true;
  }
  return out;
}

Tensor minimum(const Tensor& a, const Tensor& b) {
  Tensor out = binary_forward(BinaryOp::Minimum, a, b, 1, "minimum");
  if (auto n = record("MinimumBackward0", maximum_backward, {&a, &b}, {&out})) {
    n->save({a, b});
    n->flag = false;
  }
  return out;
}

Tensor unary(UnaryOp op, const Tensor& a) {
  UnaryInfo info = unary_info(op);
  check_defined(info.op_name, a);
  DType dt = a.dtype();
  if (info.float_only && !is_floating(dt)) dt = kDefaultFloat;  // exp(int) -> float32
  if (op == UnaryOp::Abs || op == UnaryOp::Neg || op == UnaryOp::Sign)
    TG_CHECK_DTYPE(!(op == UnaryOp::Neg && dt == DType::Bool),
                   "Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert a mask, "
                   "use the `~` or `logicalNot()` operator instead.");
  Tensor out = unary_kernel(op, a, dt);
  if (auto n = record(info.node_name, unary_backward, {&a}, {&out})) {
    n->ints = {static_cast<int64_t>(op)};
    if (info.saves_input) n->save({a});
    if (info.saves_output) n->save_output(out);
  }
  return out;
}

Tensor clamp(const Tensor& a, std::optional<double> min, std::optional<double> max) {
  check_defined("clamp", a);
  TG_CHECK_VALUE(min || max, "torch.clamp: At least one of 'min' or 'max' must not be None");
  DType dt = a.dtype();
  bool float_bound = (min && *min != std::floor(*min)) || (max && *max != std::floor(*max));
  if (float_bound && !is_floating(dt)) dt = kDefaultFloat;
  double lo = min ? *min : -std::numeric_limits<double>::infinity();
  double hi = max ? *max : std::numeric_limits<double>::infinity();
  if (!is_floating(dt)) {
    // Keep infinite bounds representable for integer kernels.
    lo = min ? lo : -9.2e18;
    hi = max ? hi : 9.2e18;
  }
  Tensor out = unary_kernel(UnaryOp::Clamp, a, dt, lo, hi);
  // ClampBackward1 with one bound too: PyTorch names ClampMinBackward0 only for clamp_min().
  if (auto n = record("ClampBackward1", clamp_backward, {&a}, {&out})) {
    n->save({a});
    n->flag = min.has_value();
    n->flag2 = max.has_value();
    n->scalar = lo;
    n->scalar2 = hi;
  }
  return out;
}

// relu's backward as one fused pass: grad where result > 0, else 0. Linear in grad, so its
// own backward is the same op on the incoming gradient.
static TensorList threshold_backward_backward(OpNode& n, const TensorList& g) {
  return {threshold_backward(g[0], n.saved(0)), Tensor()};
}

Tensor threshold_backward(const Tensor& grad, const Tensor& result) {
  Tensor out = binary_forward(BinaryOp::ThresholdBackward, grad, result, 1, "threshold_backward");
  if (auto n = record("ThresholdBackwardBackward0", threshold_backward_backward, {&grad, nullptr}, {&out})) n->save({result});
  return out;
}

Tensor compare(BinaryOp op, const Tensor& a, const Tensor& b) { return binary_forward(op, a, b, 1, "compare"); }

Tensor compare(BinaryOp op, const Tensor& a, Scalar b) {
  DType ct;
  return binary_scalar_forward(op, a, b, 1, "compare", &ct);
}

Tensor where(const Tensor& cond, const Tensor& a, const Tensor& b) {
  check_defined("where", cond);
  TG_CHECK_DTYPE(cond.dtype() == DType::Bool, "where expected condition to be a boolean tensor, but got a tensor with dtype ",
                 dtype_legacy_name(cond.dtype()));
  check_same_device("where", a, b);
  DType ct = result_type(a, b);
  Shape shape = broadcast_shapes(broadcast_shapes(cond.sizes(), a.sizes(), "where"), b.sizes(), "where");
  Tensor out = Tensor::empty(shape, ct, a.device());
  backend_of(a).where(out, expand_raw(cond, shape), expand_raw(cast_raw(a, ct), shape), expand_raw(cast_raw(b, ct), shape));
  if (auto n = record("WhereBackward0", where_backward, {&a, &b}, {&out})) n->save({cond});
  return out;
}

Tensor keep_where(const Tensor& mask, const Tensor& g) { return where(mask, g, scalar_tensor(Scalar(0.0), g.dtype(), g.device())); }
Tensor zero_where(const Tensor& mask, const Tensor& g) { return where(mask, scalar_tensor(Scalar(0.0), g.dtype(), g.device()), g); }

}  // namespace tg

// The elementwise family: forward (dtype rules, a kernel call) beside each backward formula,
// written in differentiable tensor ops so double backward works. Gradients at
// non-differentiable points follow spec section Q (e.g. hardtanh: 0 at the bounds,
// leakyRelu: the slope at 0, elu: alpha at 0).
#include "ops/elementwise_ext.h"
#include <cmath>
#include <limits>
#include <vector>
#include "autograd/function.h"
#include "autograd/grad_mode.h"
#include "ops/helpers.h"

namespace tg {
namespace {

constexpr double kLn2 = 0.69314718055994530942, kLn10 = 2.30258509299404568402;
constexpr double kTwoOverSqrtPi = 1.12837916709551257390, kSqrtPiOverTwo = 0.88622692545275801365;
constexpr double kInvSqrt2 = 0.70710678118654752440, kInvSqrt2Pi = 0.39894228040143267794;

Tensor gt(const Tensor& x, double v) { return compare(BinaryOp::Gt, x, Scalar(v)); }
Tensor lt(const Tensor& x, double v) { return compare(BinaryOp::Lt, x, Scalar(v)); }
Tensor land(const Tensor& a, const Tensor& b) { return compare(BinaryOp::LogicalAnd, a, b); }
Tensor lor(const Tensor& a, const Tensor& b) { return compare(BinaryOp::LogicalOr, a, b); }
Tensor sq(const Tensor& x) { return x * x; }
Tensor adds(const Tensor& x, double v) { return add(x, Scalar(v)); }

Tensor unary_kernel(UnaryOp op, const Tensor& a, DType dtype, double p0, double p1, double p2 = 0) {
  Tensor in = cast_raw(a, dtype);
  Tensor out = Tensor::empty(a.sizes(), dtype, a.device());
  backend_of(a).unary(op, out, in, p0, p1, p2);
  return out;
}

// A fused backward kernel (BinaryOp::GeluBackward, GeluTanhBackward) on the gradient g and the
// saved input x, for a plain backward; with createGraph the formula runs in differentiable tensor
// ops instead.
Tensor fused_backward(BinaryOp op, const Tensor& g, const Tensor& x) {
  Tensor out = Tensor::empty(x.sizes(), x.dtype(), x.device());
  backend_of(x).binary(op, out, expand_raw(cast_raw(g, x.dtype()), x.sizes()), x, 1);
  return out;
}

// ---- unary backward formulas (x: saved input, r: saved output) ----
TensorList ew_unary_backward(OpNode& n, const TensorList& grads) {
  const Tensor& g = grads[0];
  const double p0 = n.scalar, p1 = n.scalar2;
  auto x = [&] { return n.saved(0); };
  switch (static_cast<UnaryOp>(n.ints[0])) {
    case UnaryOp::Exp2: return {g * (x() * kLn2)};  // saved: output
    case UnaryOp::Expm1: return {g * adds(x(), 1)};  // saved: output
    case UnaryOp::Log2: return {g / (x() * kLn2)};
    case UnaryOp::Log10: return {g / (x() * kLn10)};
    case UnaryOp::Log1p: return {g / adds(x(), 1)};
    case UnaryOp::Rsqrt: {  // saved: output r; d/dx x^-1/2 = -r^3 / 2
      Tensor r = x();
      return {g * (r * r * r * -0.5)};
    }
    case UnaryOp::Tan: return {g * adds(sq(x()), 1)};  // saved: output
    case UnaryOp::Asin: return {g / sqrt(rsub(sq(x()), Scalar(1.0)))};
    case UnaryOp::Acos: return {neg(g) / sqrt(rsub(sq(x()), Scalar(1.0)))};
    case UnaryOp::Atan: return {g / adds(sq(x()), 1)};
    case UnaryOp::Sinh: return {g * ew_unary(UnaryOp::Cosh, x())};
    case UnaryOp::Cosh: return {g * ew_unary(UnaryOp::Sinh, x())};
    case UnaryOp::Asinh: return {g / sqrt(adds(sq(x()), 1))};
    case UnaryOp::Acosh: return {g / sqrt(adds(sq(x()), -1))};
    case UnaryOp::Atanh: return {g / rsub(sq(x()), Scalar(1.0))};
    case UnaryOp::Erf: return {g * (exp(neg(sq(x()))) * kTwoOverSqrtPi)};
    case UnaryOp::Erfc: return {g * (exp(neg(sq(x()))) * -kTwoOverSqrtPi)};
    case UnaryOp::Erfinv: return {g * (exp(sq(x())) * kSqrtPiOverTwo)};  // saved: output
    case UnaryOp::Frac: return {g * 1.0};
    case UnaryOp::LogSigmoid: return {g * sigmoid(neg(x()))};
    case UnaryOp::LeakyRelu: {
      Tensor xi = x();
      return {where(gt(xi, 0), g, g * p0)};
    }
    case UnaryOp::Elu: {  // p0 = alpha, p1 = scale; alpha * scale at 0 (x <= 0 branch)
      Tensor xi = x();
      return {where(gt(xi, 0), g * p1, g * (exp(xi) * (p0 * p1)))};
    }
    case UnaryOp::Celu: {
      Tensor xi = x();
      return {where(gt(xi, 0), g, g * exp(mul(xi, Scalar(1.0 / p0))))};
    }
    case UnaryOp::Gelu: {
      Tensor xi = x();
      if (!GradMode::is_enabled()) return {fused_backward(BinaryOp::GeluBackward, g, xi)};
      Tensor cdf = adds(ew_unary(UnaryOp::Erf, xi * kInvSqrt2), 1) * 0.5;
      Tensor pdf = exp(sq(xi) * -0.5) * kInvSqrt2Pi;
      return {g * (cdf + xi * pdf)};
    }
    case UnaryOp::GeluTanh: {
      Tensor xi = x();
      if (!GradMode::is_enabled()) return {fused_backward(BinaryOp::GeluTanhBackward, g, xi)};
      const double k = std::sqrt(2.0 / M_PI), c = 0.044715;
      Tensor t = tanh((xi + xi * sq(xi) * c) * k);
      Tensor left = adds(t, 1) * 0.5;
      Tensor right = xi * 0.5 * rsub(sq(t), Scalar(1.0)) * (adds(sq(xi) * (3 * c), 1) * k);
      return {g * (left + right)};
    }
    case UnaryOp::Silu: {
      Tensor xi = x();
      Tensor s = sigmoid(xi);
      return {g * (s * adds(xi * rsub(s, Scalar(1.0)), 1))};
    }
    case UnaryOp::Mish: {
      Tensor xi = x();
      Tensor t = tanh(ew_unary(UnaryOp::Softplus, xi, 1, 20));
      return {g * (t + xi * sigmoid(xi) * rsub(sq(t), Scalar(1.0)))};
    }
    case UnaryOp::Softplus: {  // p0 = beta, p1 = threshold
      Tensor xb = x() * p0;
      return {where(gt(xb, p1), g, g * sigmoid(xb))};
    }
    case UnaryOp::Hardsigmoid: {
      Tensor xi = x();
      return {keep_where(land(gt(xi, -3), lt(xi, 3)), g * (1.0 / 6))};
    }
    case UnaryOp::Hardswish: {
      Tensor xi = x();
      // PyTorch: 0 for x <= -3, x / 3 + 0.5 inside (-3, 3), 1 for x >= 3, and NaN for NaN as
      // its vectorized kernel gives it (its scalar tail, on the last few elements, gives 1).
      Tensor mid = where(compare(BinaryOp::Ge, xi, Scalar(3.0)), g, g * adds(xi * (1.0 / 3), 0.5));
      return {zero_where(compare(BinaryOp::Le, xi, Scalar(-3.0)), mid)};
    }
    case UnaryOp::Clamp: {  // hardtanh: gradient only strictly inside (min, max) (spec Q)
      Tensor xi = x();
      return {keep_where(land(gt(xi, p0), lt(xi, p1)), g)};
    }
    case UnaryOp::RoundDecimals: return {zeros_like(g)};
    case UnaryOp::NanToNum: return {keep_where(isfinite(x()), g)};
    case UnaryOp::Logit: {
      Tensor xi = x();
      Tensor d = g / (xi * rsub(xi, Scalar(1.0)));
      if (n.flag) d = zero_where(lor(lt(xi, p0), gt(xi, 1 - p0)), d);
      return {d};
    }
    default: break;
  }
  fail(ErrorKind::NotImplemented, "the derivative for '", n.name(), "' is not implemented.");
}

struct UnaryInfo {
  const char* op_name;
  const char* node_name;
  bool saves_output;  // otherwise saves the input
};

UnaryInfo unary_info(UnaryOp op) {
  switch (op) {
    case UnaryOp::Exp2: return {"exp2", "Exp2Backward0", true};
    case UnaryOp::Expm1: return {"expm1", "Expm1Backward0", true};
    case UnaryOp::Log2: return {"log2", "Log2Backward0", false};
    case UnaryOp::Log10: return {"log10", "Log10Backward0", false};
    case UnaryOp::Log1p: return {"log1p", "Log1PBackward0", false};
    case UnaryOp::Rsqrt: return {"rsqrt", "RsqrtBackward0", true};
    case UnaryOp::Tan: return {"tan", "TanBackward0", true};
    case UnaryOp::Asin: return {"asin", "AsinBackward0", false};
    case UnaryOp::Acos: return {"acos", "AcosBackward0", false};
    case UnaryOp::Atan: return {"atan", "AtanBackward0", false};
    case UnaryOp::Sinh: return {"sinh", "SinhBackward0", false};
    case UnaryOp::Cosh: return {"cosh", "CoshBackward0", false};
    case UnaryOp::Asinh: return {"asinh", "AsinhBackward0", false};
    case UnaryOp::Acosh: return {"acosh", "AcoshBackward0", false};
    case UnaryOp::Atanh: return {"atanh", "AtanhBackward0", false};
    case UnaryOp::Erf: return {"erf", "ErfBackward0", false};
    case UnaryOp::Erfc: return {"erfc", "ErfcBackward0", false};
    case UnaryOp::Erfinv: return {"erfinv", "ErfinvBackward0", true};
    case UnaryOp::Frac: return {"frac", "FracBackward0", false};
    case UnaryOp::LogSigmoid: return {"logSigmoid", "LogSigmoidBackward0", false};
    case UnaryOp::LeakyRelu: return {"leakyRelu", "LeakyReluBackward0", false};
    case UnaryOp::Elu: return {"elu", "EluBackward0", false};
    case UnaryOp::Celu: return {"celu", "CeluBackward0", false};
    case UnaryOp::Gelu: case UnaryOp::GeluTanh: return {"gelu", "GeluBackward0", false};
    case UnaryOp::Silu: return {"silu", "SiluBackward0", false};
    case UnaryOp::Mish: return {"mish", "MishBackward0", false};
    case UnaryOp::Softplus: return {"softplus", "SoftplusBackward0", false};
    case UnaryOp::Hardsigmoid: return {"hardsigmoid", "HardsigmoidBackward0", false};
    case UnaryOp::Hardswish: return {"hardswish", "HardswishBackward0", false};
    default: break;
  }
  fail(ErrorKind::Value, "ew_unary(): op ", static_cast<int>(op), " is not a unary op of the elementwise family");
}

// Records a unary node of the family on `out`.
void record_unary(const char* node_name, UnaryOp op, const Tensor& a, const Tensor& out, bool saves_output, double p0 = 0,
                  double p1 = 0, bool flag = false) {
  if (auto n = record(node_name, ew_unary_backward, {&a}, {&out})) {
    n->ints = {static_cast<int64_t>(op)};
    n->scalar = p0;
    n->scalar2 = p1;
    n->flag = flag;
    if (saves_output) n->save_output(out);
    else n->save({a});
  }
}

DType float_dtype(DType t) { return is_floating(t) ? t : kDefaultFloat; }

// ---- binary backward formulas (a, b saved; r the output where noted) ----
TensorList ew_binary_backward(OpNode& n, const TensorList& grads) {
  const Tensor& g = grads[0];
  const bool ga = n.needs_input_grad(0), gb = n.needs_input_grad(1);
  Tensor a = n.saved(0), b = n.saved(1);
  switch (static_cast<BinaryOp>(n.ints[0])) {
    case BinaryOp::Atan2: {
      Tensor d = sq(a) + sq(b);
      return {ga ? g * b / d : Tensor(), gb ? neg(g) * a / d : Tensor()};
    }
    case BinaryOp::Fmax: case BinaryOp::Fmin: {
      BinaryOp cmp = static_cast<BinaryOp>(n.ints[0]) == BinaryOp::Fmax ? BinaryOp::Ge : BinaryOp::Le;
      Tensor self_wins = lor(compare(cmp, a, b), isnan(b));
      return {ga ? keep_where(self_wins, g) : Tensor(), gb ? zero_where(self_wins, g) : Tensor()};
    }
    case BinaryOp::Fmod: case BinaryOp::Remainder: {
      if (n.flag) return {g * 1.0, Tensor()};  // number divisor
      Tensor q = a / b;
      q = static_cast<BinaryOp>(n.ints[0]) == BinaryOp::Fmod ? unary(UnaryOp::Trunc, q) : unary(UnaryOp::Floor, q);
      return {ga ? g * 1.0 : Tensor(), gb ? neg(g) * q : Tensor()};
    }
    case BinaryOp::Hypot: {
      Tensor r = n.saved(2);
      return {ga ? g * a / r : Tensor(), gb ? g * b / r : Tensor()};
    }
    case BinaryOp::Copysign: {
      Tensor r = n.saved(2);
      Tensor ratio = zero_where(compare(BinaryOp::Eq, a, Scalar(0.0)), r / a);
      return {ga ? g * ratio : Tensor(), gb ? zeros_like(g) : Tensor()};
    }
    case BinaryOp::Xlogy: {
      Tensor da;
      if (ga) da = zero_where(land(compare(BinaryOp::Eq, a, Scalar(0.0)), compare(BinaryOp::Le, b, Scalar(0.0))), g * log(b));
      return {da, gb ? g * a / b : Tensor()};
    }
    default: break;
  }
  fail(ErrorKind::NotImplemented, "the derivative for '", n.name(), "' is not implemented.");
}

TensorList zero_backward(OpNode& n, const TensorList& grads) {
  return {n.needs_input_grad(0) ? zeros_like(grads[0]) : Tensor(), n.needs_input_grad(1) ? zeros_like(grads[0]) : Tensor()};
}

const char* binary_name(BinaryOp op) {
  switch (op) {
    case BinaryOp::Atan2: return "atan2";
    case BinaryOp::Fmax: return "fmax";
    case BinaryOp::Fmin: return "fmin";
    case BinaryOp::Fmod: return "fmod";
    case BinaryOp::Remainder: return "remainder";
    case BinaryOp::Hypot: return "hypot";
    case BinaryOp::Copysign: return "copysign";
    case BinaryOp::Xlogy: return "xlogy";
    case BinaryOp::BitwiseAnd: return "bitwise_and";
    case BinaryOp::BitwiseOr: return "bitwise_or";
    case BinaryOp::BitwiseXor: return "bitwise_xor";
    case BinaryOp::LogicalXor: return "logical_xor";
    case BinaryOp::LogicalAnd: return "logical_and";
    case BinaryOp::LogicalOr: return "logical_or";
    default: break;
  }
  fail(ErrorKind::Value, "ew_binary(): op ", static_cast<int>(op), " is not a binary op of the elementwise family");
}

void check_no_zero_divisor(const Tensor& b) {
  if (is_floating(b.dtype())) return;
  TG_CHECK(!any_true(compare(BinaryOp::Eq, b, Scalar::integer(0))), "ZeroDivisionError");
}

// Broadcasts and runs a binary kernel in compute dtype ct.
Tensor run_binary(BinaryOp op, const Tensor& a, const Tensor& b, DType ct, const char* name) {
  Shape shape = broadcast_shapes(a.sizes(), b.sizes(), name);
  Tensor out = Tensor::empty(shape, binary_op_returns_bool(op) ? DType::Bool : ct, a.device());
  backend_of(a).binary(op, out, expand_raw(cast_raw(a, ct), shape), expand_raw(cast_raw(b, ct), shape), 1);
  return out;
}

}  // namespace

// ---------------------------------------------------------------- unary
Tensor ew_unary(UnaryOp op, const Tensor& a, double p0, double p1) {
  UnaryInfo info = unary_info(op);
  check_defined(info.op_name, a);
  if (op == UnaryOp::Celu) TG_CHECK_VALUE(p0 != 0, "ZeroDivisionError");
  Tensor out = unary_kernel(op, a, float_dtype(a.dtype()), p0, p1);
  record_unary(info.node_name, op, a, out, info.saves_output, p0, p1);
  return out;
}

Tensor hardtanh(const Tensor& a, double min_val, double max_val) {
  check_defined("hardtanh", a);
  TG_CHECK_VALUE(min_val <= max_val, "hardtanh: min_val cannot be greater than max_val");
  TG_CHECK_DTYPE(a.dtype() != DType::Bool, "\"hardtanh_cpu\" not implemented for 'Bool'");
  Tensor out = unary_kernel(UnaryOp::Clamp, a, a.dtype(), min_val, max_val);
  record_unary("HardtanhBackward0", UnaryOp::Clamp, a, out, false, min_val, max_val);
  return out;
}

Tensor round_decimals(const Tensor& a, int64_t decimals) {
  check_defined("round", a);
  TG_CHECK_DTYPE(is_floating(a.dtype()) || decimals == 0, "round_cpu: decimals is only supported for floating point tensors");
  if (!is_floating(a.dtype())) return unary(UnaryOp::Round, a);
  Tensor out = unary_kernel(UnaryOp::RoundDecimals, a, a.dtype(), static_cast<double>(decimals), 0);
  record_unary("RoundBackward1", UnaryOp::RoundDecimals, a, out, false);
  return out;
}

Tensor nan_to_num(const Tensor& a, std::optional<double> nan, std::optional<double> posinf, std::optional<double> neginf) {
  check_defined("nan_to_num", a);
  if (!is_floating(a.dtype())) return clone(a);
  const bool f32 = a.dtype() == DType::Float32;
  double big = f32 ? std::numeric_limits<float>::max() : std::numeric_limits<double>::max();
  Tensor out = unary_kernel(UnaryOp::NanToNum, a, a.dtype(), nan.value_or(0.0), posinf.value_or(big), neginf.value_or(-big));
  record_unary("NanToNumBackward0", UnaryOp::NanToNum, a, out, false);
  return out;
}

Tensor logit(const Tensor& a, std::optional<double> eps) {
  check_defined("logit", a);
  double e = eps.value_or(-1.0);
  bool has_eps = eps.has_value() && *eps >= 0;  // PyTorch ignores a negative eps
  Tensor out = unary_kernel(UnaryOp::Logit, a, float_dtype(a.dtype()), has_eps ? e : 0, has_eps ? 1 : 0);
  record_unary("LogitBackward0", UnaryOp::Logit, a, out, false, has_eps ? e : 0, 0, has_eps);
  return out;
}

static TensorList clamp_tensor_backward(OpNode& n, const TensorList& grads) {
  const Tensor& g = grads[0];
  Tensor x = n.saved(0);
  Tensor lo = n.flag ? n.saved(1) : Tensor();
  Tensor hi = n.flag2 ? n.saved(n.flag ? 2 : 1) : Tensor();
  Tensor inside;
  if (lo.defined()) inside = compare(BinaryOp::Ge, x, lo);
  if (hi.defined()) {
    Tensor m = compare(BinaryOp::Le, x, hi);
    inside = inside.defined() ? land(inside, m) : m;
  }
  TensorList out{n.needs_input_grad(0) ? keep_where(inside, g) : Tensor()};
  // A bound gets the gradient where it is the result: x below min (above max).
  if (n.needs_input_grad(1) && lo.defined()) {
    Tensor m = compare(BinaryOp::Lt, x, lo);
    if (hi.defined()) m = land(m, compare(BinaryOp::Le, lo, hi));
    out.push_back(keep_where(m, g));
  } else {
    out.push_back(Tensor());
  }
  if (n.needs_input_grad(2) && hi.defined()) {
    Tensor m = compare(BinaryOp::Gt, x, hi);
    if (lo.defined()) m = lor(m, compare(BinaryOp::Gt, lo, hi));
    out.push_back(keep_where(m, g));
  } else {
    out.push_back(Tensor());
  }
  return out;
}

Tensor clamp_tensor(const Tensor& a, const Tensor& min, const Tensor& max) {
  check_defined("clamp", a);
  TG_CHECK_VALUE(min.defined() || max.defined(), "torch.clamp: At least one of 'min' or 'max' must not be None");
  Tensor out;
  {
    AutoGradMode no_grad(false);
    out = a;
    if (min.defined()) out = maximum(out, min);
    if (max.defined()) out = minimum(out, max);
    if (out.same(a)) out = clone(a);
  }
  if (auto n = record("ClampBackward0", clamp_tensor_backward, {&a, min.defined() ? &min : nullptr, max.defined() ? &max : nullptr},
                      {&out})) {
    n->flag = min.defined();
    n->flag2 = max.defined();
    if (min.defined() && max.defined()) n->save({a, min, max});
    else n->save({a, min.defined() ? min : max});
  }
  return out;
}

// ---------------------------------------------------------------- binary
Tensor scalar_operand(const Tensor& a, Scalar s) {
  check_defined("scalar_operand", a);
  return scalar_tensor(s, result_type_with_scalar(a.dtype(), s.kind), a.device());
}

Tensor ew_binary(BinaryOp op, const Tensor& a, const Tensor& b, bool scalar_other) {
  const char* name = binary_name(op);
  check_defined(name, a);
  check_defined(name, b);
  check_same_device(name, a, b);
  DType ct = result_type(a, b);
  switch (op) {
    case BinaryOp::Atan2: case BinaryOp::Copysign: case BinaryOp::Xlogy: ct = float_dtype(ct); break;
    case BinaryOp::Hypot:
      TG_CHECK_KIND(ErrorKind::NotImplemented, is_floating(ct), "\"hypot_cpu\" not implemented for '", dtype_legacy_name(ct), "'");
      break;
    case BinaryOp::BitwiseAnd: case BinaryOp::BitwiseOr: case BinaryOp::BitwiseXor:
      TG_CHECK_KIND(ErrorKind::NotImplemented, !is_floating(ct), "\"", name, "_cpu\" not implemented for '", dtype_legacy_name(ct), "'");
      break;
    case BinaryOp::Fmod: case BinaryOp::Remainder:
      TG_CHECK_KIND(ErrorKind::NotImplemented, ct != DType::Bool, "\"", name, "_cpu\" not implemented for 'Bool'");
      check_no_zero_divisor(b);
      break;
    default: break;
  }
  Tensor out = run_binary(op, a, b, ct, name);
  const char* node = nullptr;
  switch (op) {
    case BinaryOp::Atan2: node = "Atan2Backward0"; break;
    case BinaryOp::Fmax: node = "FmaxBackward0"; break;
    case BinaryOp::Fmin: node = "FminBackward0"; break;
    case BinaryOp::Fmod: node = scalar_other ? "FmodBackward0" : "FmodBackward1"; break;
    case BinaryOp::Remainder: node = scalar_other ? "RemainderBackward0" : "RemainderBackward1"; break;
    case BinaryOp::Hypot: node = "HypotBackward0"; break;
    case BinaryOp::Copysign: node = scalar_other ? "CopysignBackward1" : "CopysignBackward0"; break;
    case BinaryOp::Xlogy: node = scalar_other ? "XlogyBackward2" : "XlogyBackward0"; break;
    default: return out;  // bitwise and logical ops have no gradient
  }
  if (auto n = record(node, ew_binary_backward, {&a, scalar_other ? nullptr : &b}, {&out})) {
    n->ints = {static_cast<int64_t>(op)};
    n->flag = scalar_other;
    n->save({a, b});
    if (op == BinaryOp::Hypot || op == BinaryOp::Copysign) n->save_output(out);
  }
  return out;
}

Tensor div_mode(const Tensor& a, const Tensor& b, const std::string& mode, bool scalar_other) {
  check_defined("div", a);
  check_defined("div", b);
  check_same_device("div", a, b);
  TG_CHECK(mode == "trunc" || mode == "floor",
           "div expected rounding_mode to be one of None, 'trunc', or 'floor' but found '", mode, "'");
  DType ct = result_type(a, b);
  TG_CHECK_KIND(ErrorKind::NotImplemented, ct != DType::Bool, "\"div_", mode, "_cpu\" not implemented for 'Bool'");
  check_no_zero_divisor(b);
  Tensor out = run_binary(mode == "trunc" ? BinaryOp::DivTrunc : BinaryOp::DivFloor, a, b, ct, "div");
  // PyTorch names a number divisor's node DivBackward2 too (Python wraps it in a tensor)
  record("DivBackward2", zero_backward, {&a, scalar_other ? nullptr : &b}, {&out});
  return out;
}

// lerp, addcmul and addcdiv: one pass of a ternary kernel over the operands broadcast to
// `shape` in dtype ct, with PyTorch's roundings (cpu/vec_ternary.inc, Note [Ternary
// roundings]); c undefined is lerp's number weight s.
static Tensor run_ternary(TernaryOp op, const Tensor& a, const Tensor& b, const Tensor& c, const Shape& shape, DType ct,
                          double s) {
  Tensor out = Tensor::empty(shape, ct, a.device());
  backend_of(a).ternary(op, out, expand_raw(cast_raw(a, ct), shape), expand_raw(cast_raw(b, ct), shape),
                        c.defined() ? expand_raw(cast_raw(c, ct), shape) : Tensor(), s);
  return out;
}

// lerp: self + weight * (end - self); LerpBackward0 (number weight) / LerpBackward1 (tensor).
static TensorList lerp_backward(OpNode& n, const TensorList& grads) {
  const Tensor& g = grads[0];
  if (!n.flag) {
    double w = n.scalar;
    return {n.needs_input_grad(0) ? g * (1 - w) : Tensor(), n.needs_input_grad(1) ? g * w : Tensor()};
  }
  Tensor a = n.saved(0), end = n.saved(1), w = n.saved(2);
  return {n.needs_input_grad(0) ? g * rsub(w, Scalar(1.0)) : Tensor(), n.needs_input_grad(1) ? g * w : Tensor(),
          n.needs_input_grad(2) ? g * (end - a) : Tensor()};
}

static void check_lerp(const Tensor& a, const Tensor& end) {
  check_defined("lerp", a);
  check_defined("lerp", end);
  check_same_device("lerp", a, end);
  TG_CHECK_DTYPE(a.dtype() == end.dtype(), "expected dtype ", dtype_legacy_name(a.dtype()), " for `end` but got dtype ",
                 dtype_legacy_name(end.dtype()));
  TG_CHECK_KIND(ErrorKind::NotImplemented, is_floating(a.dtype()), "\"lerp_kernel_scalar\" not implemented for '",
                dtype_legacy_name(a.dtype()), "'");
}

Tensor lerp(const Tensor& a, const Tensor& end, const Tensor& weight) {
  check_lerp(a, end);
  check_defined("lerp", weight);
  check_same_device("lerp", a, weight);
  TG_CHECK_DTYPE(a.dtype() == weight.dtype(), "expected dtype ", dtype_legacy_name(a.dtype()), " for `weight` but got dtype ",
                 dtype_legacy_name(weight.dtype()));
  Shape shape = broadcast_shapes(broadcast_shapes(a.sizes(), end.sizes(), "lerp"), weight.sizes(), "lerp");
  Tensor out = run_ternary(TernaryOp::Lerp, a, end, weight, shape, a.dtype(), 0);
  if (auto n = record("LerpBackward1", lerp_backward, {&a, &end, &weight}, {&out})) {
    n->flag = true;
    n->save({a, end, weight});
  }
  return out;
}

Tensor lerp(const Tensor& a, const Tensor& end, double weight) {
  check_lerp(a, end);
  Shape shape = broadcast_shapes(a.sizes(), end.sizes(), "lerp");
  Tensor out = run_ternary(TernaryOp::Lerp, a, end, Tensor(), shape, a.dtype(), weight);
  if (auto n = record("LerpBackward0", lerp_backward, {&a, &end}, {&out})) n->scalar = weight;
  return out;
}

// addcmul: self + value * t1 * t2; addcdiv: self + value * t1 / t2.
static TensorList addc_backward(OpNode& n, const TensorList& grads) {
  const Tensor& g = grads[0];
  Tensor t1 = n.saved(0), t2 = n.saved(1);
  const double v = n.scalar;
  if (!n.flag) {
    return {n.needs_input_grad(0) ? g * 1.0 : Tensor(), n.needs_input_grad(1) ? g * t2 * v : Tensor(),
            n.needs_input_grad(2) ? g * t1 * v : Tensor()};
  }
  return {n.needs_input_grad(0) ? g * 1.0 : Tensor(), n.needs_input_grad(1) ? g * v / t2 : Tensor(),
          n.needs_input_grad(2) ? neg(g) * v * t1 / (t2 * t2) : Tensor()};
}

// The result dtype of self + value * (t1 op t2) taken step by step, as these ops have always
// promoted: t1 op t2's dtype (true division: floating), lifted by a non-integral value
// (value 1 is no multiplication, so bools stay bool), then promoted with self, where the
// product is 0-d when t1 and t2 both are. (PyTorch promotes the three tensors at once, which
// differs only where a 0-d operand of a higher dtype meets dimensioned ones.)
static DType addc_dtype(const Tensor& a, const Tensor& t1, const Tensor& t2, double value, bool is_div) {
  DType p = result_type(t1, t2);
  if (is_div && !is_floating(p)) p = kDefaultFloat;
  if (value != 1) p = result_type_with_scalar(p, Scalar::from_js(value).kind);
  return result_type(a.dtype(), a.dim() == 0, p, t1.dim() == 0 && t2.dim() == 0);
}

static Tensor addc(const Tensor& a, const Tensor& t1, const Tensor& t2, double value, bool is_div) {
  const char* name = is_div ? "addcdiv" : "addcmul";
  check_defined(name, a);
  check_defined(name, t1);
  check_defined(name, t2);
  check_same_device(name, a, t1);
  check_same_device(name, a, t2);
  if (is_div)
    TG_CHECK(is_floating(t1.dtype()) || is_floating(t2.dtype()),
             "Integer division with addcdiv is no longer supported, and in a future release addcdiv will perform a true "
             "division of tensor1 and tensor2. The historic addcdiv behavior can be implemented as (input + value * "
             "torch.trunc(tensor1 / tensor2)).to(input.dtype) for integer inputs and as (input + value * tensor1 / "
             "tensor2) for float inputs. The future addcdiv behavior is just the latter implementation: (input + value "
             "* tensor1 / tensor2), for all dtypes.");
  Shape shape = broadcast_shapes(broadcast_shapes(a.sizes(), t1.sizes(), name), t2.sizes(), name);
  const DType ct = addc_dtype(a, t1, t2, value, is_div);
  Tensor out;
  if (is_floating(ct)) {
    out = run_ternary(is_div ? TernaryOp::Addcdiv : TernaryOp::Addcmul, a, t1, t2, shape, ct, value);
  } else {
    // Integer (or bool) addcmul, exact in any order, so composed in ct as PyTorch computes it.
    AutoGradMode no_grad(false);
    Tensor p = cast_raw(t1, ct) * cast_raw(t2, ct);
    out = cast_raw(a, ct) + (value == 1 ? p : mul(p, Scalar::from_js(value)));
  }
  if (auto n = record(is_div ? "AddcdivBackward0" : "AddcmulBackward0", addc_backward, {&a, &t1, &t2}, {&out})) {
    n->scalar = value;
    n->flag = is_div;
    n->save({t1, t2});
  }
  return out;
}

Tensor addcmul(const Tensor& a, const Tensor& t1, const Tensor& t2, double value) { return addc(a, t1, t2, value, false); }
Tensor addcdiv(const Tensor& a, const Tensor& t1, const Tensor& t2, double value) { return addc(a, t1, t2, value, true); }

// ---------------------------------------------------------------- comparison and logical
bool any_true(const Tensor& boolean) {
  Tensor c = contiguous_raw(boolean);
  std::vector<uint8_t> host(static_cast<size_t>(c.numel()) + 1);
  if (c.numel() > 0) backend_of(c).to_host(host.data(), c);
  for (int64_t i = 0; i < c.numel(); ++i)
    if (host[static_cast<size_t>(i)]) return true;
  return false;
}

Tensor isnan(const Tensor& a) {
  check_defined("isnan", a);
  if (!is_floating(a.dtype())) return zeros(a.sizes(), DType::Bool, a.device());
  return compare(BinaryOp::Ne, a, a);
}

Tensor isinf(const Tensor& a) {
  check_defined("isinf", a);
  if (!is_floating(a.dtype())) return zeros(a.sizes(), DType::Bool, a.device());
  AutoGradMode no_grad(false);
  return compare(BinaryOp::Eq, abs(a), Scalar(std::numeric_limits<double>::infinity()));
}

Tensor isfinite(const Tensor& a) {
  check_defined("isfinite", a);
  if (!is_floating(a.dtype())) return ones(a.sizes(), DType::Bool, a.device());
  AutoGradMode no_grad(false);
  return compare(BinaryOp::Eq, sub(a, a), Scalar(0.0));  // inf - inf and NaN - NaN are NaN
}

Tensor logical_not(const Tensor& a) {
  check_defined("logical_not", a);
  return compare(BinaryOp::Eq, a, Scalar::boolean(false));
}

Tensor bitwise_not(const Tensor& a) {
  check_defined("bitwise_not", a);
  TG_CHECK_KIND(ErrorKind::NotImplemented, !is_floating(a.dtype()), "\"bitwise_not_cpu\" not implemented for '",
                dtype_legacy_name(a.dtype()), "'");
  return unary_kernel(UnaryOp::BitwiseNot, a, a.dtype(), 0, 0);
}

Tensor isclose(const Tensor& a, const Tensor& b, double rtol, double atol, bool equal_nan) {
  check_defined("isclose", a);
  check_defined("isclose", b);
  TG_CHECK_DTYPE(a.dtype() == b.dtype(), "isclose(): expected both inputs to have the same dtype, but got ",
                 dtype_legacy_name(a.dtype()), " and ", dtype_legacy_name(b.dtype()));
  TG_CHECK_VALUE(rtol >= 0, "rtol must be greater than or equal to zero, but got ", rtol);
  TG_CHECK_VALUE(atol >= 0, "atol must be greater than or equal to zero, but got ", atol);
  AutoGradMode no_grad(false);
  Tensor close = compare(BinaryOp::Eq, a, b);
  if (equal_nan) close = lor(close, land(isnan(a), isnan(b)));
  if (!is_floating(a.dtype()) && rtol == 0 && atol == 0) return close;
  Tensor af = is_floating(a.dtype()) ? a : to_dtype(a, kDefaultFloat);
  Tensor bf = is_floating(b.dtype()) ? b : to_dtype(b, kDefaultFloat);
  Tensor diff = abs(af - bf);
  Tensor tol = add(mul(abs(bf), Scalar(rtol)), Scalar(atol));
  Tensor within = land(compare(BinaryOp::Le, diff, tol), isfinite(diff));
  return lor(close, within);
}

bool equal(const Tensor& a, const Tensor& b) {
  check_defined("equal", a);
  check_defined("equal", b);
  check_same_device("equal", a, b);
  if (a.sizes() != b.sizes()) return false;
  AutoGradMode no_grad(false);
  return !any_true(compare(BinaryOp::Ne, a, b));
}

}  // namespace tg

// Exports of the elementwise family (csrc/ops/elementwise_ext.h). Operands that may be a
// tensor or a number come as (value, isNumber) pairs: tensors cross as integer ids.
#include "binding/api.h"
#include "binding/convert.h"
#include "ops/elementwise_ext.h"

namespace tg {
namespace binding {
namespace {

#define RESULT(expr) return op_result(info.Env(), info[0], (expr))

// A tensor-or-number operand at info[i] (flag at info[i + 1]); numbers take a's dtype rules.
Tensor operand(const Napi::CallbackInfo& info, size_t i, const Tensor& a, const char* what) {
  if (bool_arg(info, i + 1)) return scalar_operand(a, scalar_arg(info, i));
  return tensor_arg(info, i, what);
}

Napi::Value EwUnary(const Napi::CallbackInfo& info) {
  // (out, op, a, p0, p1)
  expect_args(info, 5, "ewUnary");
  RESULT(ew_unary(static_cast<UnaryOp>(int_arg(info, 1)), tensor_arg(info, 2, "input"), num_arg(info, 3), num_arg(info, 4)));
}

Napi::Value Hardtanh(const Napi::CallbackInfo& info) {
  expect_args(info, 4, "hardtanh");
  RESULT(hardtanh(tensor_arg(info, 1, "input"), num_arg(info, 2, "min_val"), num_arg(info, 3, "max_val")));
}

Napi::Value RoundDecimals(const Napi::CallbackInfo& info) {
  expect_args(info, 3, "round");
  RESULT(round_decimals(tensor_arg(info, 1, "input"), int_arg(info, 2, "decimals")));
}

Napi::Value NanToNum(const Napi::CallbackInfo& info) {
  expect_args(info, 2, "nanToNum");
  RESULT(nan_to_num(tensor_arg(info, 1, "input"), opt_num_arg(info, 2), opt_num_arg(info, 3), opt_num_arg(info, 4)));
}

Napi::Value Logit(const Napi::CallbackInfo& info) {
  expect_args(info, 2, "logit");
  RESULT(logit(tensor_arg(info, 1, "input"), opt_num_arg(info, 2)));
}

Napi::Value ClampTensor(const Napi::CallbackInfo& info) {
  // (out, a, min, minIsNumber, max, maxIsNumber); a null bound is absent.
  expect_args(info, 6, "clamp");
  Tensor a = tensor_arg(info, 1, "input");
  Tensor lo = info[2].IsNull() ? Tensor() : operand(info, 2, a, "min");
  Tensor hi = info[4].IsNull() ? Tensor() : operand(info, 4, a, "max");
  RESULT(clamp_tensor(a, lo, hi));
}

Napi::Value EwBinary(const Napi::CallbackInfo& info) {
  // (out, op, a, b, bIsNumber)
  expect_args(info, 5, "ewBinary");
  Tensor a = tensor_arg(info, 2, "input");
  bool is_number = bool_arg(info, 4);
  RESULT(ew_binary(static_cast<BinaryOp>(int_arg(info, 1)), a, operand(info, 3, a, "other"), is_number));
}

Napi::Value DivMode(const Napi::CallbackInfo& info) {
  // (out, a, b, bIsNumber, mode)
  expect_args(info, 5, "div");
  Tensor a = tensor_arg(info, 1, "input");
  RESULT(div_mode(a, operand(info, 2, a, "other"), info[4].ToString().Utf8Value(), bool_arg(info, 3)));
}

Napi::Value Lerp(const Napi::CallbackInfo& info) {
  // (out, a, end, weight, weightIsNumber)
  expect_args(info, 5, "lerp");
  Tensor a = tensor_arg(info, 1, "input"), end = tensor_arg(info, 2, "end");
  if (bool_arg(info, 4)) RESULT(lerp(a, end, num_arg(info, 3, "weight")));
  RESULT(lerp(a, end, tensor_arg(info, 3, "weight")));
}

Napi::Value Addc(const Napi::CallbackInfo& info) {
  // (out, a, t1, t2, value, isDiv)
  expect_args(info, 6, "addcmul");
  Tensor a = tensor_arg(info, 1, "input"), t1 = tensor_arg(info, 2, "tensor1"), t2 = tensor_arg(info, 3, "tensor2");
  double v = num_arg(info, 4, "value");
  RESULT(bool_arg(info, 5) ? addcdiv(a, t1, t2, v) : addcmul(a, t1, t2, v));
}

Napi::Value Predicate(const Napi::CallbackInfo& info) {
  // (out, a, which): isnan / isinf / isfinite / logicalNot
  expect_args(info, 3, "predicate");
  Tensor a = tensor_arg(info, 1, "input");
  std::string which = info[2].ToString().Utf8Value();
  if (which == "isnan") RESULT(isnan(a));
  if (which == "isinf") RESULT(isinf(a));
  if (which == "isfinite") RESULT(isfinite(a));
  if (which == "bitwiseNot") RESULT(bitwise_not(a));
  RESULT(logical_not(a));
}

Napi::Value Isclose(const Napi::CallbackInfo& info) {
  // (out, a, b, rtol, atol, equalNan)
  expect_args(info, 6, "isclose");
  RESULT(isclose(tensor_arg(info, 1, "input"), tensor_arg(info, 2, "other"), num_arg(info, 3, "rtol"), num_arg(info, 4, "atol"),
                 bool_arg(info, 5)));
}

Napi::Value Equal(const Napi::CallbackInfo& info) {
  expect_args(info, 2, "equal");
  return Napi::Boolean::New(info.Env(), equal(tensor_arg(info, 0, "input"), tensor_arg(info, 1, "other")));
}

}  // namespace

void register_elementwise_api(Napi::Env env, Napi::Object exports) {
  exports.Set("ewUnary", Napi::Function::New(env, guarded<EwUnary>, "ewUnary"));
  exports.Set("hardtanh", Napi::Function::New(env, guarded<Hardtanh>, "hardtanh"));
  exports.Set("roundDecimals", Napi::Function::New(env, guarded<RoundDecimals>, "roundDecimals"));
  exports.Set("nanToNum", Napi::Function::New(env, guarded<NanToNum>, "nanToNum"));
  exports.Set("logit", Napi::Function::New(env, guarded<Logit>, "logit"));
  exports.Set("clampTensor", Napi::Function::New(env, guarded<ClampTensor>, "clampTensor"));
  exports.Set("ewBinary", Napi::Function::New(env, guarded<EwBinary>, "ewBinary"));
  exports.Set("divMode", Napi::Function::New(env, guarded<DivMode>, "divMode"));
  exports.Set("lerp", Napi::Function::New(env, guarded<Lerp>, "lerp"));
  exports.Set("addc", Napi::Function::New(env, guarded<Addc>, "addc"));
  exports.Set("predicate", Napi::Function::New(env, guarded<Predicate>, "predicate"));
  exports.Set("isclose", Napi::Function::New(env, guarded<Isclose>, "isclose"));
  exports.Set("equal", Napi::Function::New(env, guarded<Equal>, "equal"));
}

}  // namespace binding
}  // namespace tg

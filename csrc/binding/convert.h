// Argument conversion and the error boundary between C++ and JS. Every exported function is
// registered through guarded<F>, which turns tg::Error into the matching JS Error subclass
// (lib/errors.ts) and lets JS exceptions raised inside callbacks (hooks) pass unchanged.
#pragma once
#include <napi.h>
#include <optional>
#include "binding/env_data.h"
#include "core/scalar.h"

namespace tg {
namespace binding {

[[noreturn]] void throw_js(Napi::Env env, ErrorKind kind, const std::string& message);

template <Napi::Value (*F)(const Napi::CallbackInfo&)>
Napi::Value guarded(const Napi::CallbackInfo& info) {
  try {
    return F(info);
  } catch (const Napi::Error&) {
    throw;
  } catch (const Error& e) {
    throw_js(info.Env(), e.kind(), e.what());
  } catch (const std::bad_alloc&) {
    throw_js(info.Env(), ErrorKind::Runtime, "out of memory");
  } catch (const std::exception& e) {
    throw_js(info.Env(), ErrorKind::Runtime, e.what());
  }
}

inline void expect_args(const Napi::CallbackInfo& info, size_t n, const char* fn) {
  if (info.Length() < n) throw Error(ErrorKind::Type, str(fn, ": expected ", n, " arguments, got ", info.Length()));
}

inline double num_arg(const Napi::CallbackInfo& info, size_t i, const char* what = "argument") {
  if (!info[i].IsNumber()) throw Error(ErrorKind::Type, str("expected ", what, " to be a number"));
  return info[i].As<Napi::Number>().DoubleValue();
}

inline int64_t int_arg(const Napi::CallbackInfo& info, size_t i, const char* what = "argument") {
  double v = num_arg(info, i, what);
  if (v != static_cast<double>(static_cast<int64_t>(v)))
    throw Error(ErrorKind::Type, str("expected ", what, " to be an integer, got ", v));
  return static_cast<int64_t>(v);
}

inline bool bool_arg(const Napi::CallbackInfo& info, size_t i) { return info[i].ToBoolean().Value(); }

inline std::optional<double> opt_num_arg(const Napi::CallbackInfo& info, size_t i) {
  if (i >= info.Length() || info[i].IsNull() || info[i].IsUndefined()) return std::nullopt;
  return num_arg(info, i);
}

inline Tensor tensor_arg(const Napi::CallbackInfo& info, size_t i, const char* what = "tensor") {
  return tensor_of(info.Env(), info[i], what);
}

inline Tensor opt_tensor_arg(const Napi::CallbackInfo& info, size_t i) {
  if (i >= info.Length() || info[i].IsNull() || info[i].IsUndefined()) return Tensor();
  return tensor_of(info.Env(), info[i]);
}

inline Scalar scalar_arg(const Napi::CallbackInfo& info, size_t i) {
  if (info[i].IsBoolean()) return Scalar::boolean(info[i].As<Napi::Boolean>().Value());
  return Scalar::from_js(num_arg(info, i, "scalar"));
}

Shape shape_arg(const Napi::CallbackInfo& info, size_t i);
std::vector<int64_t> ints_arg(const Napi::CallbackInfo& info, size_t i);
DType dtype_arg(const Napi::CallbackInfo& info, size_t i);
TensorList tensors_arg(const Napi::CallbackInfo& info, size_t i);  // array of ids (null -> undefined)
Napi::Array shape_to_js(Napi::Env env, const Shape& s);

}  // namespace binding
}  // namespace tg

#include "binding/convert.h"

namespace tg {
namespace binding {

void throw_js(Napi::Env env, ErrorKind kind, const std::string& message) {
  EnvData& d = env_data(env);
  size_t k = static_cast<size_t>(kind);
  if (k < d.error_classes.size() && !d.error_classes[k].IsEmpty()) {
    Napi::Object err = d.error_classes[k].New({Napi::String::New(env, message)});
    throw Napi::Error(env, err);
  }
  throw Napi::Error::New(env, message);
}

std::vector<int64_t> ints_arg(const Napi::CallbackInfo& info, size_t i) {
  if (!info[i].IsArray()) throw Error(ErrorKind::Type, "expected an array of integers");
  Napi::Array a = info[i].As<Napi::Array>();
  std::vector<int64_t> out(a.Length());
  for (uint32_t k = 0; k < a.Length(); ++k) {
    Napi::Value v = a.Get(k);
    if (!v.IsNumber()) throw Error(ErrorKind::Type, "expected an array of integers");
    double d = v.As<Napi::Number>().DoubleValue();
    if (d != static_cast<double>(static_cast<int64_t>(d)))
      throw Error(ErrorKind::Type, str("expected an integer, got ", d));
    out[k] = static_cast<int64_t>(d);
  }
  return out;
}

Shape shape_arg(const Napi::CallbackInfo& info, size_t i) {
  auto v = ints_arg(info, i);
  return Shape(v.begin(), v.end());
}

DType dtype_arg(const Napi::CallbackInfo& info, size_t i) {
  if (!info[i].IsString()) throw Error(ErrorKind::Type, "expected dtype to be a string");
  std::string name = info[i].As<Napi::String>().Utf8Value();
  DType dt;
  if (!dtype_from_name(name, &dt))
    throw Error(ErrorKind::Type, str("unknown dtype '", name, "' (expected float32, float64, int32, int64, bool or uint8)"));
  return dt;
}

TensorList tensors_arg(const Napi::CallbackInfo& info, size_t i) {
  if (!info[i].IsArray()) throw Error(ErrorKind::Type, "expected an array of tensors");
  Napi::Array a = info[i].As<Napi::Array>();
  TensorList out(a.Length());
  for (uint32_t k = 0; k < a.Length(); ++k) {
    Napi::Value v = a.Get(k);
    if (!v.IsNull() && !v.IsUndefined()) out[k] = tensor_of(info.Env(), v);
  }
  return out;
}

Napi::Array shape_to_js(Napi::Env env, const Shape& s) {
  Napi::Array a = Napi::Array::New(env, s.size());
  for (size_t i = 0; i < s.size(); ++i) a.Set(static_cast<uint32_t>(i), Napi::Number::New(env, static_cast<double>(s[i])));
  return a;
}

}  // namespace binding
}  // namespace tg

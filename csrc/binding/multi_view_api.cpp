// Exported multi-output view ops (csrc/ops/multi_view.cpp): each returns an array of tensors.
#include "binding/api.h"
#include "binding/convert.h"
#include "ops/ops.h"

namespace tg {
namespace binding {
namespace {

Napi::Value to_js(Napi::Env env, const TensorList& ts) {
  Napi::Array out = Napi::Array::New(env, ts.size());
  for (size_t i = 0; i < ts.size(); ++i) out.Set(static_cast<uint32_t>(i), wrap(env, ts[i]));
  return out;
}

// (tensor, dim)
Napi::Value Unbind(const Napi::CallbackInfo& info) {
  expect_args(info, 2, "unbind");
  return to_js(info.Env(), unbind(tensor_arg(info, 0, "input"), int_arg(info, 1, "dim")));
}

// (tensor, splitSize | splitSizes[], dim)
Napi::Value Split(const Napi::CallbackInfo& info) {
  expect_args(info, 3, "split");
  Tensor a = tensor_arg(info, 0, "input");
  int64_t dim = int_arg(info, 2, "dim");
  if (info[1].IsArray()) return to_js(info.Env(), split_with_sizes(a, ints_arg(info, 1), dim));
  return to_js(info.Env(), split(a, int_arg(info, 1, "split_size"), dim));
}

// (tensor, chunks, dim)
Napi::Value Chunk(const Napi::CallbackInfo& info) {
  expect_args(info, 3, "chunk");
  return to_js(info.Env(), chunk(tensor_arg(info, 0, "input"), int_arg(info, 1, "chunks"), int_arg(info, 2, "dim")));
}

}  // namespace

void register_multi_view_api(Napi::Env env, Napi::Object exports) {
  exports.Set("unbind", Napi::Function::New(env, guarded<Unbind>, "unbind"));
  exports.Set("split", Napi::Function::New(env, guarded<Split>, "split"));
  exports.Set("chunk", Napi::Function::New(env, guarded<Chunk>, "chunk"));
}

}  // namespace binding
}  // namespace tg

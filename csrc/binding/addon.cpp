// Module entry: per-env data, the JS classes handed over by lib/native.ts, and the exports.
#include "binding/api.h"
#include "binding/convert.h"
#include "core/backend.h"

namespace tg {
namespace binding {
namespace {

// (config: {tensorFactory, nodeFactory, warn, captureStack?, errors: {Runtime, Shape, DType, Device, Index, Type, Value, NotImplemented}})
Napi::Value Init(const Napi::CallbackInfo& info) {
  EnvData& d = env_data(info.Env());
  Napi::Object cfg = info[0].As<Napi::Object>();
  d.tensor_factory = Napi::Persistent(cfg.Get("tensorFactory").As<Napi::Function>());
  d.node_factory = Napi::Persistent(cfg.Get("nodeFactory").As<Napi::Function>());
  d.warn = Napi::Persistent(cfg.Get("warn").As<Napi::Function>());
  if (cfg.Get("captureStack").IsFunction()) d.capture_stack = Napi::Persistent(cfg.Get("captureStack").As<Napi::Function>());
  Napi::Object errors = cfg.Get("errors").As<Napi::Object>();
  const char* names[] = {"Runtime", "Shape", "DType", "Device", "Index", "Type", "Value", "NotImplemented"};
  d.error_classes.clear();
  for (const char* n : names) d.error_classes.push_back(Napi::Persistent(errors.Get(n).As<Napi::Function>()));
  return info.Env().Undefined();
}

}  // namespace

Napi::Object InitModule(Napi::Env env, Napi::Object exports) {
  env.SetInstanceData<EnvData>(new EnvData());
  exports.Set("init", Napi::Function::New(env, Init, "init"));
  auto names = [&](std::initializer_list<const char*> list) {
    Napi::Array a = Napi::Array::New(env, list.size());
    uint32_t i = 0;
    for (const char* n : list) a.Set(i++, Napi::String::New(env, n));
    return a;
  };
#define TG_NAME(e, name) #name,
  exports.Set("unaryOps", names({TG_UNARY_OPS(TG_NAME)}));
  exports.Set("binaryOps", names({TG_BINARY_OPS(TG_NAME)}));
  exports.Set("reduceOps", names({TG_REDUCE_OPS(TG_NAME)}));
#undef TG_NAME
  register_tensor_api(env, exports);
  register_autograd_api(env, exports);
  register_function_api(env, exports);
  register_multi_view_api(env, exports);
  register_movement_api(env, exports);
  register_elementwise_api(env, exports);
  register_nn_api(env, exports);
  register_reduce_api(env, exports);
  register_indexing_api(env, exports);
  register_conv_api(env, exports);
  register_module_api(env, exports);
  register_optim_api(env, exports);
  register_poolnorm_api(env, exports);
  return exports;
}

}  // namespace binding
}  // namespace tg

static Napi::Object InitTensorgrad(Napi::Env env, Napi::Object exports) { return tg::binding::InitModule(env, exports); }

NODE_API_MODULE(tensorgrad, InitTensorgrad)

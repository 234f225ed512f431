// The fused optimizer update (csrc/ops/optim.cpp), called once per parameter group by
// lib/optim. Hyper-parameters come as one object with camelCase keys (lib/native.ts OptimHyper).
#include "binding/api.h"
#include "binding/convert.h"
#include "ops/optim.h"

namespace tg {
namespace binding {
namespace {

double num_field(const Napi::Object& o, const char* key) {
  Napi::Value v = o.Get(key);
  if (v.IsUndefined()) return 0;
  if (!v.IsNumber()) throw Error(ErrorKind::Type, str("optimizer step: expected option ", key, " to be a number"));
  return v.As<Napi::Number>().DoubleValue();
}

bool bool_field(const Napi::Object& o, const char* key) { return o.Get(key).ToBoolean().Value(); }

// (hyper, params: Id[], grads: Id[], bufs: (Id|null)[] three per param, steps: number[])
Napi::Value OptimStep(const Napi::CallbackInfo& info) {
  expect_args(info, 5, "optimStep");
  if (!info[0].IsObject()) throw Error(ErrorKind::Type, "optimStep: expected an options object");
  Napi::Object o = info[0].As<Napi::Object>();
  OptimParams h;
  const double kind = num_field(o, "kind");
  if (kind != 0 && kind != 1 && kind != 2 && kind != 3) throw Error(ErrorKind::Value, str("optimStep: unknown kind ", kind));
  h.kind = static_cast<OptimKind>(static_cast<int>(kind));
  h.lr = num_field(o, "lr");
  h.momentum = num_field(o, "momentum");
  h.dampening = num_field(o, "dampening");
  h.weight_decay = num_field(o, "weightDecay");
  h.beta1 = num_field(o, "beta1");
  h.beta2 = num_field(o, "beta2");
  h.eps = num_field(o, "eps");
  h.alpha = num_field(o, "alpha");
  h.lr_decay = num_field(o, "lrDecay");
  h.nesterov = bool_field(o, "nesterov");
  h.maximize = bool_field(o, "maximize");
  h.amsgrad = bool_field(o, "amsgrad");
  h.centered = bool_field(o, "centered");
  h.decoupled = bool_field(o, "decoupled");
  std::vector<int64_t> steps = ints_arg(info, 4);
  optim::step(h, tensors_arg(info, 1), tensors_arg(info, 2), tensors_arg(info, 3), steps);
  return info.Env().Undefined();
}

}  // namespace

void register_optim_api(Napi::Env env, Napi::Object exports) {
  exports.Set("optimStep", Napi::Function::New(env, guarded<OptimStep>, "optimStep"));
}

}  // namespace binding
}  // namespace tg

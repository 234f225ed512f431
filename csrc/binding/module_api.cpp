// Exported functions nn.Module needs beyond the tensor ops: setData, PyTorch's set_data
// (`param.data = t`), which lets Module.to() convert a parameter without replacing the JS
// object that optimizers and user code hold (see lib/nn/parameter.ts, Note [Parameter handles]).
#include "autograd/autograd_meta.h"
#include "binding/api.h"
#include "binding/convert.h"

namespace tg {
namespace binding {
namespace {

Napi::Value SetData(const Napi::CallbackInfo& info) {
  Tensor self = tensor_arg(info, 0);
  Tensor src = tensor_arg(info, 1);
  TensorImpl* a = self.impl();
  const TensorImpl* b = src.impl();
  TG_CHECK(a->device() == b->device(), "set_data(): the new data must be on the same device as the tensor");
  TG_CHECK_DTYPE(!self.requires_grad() || is_floating(b->dtype()),
                 "data set to a tensor that requires gradients must be floating point or complex dtype");
  bool same_meta = a->dtype() == b->dtype() && a->sizes() == b->sizes();
  a->set_data_from(*b);
  // A leaf's AccumulateGrad records its dtype and shape: a graph built before the change
  // must not accumulate into the converted tensor, so the next use makes a new one.
  if (!same_meta) {
    if (auto* m = get_meta(self)) m->grad_accumulator.reset();
  }
  return info.Env().Undefined();
}

}  // namespace

void register_module_api(Napi::Env env, Napi::Object exports) {
  exports.Set("setData", Napi::Function::New(env, guarded<SetData>, "setData"));
}

}  // namespace binding
}  // namespace tg

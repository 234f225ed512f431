// Exported convolution op (csrc/ops/conv.cpp). lib/nn/conv.ts turns PyTorch's argument
// forms (number | number[], 'same' / 'valid') into the lists and padding mode used here.
#include "binding/api.h"
#include "binding/convert.h"
#include "ops/conv.h"

namespace tg {
namespace binding {
namespace {

// (out, input, weight, bias|null, spatial, transposed, stride[], padding[], paddingMode,
//  dilation[], outputPadding[], groups)
Napi::Value Convolution(const Napi::CallbackInfo& info) {
  expect_args(info, 12, "convolution");
  const int64_t mode = int_arg(info, 8, "padding_mode");
  if (mode < 0 || mode > 2) throw Error(ErrorKind::Value, str("convolution: unknown padding mode ", mode));
  return op_result(info.Env(), info[0],
                   nn::convolution(tensor_arg(info, 1, "input"), tensor_arg(info, 2, "weight"), opt_tensor_arg(info, 3),
                                   int_arg(info, 4, "spatial"), bool_arg(info, 5), ints_arg(info, 6),
                                   ints_arg(info, 7), static_cast<nn::ConvPadding>(mode), ints_arg(info, 9),
                                   ints_arg(info, 10), int_arg(info, 11, "groups")));
}

}  // namespace

void register_conv_api(Napi::Env env, Napi::Object exports) {
  exports.Set("nnConvolution", Napi::Function::New(env, guarded<Convolution>, "nnConvolution"));
}

}  // namespace binding
}  // namespace tg

// Exported nn.functional ops (csrc/ops/nn.cpp). Optional tensors are null; reductions are
// PyTorch's enum values (0 none, 1 mean, 2 sum), mapped from strings in lib/nn/functional.ts.
#include "binding/api.h"
#include "binding/convert.h"
#include "ops/nn.h"

namespace tg {
namespace binding {
namespace {

#define RESULT(expr) return op_result(info.Env(), info[0], (expr))

// (out, x, dim, log)
Napi::Value Softmax(const Napi::CallbackInfo& info) {
  expect_args(info, 4, "softmax");
  Tensor x = tensor_arg(info, 1, "input");
  const int64_t dim = int_arg(info, 2, "dim");
  RESULT(bool_arg(info, 3) ? nn::log_softmax(x, dim) : nn::softmax(x, dim));
}

// (out, input, target, weight|null, reduction, ignoreIndex)
Napi::Value NllLoss(const Napi::CallbackInfo& info) {
  expect_args(info, 6, "nll_loss");
  RESULT(nn::nll_loss(tensor_arg(info, 1, "input"), tensor_arg(info, 2, "target"), opt_tensor_arg(info, 3),
                      int_arg(info, 4, "reduction"), int_arg(info, 5, "ignore_index")));
}

// (out, input, target, weight|null, reduction, ignoreIndex, labelSmoothing)
Napi::Value CrossEntropy(const Napi::CallbackInfo& info) {
  expect_args(info, 7, "cross_entropy");
  RESULT(nn::cross_entropy(tensor_arg(info, 1, "input"), tensor_arg(info, 2, "target"), opt_tensor_arg(info, 3),
                           int_arg(info, 4, "reduction"), int_arg(info, 5, "ignore_index"),
                           num_arg(info, 6, "label_smoothing")));
}

// (out, kind, input, target, weight|null, posWeight|null, reduction, param)
Napi::Value PointwiseLoss(const Napi::CallbackInfo& info) {
  expect_args(info, 8, "loss");
  const int64_t kind = int_arg(info, 1, "kind");
  if (kind < 0 || kind > 4) throw Error(ErrorKind::Value, str("unknown loss kind ", kind));
  RESULT(nn::pointwise_loss(static_cast<nn::PointwiseLoss>(kind), tensor_arg(info, 2, "input"),
                            tensor_arg(info, 3, "target"), opt_tensor_arg(info, 4), opt_tensor_arg(info, 5),
                            int_arg(info, 6, "reduction"), num_arg(info, 7, "param")));
}

// (out, x, weight, bias|null)
Napi::Value Linear(const Napi::CallbackInfo& info) {
  expect_args(info, 3, "linear");
  RESULT(nn::linear(tensor_arg(info, 1, "input"), tensor_arg(info, 2, "weight"), opt_tensor_arg(info, 3)));
}

// (out, indices, weight, paddingIdx|null)
Napi::Value Embedding(const Napi::CallbackInfo& info) {
  expect_args(info, 3, "embedding");
  std::optional<int64_t> pad;
  if (info.Length() > 3 && !info[3].IsNull() && !info[3].IsUndefined()) pad = int_arg(info, 3, "padding_idx");
  RESULT(nn::embedding(tensor_arg(info, 1, "input"), tensor_arg(info, 2, "weight"), pad));
}

// (out, x, pads, mode, value)
Napi::Value Pad(const Napi::CallbackInfo& info) {
  expect_args(info, 5, "pad");
  const int64_t mode = int_arg(info, 3, "mode");
  if (mode < 0 || mode > 2) throw Error(ErrorKind::Value, str("pad: unknown mode ", mode));
  RESULT(nn::pad(tensor_arg(info, 1, "input"), ints_arg(info, 2), static_cast<nn::PadMode>(mode), num_arg(info, 4, "value")));
}

}  // namespace

void register_nn_api(Napi::Env env, Napi::Object exports) {
  auto def = [&](const char* name, Napi::Value (*fn)(const Napi::CallbackInfo&)) {
    exports.Set(name, Napi::Function::New(env, fn, name));
  };
  def("nnSoftmax", guarded<Softmax>);
  def("nnNllLoss", guarded<NllLoss>);
  def("nnCrossEntropy", guarded<CrossEntropy>);
  def("nnPointwiseLoss", guarded<PointwiseLoss>);
  def("nnLinear", guarded<Linear>);
  def("nnEmbedding", guarded<Embedding>);
  def("nnPad", guarded<Pad>);
}

}  // namespace binding
}  // namespace tg

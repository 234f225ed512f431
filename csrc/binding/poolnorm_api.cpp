// Exported pooling and normalization ops (csrc/ops/pool.cpp, csrc/ops/norm.cpp). Per-dim
// arguments arrive as arrays already expanded by lib/nn/poolnorm.ts ([h, w] for 2-D);
// optional tensors and numbers are null. Ops with indices return [values, indices].
#include "binding/api.h"
#include "binding/convert.h"
#include "ops/norm.h"
#include "ops/pool.h"

namespace tg {
namespace binding {
namespace {

#define RESULT(expr) return op_result(info.Env(), info[0], (expr))


std::vector<int64_t> dims_arg(const Napi::CallbackInfo& info, size_t i, size_t n, const char* what) {
  std::vector<int64_t> v = ints_arg(info, i);
  if (v.size() != n) throw Error(ErrorKind::Value, str(what, " must have ", n, " elements, got ", v.size()));
  return v;
}

nn::Ints2 ints2_arg(const Napi::CallbackInfo& info, size_t i, const char* what) {
  std::vector<int64_t> v = dims_arg(info, i, 2, what);
  return {v[0], v[1]};
}

// (outValues, outIndices, x, kernel[], stride[], padding[], dilation[], ceilMode); 1 or 2 dims.
Napi::Value MaxPool(const Napi::CallbackInfo& info) {
  expect_args(info, 8, "max_pool");
  Tensor x = tensor_arg(info, 2, "input");
  const std::vector<int64_t> k = ints_arg(info, 3);
  const bool ceil = bool_arg(info, 7);
  if (k.size() == 1) {
    return pair_result(info, nn::max_pool1d(x, k[0], dims_arg(info, 4, 1, "stride")[0], dims_arg(info, 5, 1, "padding")[0],
                                            dims_arg(info, 6, 1, "dilation")[0], ceil));
  }
  return pair_result(info, nn::max_pool2d(x, ints2_arg(info, 3, "kernel_size"), ints2_arg(info, 4, "stride"),
                                          ints2_arg(info, 5, "padding"), ints2_arg(info, 6, "dilation"), ceil));
}

// (out, x, kernel[], stride[], padding[], ceilMode, countIncludePad, divisorOverride|null); 1 or 2 dims.
Napi::Value AvgPool(const Napi::CallbackInfo& info) {
  expect_args(info, 8, "avg_pool");
  Tensor x = tensor_arg(info, 1, "input");
  const std::vector<int64_t> k = ints_arg(info, 2);
  const bool ceil = bool_arg(info, 5), cip = bool_arg(info, 6);
  if (k.size() == 1) {
    RESULT(nn::avg_pool1d(x, k[0], dims_arg(info, 3, 1, "stride")[0], dims_arg(info, 4, 1, "padding")[0], ceil, cip));
  }
  std::optional<int64_t> divisor;
  if (!info[7].IsNull() && !info[7].IsUndefined()) divisor = int_arg(info, 7, "divisor_override");
  RESULT(nn::avg_pool2d(x, ints2_arg(info, 2, "kernel_size"), ints2_arg(info, 3, "stride"), ints2_arg(info, 4, "padding"),
                        ceil, cip, divisor));
}

// (out, x, outputSize[]); 1 or 2 dims.
Napi::Value AdaptiveAvgPool(const Napi::CallbackInfo& info) {
  expect_args(info, 3, "adaptive_avg_pool");
  Tensor x = tensor_arg(info, 1, "input");
  const std::vector<int64_t> o = ints_arg(info, 2);
  if (o.size() == 1) RESULT(nn::adaptive_avg_pool1d(x, o[0]));
  RESULT(nn::adaptive_avg_pool2d(x, ints2_arg(info, 2, "output_size")));
}

// (outValues, outIndices, x, outputSize[]); 1 or 2 dims.
Napi::Value AdaptiveMaxPool(const Napi::CallbackInfo& info) {
  expect_args(info, 4, "adaptive_max_pool");
  Tensor x = tensor_arg(info, 2, "input");
  const std::vector<int64_t> o = ints_arg(info, 3);
  if (o.size() == 1) return pair_result(info, nn::adaptive_max_pool1d(x, o[0]));
  return pair_result(info, nn::adaptive_max_pool2d(x, ints2_arg(info, 3, "output_size")));
}

// (out, x, runningMean|null, runningVar|null, weight|null, bias|null, training, momentum, eps)
Napi::Value BatchNorm(const Napi::CallbackInfo& info) {
  expect_args(info, 9, "batch_norm");
  RESULT(nn::batch_norm(tensor_arg(info, 1, "input"), opt_tensor_arg(info, 2), opt_tensor_arg(info, 3),
                        opt_tensor_arg(info, 4), opt_tensor_arg(info, 5), bool_arg(info, 6), num_arg(info, 7, "momentum"),
                        num_arg(info, 8, "eps")));
}

// (out, x, runningMean|null, runningVar|null, weight|null, bias|null, useInputStats, momentum, eps)
Napi::Value InstanceNorm(const Napi::CallbackInfo& info) {
  expect_args(info, 9, "instance_norm");
  RESULT(nn::instance_norm(tensor_arg(info, 1, "input"), opt_tensor_arg(info, 2), opt_tensor_arg(info, 3),
                           opt_tensor_arg(info, 4), opt_tensor_arg(info, 5), bool_arg(info, 6), num_arg(info, 7, "momentum"),
                           num_arg(info, 8, "eps")));
}

// (out, x, numGroups, weight|null, bias|null, eps)
Napi::Value GroupNorm(const Napi::CallbackInfo& info) {
  expect_args(info, 6, "group_norm");
  RESULT(nn::group_norm(tensor_arg(info, 1, "input"), int_arg(info, 2, "num_groups"), opt_tensor_arg(info, 3),
                        opt_tensor_arg(info, 4), num_arg(info, 5, "eps")));
}

// (out, x, normalizedShape, weight|null, bias|null, eps)
Napi::Value LayerNorm(const Napi::CallbackInfo& info) {
  expect_args(info, 6, "layer_norm");
  RESULT(nn::layer_norm(tensor_arg(info, 1, "input"), shape_arg(info, 2), opt_tensor_arg(info, 3), opt_tensor_arg(info, 4),
                        num_arg(info, 5, "eps")));
}

}  // namespace

void register_poolnorm_api(Napi::Env env, Napi::Object exports) {
  auto def = [&](const char* name, Napi::Value (*fn)(const Napi::CallbackInfo&)) {
    exports.Set(name, Napi::Function::New(env, fn, name));
  };
  def("nnMaxPool", guarded<MaxPool>);
  def("nnAvgPool", guarded<AvgPool>);
  def("nnAdaptiveAvgPool", guarded<AdaptiveAvgPool>);
  def("nnAdaptiveMaxPool", guarded<AdaptiveMaxPool>);
  def("nnBatchNorm", guarded<BatchNorm>);
  def("nnGroupNorm", guarded<GroupNorm>);
  def("nnInstanceNorm", guarded<InstanceNorm>);
  def("nnLayerNorm", guarded<LayerNorm>);
}

}  // namespace binding
}  // namespace tg

// Exported reduction-family ops (csrc/ops/reduce_ext.cpp). Ops take the fresh JS handle(s)
// first; ops with two results return [values, indices]. An empty dims list means all dims.
#include "binding/api.h"
#include "binding/convert.h"
#include "ops/reduce_ext.h"

namespace tg {
namespace binding {
namespace {

#define RESULT(expr) return op_result(info.Env(), info[0], (expr))


// (out, a, dim | null, keepdim)
Napi::Value Prod(const Napi::CallbackInfo& info) {
  expect_args(info, 4, "prod");
  Tensor a = tensor_arg(info, 1, "input");
  if (info[2].IsNull() || info[2].IsUndefined()) RESULT(prod(a));
  RESULT(prod(a, int_arg(info, 2, "dim"), bool_arg(info, 3)));
}
// (out, a, dims[], keepdim, isMax)
Napi::Value Amax(const Napi::CallbackInfo& info) {
  expect_args(info, 5, "amax");
  Tensor a = tensor_arg(info, 1, "input");
  RESULT(bool_arg(info, 4) ? amax(a, ints_arg(info, 2), bool_arg(info, 3)) : amin(a, ints_arg(info, 2), bool_arg(info, 3)));
}
// (out, a, dims[], correction, keepdim, isStd)
Napi::Value VarStd(const Napi::CallbackInfo& info) {
  expect_args(info, 6, "var");
  Tensor a = tensor_arg(info, 1, "input");
  auto dims = ints_arg(info, 2);
  double c = num_arg(info, 3, "correction");
  bool keepdim = bool_arg(info, 4);
  RESULT(bool_arg(info, 5) ? std_(a, dims, c, keepdim) : var(a, dims, c, keepdim));
}
// (out, a, dims[], keepdim)
Napi::Value Logsumexp(const Napi::CallbackInfo& info) {
  expect_args(info, 4, "logsumexp");
  RESULT(logsumexp(tensor_arg(info, 1, "input"), ints_arg(info, 2), bool_arg(info, 3)));
}
// (out, a, p, dims[], keepdim)
Napi::Value VectorNorm(const Napi::CallbackInfo& info) {
  expect_args(info, 5, "norm");
  const bool legacy = info.Length() > 5 && bool_arg(info, 5);
  RESULT(norm(tensor_arg(info, 1, "input"), num_arg(info, 2, "p"), ints_arg(info, 3), bool_arg(info, 4),
              legacy ? "NormBackward1" : "LinalgVectorNormBackward0"));
}
// (out, a, dims[], keepdim, isAll)
Napi::Value AllAny(const Napi::CallbackInfo& info) {
  expect_args(info, 5, "all");
  Tensor a = tensor_arg(info, 1, "input");
  RESULT(bool_arg(info, 4) ? all(a, ints_arg(info, 2), bool_arg(info, 3)) : any(a, ints_arg(info, 2), bool_arg(info, 3)));
}
// (out, a, dims[])
Napi::Value CountNonzero(const Napi::CallbackInfo& info) {
  expect_args(info, 3, "count_nonzero");
  RESULT(count_nonzero(tensor_arg(info, 1, "input"), ints_arg(info, 2)));
}
// (out, a, dim, isProd)
Napi::Value Cumulative(const Napi::CallbackInfo& info) {
  expect_args(info, 4, "cumsum");
  Tensor a = tensor_arg(info, 1, "input");
  int64_t dim = int_arg(info, 2, "dim");
  RESULT(bool_arg(info, 3) ? cumprod(a, dim) : cumsum(a, dim));
}
// (outV, outI, a, dim, isMax)
Napi::Value CumExtreme(const Napi::CallbackInfo& info) {
  expect_args(info, 5, "cummax");
  Tensor a = tensor_arg(info, 2, "input");
  int64_t dim = int_arg(info, 3, "dim");
  return pair_result(info, bool_arg(info, 4) ? cummax(a, dim) : cummin(a, dim));
}
// (outV, outI, a, dim, descending, stable)
Napi::Value Sort(const Napi::CallbackInfo& info) {
  expect_args(info, 6, "sort");
  return pair_result(info, sort(tensor_arg(info, 2, "input"), int_arg(info, 3, "dim"), bool_arg(info, 4), bool_arg(info, 5)));
}
// (out, a, dim, descending, stable)
Napi::Value Argsort(const Napi::CallbackInfo& info) {
  expect_args(info, 5, "argsort");
  RESULT(argsort(tensor_arg(info, 1, "input"), int_arg(info, 2, "dim"), bool_arg(info, 3), bool_arg(info, 4)));
}
// (outV, outI, a, k, dim, largest, sorted)
Napi::Value Topk(const Napi::CallbackInfo& info) {
  expect_args(info, 7, "topk");
  return pair_result(info, topk(tensor_arg(info, 2, "input"), int_arg(info, 3, "k"), int_arg(info, 4, "dim"), bool_arg(info, 5),
                                bool_arg(info, 6)));
}
// (outV, outI, a, k, dim, keepdim)
Napi::Value Kthvalue(const Napi::CallbackInfo& info) {
  expect_args(info, 6, "kthvalue");
  return pair_result(info, kthvalue(tensor_arg(info, 2, "input"), int_arg(info, 3, "k"), int_arg(info, 4, "dim"), bool_arg(info, 5)));
}
// (out, a)
Napi::Value Median(const Napi::CallbackInfo& info) {
  expect_args(info, 2, "median");
  RESULT(median(tensor_arg(info, 1, "input")));
}
// (outV, outI, a, dim, keepdim, isMode)
Napi::Value MedianDim(const Napi::CallbackInfo& info) {
  expect_args(info, 6, "median");
  Tensor a = tensor_arg(info, 2, "input");
  int64_t dim = int_arg(info, 3, "dim");
  bool keepdim = bool_arg(info, 4);
  return pair_result(info, bool_arg(info, 5) ? mode(a, dim, keepdim) : median_dim(a, dim, keepdim));
}

// (outValues, outInverse, outCounts, a) -> [values, inverse, counts]
Napi::Value Unique(const Napi::CallbackInfo& info) {
  expect_args(info, 4, "unique");
  auto [v, inv, cnt] = unique(tensor_arg(info, 3, "input"));
  Napi::Array out = Napi::Array::New(info.Env(), 3);
  out.Set(0u, op_result(info.Env(), info[0], v));
  out.Set(1u, op_result(info.Env(), info[1], inv));
  out.Set(2u, op_result(info.Env(), info[2], cnt));
  return out;
}

}  // namespace

void register_reduce_api(Napi::Env env, Napi::Object exports) {
#define TG_DEF(name, fn) exports.Set(name, Napi::Function::New(env, guarded<fn>, name))
  TG_DEF("prod", Prod);
  TG_DEF("amax", Amax);
  TG_DEF("varStd", VarStd);
  TG_DEF("logsumexp", Logsumexp);
  TG_DEF("vectorNorm", VectorNorm);
  TG_DEF("allAny", AllAny);
  TG_DEF("countNonzero", CountNonzero);
  TG_DEF("cumulative", Cumulative);
  TG_DEF("cumExtreme", CumExtreme);
  TG_DEF("sort", Sort);
  TG_DEF("argsort", Argsort);
  TG_DEF("topk", Topk);
  TG_DEF("kthvalue", Kthvalue);
  TG_DEF("median", Median);
  TG_DEF("medianDim", MedianDim);
  TG_DEF("unique", Unique);
#undef TG_DEF
}

}  // namespace binding
}  // namespace tg

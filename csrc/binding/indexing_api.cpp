// Exported indexing ops (csrc/ops/indexing.cpp): the fresh JS handle first, op_result back.
#include "binding/api.h"
#include "binding/convert.h"
#include "ops/indexing.h"
#include "ops/linalg_ext.h"

namespace tg {
namespace binding {
namespace {

#define RESULT(expr) return op_result(info.Env(), info[0], (expr))

// (out, a, dim, index)
Napi::Value Gather(const Napi::CallbackInfo& info) {
  expect_args(info, 4, "gather");
  RESULT(gather(tensor_arg(info, 1, "input"), int_arg(info, 2, "dim"), tensor_arg(info, 3, "index")));
}
// (out, a, dim, index, src id | null, value)
Napi::Value Scatter(const Napi::CallbackInfo& info) {
  expect_args(info, 6, "scatter");
  Tensor a = tensor_arg(info, 1, "input"), index = tensor_arg(info, 3, "index");
  int64_t dim = int_arg(info, 2, "dim");
  if (info[4].IsNull()) RESULT(scatter(a, dim, index, scalar_arg(info, 5)));
  RESULT(scatter(a, dim, index, tensor_arg(info, 4, "src")));
}
// (out, a, dim, index, src, reduce code (ScatterReduce), include_self)
Napi::Value ScatterReduceOp(const Napi::CallbackInfo& info) {
  expect_args(info, 7, "scatter_reduce");
  RESULT(scatter_reduce(tensor_arg(info, 1, "input"), int_arg(info, 2, "dim"), tensor_arg(info, 3, "index"),
                        tensor_arg(info, 4, "src"), static_cast<ScatterReduce>(int_arg(info, 5, "reduce")),
                        bool_arg(info, 6)));
}
// (out, a, dim, index, src)
Napi::Value ScatterAdd(const Napi::CallbackInfo& info) {
  expect_args(info, 5, "scatter_add");
  RESULT(scatter_add(tensor_arg(info, 1, "input"), int_arg(info, 2, "dim"), tensor_arg(info, 3, "index"), tensor_arg(info, 4, "src")));
}
Napi::Value IndexSelect(const Napi::CallbackInfo& info) {
  expect_args(info, 4, "index_select");
  RESULT(index_select(tensor_arg(info, 1, "input"), int_arg(info, 2, "dim"), tensor_arg(info, 3, "index")));
}
// (out, a, dim, index, source, alpha)
Napi::Value IndexAdd(const Napi::CallbackInfo& info) {
  expect_args(info, 6, "index_add");
  RESULT(index_add(tensor_arg(info, 1, "input"), int_arg(info, 2, "dim"), tensor_arg(info, 3, "index"), tensor_arg(info, 4, "source"),
                   scalar_arg(info, 5)));
}
Napi::Value IndexCopy(const Napi::CallbackInfo& info) {
  expect_args(info, 5, "index_copy");
  RESULT(index_copy(tensor_arg(info, 1, "input"), int_arg(info, 2, "dim"), tensor_arg(info, 3, "index"), tensor_arg(info, 4, "source")));
}
// (out, a, dim, index, value)
Napi::Value IndexFill(const Napi::CallbackInfo& info) {
  expect_args(info, 5, "index_fill");
  RESULT(index_fill(tensor_arg(info, 1, "input"), int_arg(info, 2, "dim"), tensor_arg(info, 3, "index"), scalar_arg(info, 4)));
}
// (out, a, mask, value)
Napi::Value MaskedFill(const Napi::CallbackInfo& info) {
  expect_args(info, 4, "masked_fill");
  RESULT(masked_fill(tensor_arg(info, 1, "input"), tensor_arg(info, 2, "mask"), scalar_arg(info, 3)));
}
Napi::Value MaskedSelect(const Napi::CallbackInfo& info) {
  expect_args(info, 3, "masked_select");
  RESULT(masked_select(tensor_arg(info, 1, "input"), tensor_arg(info, 2, "mask")));
}
Napi::Value MaskedScatter(const Napi::CallbackInfo& info) {
  expect_args(info, 4, "masked_scatter");
  RESULT(masked_scatter(tensor_arg(info, 1, "input"), tensor_arg(info, 2, "mask"), tensor_arg(info, 3, "source")));
}
Napi::Value Take(const Napi::CallbackInfo& info) {
  expect_args(info, 3, "take");
  RESULT(take(tensor_arg(info, 1, "input"), tensor_arg(info, 2, "index")));
}
Napi::Value Nonzero(const Napi::CallbackInfo& info) {
  expect_args(info, 2, "nonzero");
  RESULT(nonzero(tensor_arg(info, 1, "input")));
}
// (out, index, numClasses)
Napi::Value OneHot(const Napi::CallbackInfo& info) {
  expect_args(info, 3, "one_hot");
  RESULT(one_hot(tensor_arg(info, 1, "input"), int_arg(info, 2, "num_classes")));
}
// (out, sorted, values, right)
Napi::Value Searchsorted(const Napi::CallbackInfo& info) {
  expect_args(info, 4, "searchsorted");
  RESULT(searchsorted(tensor_arg(info, 1, "sorted_sequence"), tensor_arg(info, 2, "input"), bool_arg(info, 3)));
}

// (out, kind 0 mm | 1 mv | 2 bmm, input, m1, m2, beta, alpha)
Napi::Value Addmm(const Napi::CallbackInfo& info) {
  expect_args(info, 7, "addmm");
  Tensor in = tensor_arg(info, 2, "input"), m1 = tensor_arg(info, 3, "mat1"), m2 = tensor_arg(info, 4, "mat2");
  Scalar beta = scalar_arg(info, 5), alpha = scalar_arg(info, 6);
  int64_t kind = int_arg(info, 1, "kind");
  if (kind == 1) RESULT(addmv(in, m1, m2, beta, alpha));
  if (kind == 2) RESULT(baddbmm(in, m1, m2, beta, alpha));
  RESULT(addmm(in, m1, m2, beta, alpha));
}
// (out, a)
Napi::Value Svdvals(const Napi::CallbackInfo& info) {
  expect_args(info, 2, "linalg.svdvals");
  RESULT(linalg_svdvals(tensor_arg(info, 1, "A")));
}
// (out, a, b, dim)
Napi::Value Cross(const Napi::CallbackInfo& info) {
  expect_args(info, 4, "linalg.cross");
  RESULT(linalg_cross(tensor_arg(info, 1, "input"), tensor_arg(info, 2, "other"), int_arg(info, 3, "dim")));
}
// (out, z, flat, preShape[], perm[])
Napi::Value IndexRows(const Napi::CallbackInfo& info) {
  expect_args(info, 5, "index");
  RESULT(index_rows(tensor_arg(info, 1, "input"), tensor_arg(info, 2, "index"), shape_arg(info, 3), ints_arg(info, 4)));
}

}  // namespace

void register_indexing_api(Napi::Env env, Napi::Object exports) {
#define TG_DEF(name, fn) exports.Set(name, Napi::Function::New(env, guarded<fn>, name))
  TG_DEF("gather", Gather);
  TG_DEF("scatter", Scatter);
  TG_DEF("scatterAdd", ScatterAdd);
  TG_DEF("scatterReduce", ScatterReduceOp);
  TG_DEF("indexSelect", IndexSelect);
  TG_DEF("indexAdd", IndexAdd);
  TG_DEF("indexCopy", IndexCopy);
  TG_DEF("indexFill", IndexFill);
  TG_DEF("maskedFill", MaskedFill);
  TG_DEF("maskedSelect", MaskedSelect);
  TG_DEF("take", Take);
  TG_DEF("maskedScatter", MaskedScatter);
  TG_DEF("nonzero", Nonzero);
  TG_DEF("oneHot", OneHot);
  TG_DEF("searchsorted", Searchsorted);
  TG_DEF("indexRows", IndexRows);
  TG_DEF("addmm", Addmm);
  TG_DEF("svdvals", Svdvals);
  TG_DEF("linalgCross", Cross);
#undef TG_DEF
}

}  // namespace binding
}  // namespace tg

// Exported movement ops (csrc/ops/movement.cpp). Ops that make a tensor take the fresh JS
// handle first and return op_result; arrays of tensors arrive as arrays of ids.
#include "binding/api.h"
#include "binding/convert.h"
#include "ops/movement.h"

namespace tg {
namespace binding {
namespace {

#define RESULT(expr) return op_result(info.Env(), info[0], (expr))

std::optional<int64_t> opt_int_arg(const Napi::CallbackInfo& info, size_t i, const char* what) {
  if (i >= info.Length() || info[i].IsNull() || info[i].IsUndefined()) return std::nullopt;
  return int_arg(info, i, what);
}

// (out, a, startDim, endDim)
// (out, a, shape): a must be a fresh contiguous result no one else views.
Napi::Value UnsafeView(const Napi::CallbackInfo& info) {
  expect_args(info, 3, "_unsafe_view");
  Tensor a = tensor_arg(info, 1, "input");
  TG_CHECK(a.is_contiguous(), "_unsafe_view: expected a contiguous tensor");
  RESULT(unsafe_view(a, shape_arg(info, 2)));
}
Napi::Value Flatten(const Napi::CallbackInfo& info) {
  expect_args(info, 4, "flatten");
  RESULT(flatten(tensor_arg(info, 1, "input"), int_arg(info, 2, "start_dim"), int_arg(info, 3, "end_dim")));
}
// (out, a, dim, sizes[])
Napi::Value Unflatten(const Napi::CallbackInfo& info) {
  expect_args(info, 4, "unflatten");
  RESULT(unflatten(tensor_arg(info, 1, "input"), int_arg(info, 2, "dim"), ints_arg(info, 3)));
}
// (out, a, source[], destination[])
Napi::Value Movedim(const Napi::CallbackInfo& info) {
  expect_args(info, 4, "movedim");
  RESULT(movedim(tensor_arg(info, 1, "input"), ints_arg(info, 2), ints_arg(info, 3)));
}
Napi::Value MT(const Napi::CallbackInfo& info) {
  expect_args(info, 2, "mT");
  RESULT(mT(tensor_arg(info, 1, "input")));
}
// (out, a, shape[])
Napi::Value BroadcastTo(const Napi::CallbackInfo& info) {
  expect_args(info, 3, "broadcast_to");
  RESULT(broadcast_to(tensor_arg(info, 1, "input"), shape_arg(info, 2)));
}
// (out, a, dim, start, length)
Napi::Value Narrow(const Napi::CallbackInfo& info) {
  expect_args(info, 5, "narrow");
  RESULT(narrow(tensor_arg(info, 1, "input"), int_arg(info, 2, "dim"), int_arg(info, 3, "start"), int_arg(info, 4, "length")));
}
// (out, a, offset, dim1, dim2)
Napi::Value Diagonal(const Napi::CallbackInfo& info) {
  expect_args(info, 5, "diagonal");
  RESULT(diagonal(tensor_arg(info, 1, "input"), int_arg(info, 2, "offset"), int_arg(info, 3, "dim1"), int_arg(info, 4, "dim2")));
}
// (out, tensors[], dim)
Napi::Value Cat(const Napi::CallbackInfo& info) {
  expect_args(info, 3, "cat");
  RESULT(cat(tensors_arg(info, 1), int_arg(info, 2, "dim")));
}
Napi::Value Stack(const Napi::CallbackInfo& info) {
  expect_args(info, 3, "stack");
  RESULT(stack(tensors_arg(info, 1), int_arg(info, 2, "dim")));
}
// (out, tensors[])
Napi::Value Hstack(const Napi::CallbackInfo& info) {
  expect_args(info, 2, "hstack");
  RESULT(hstack(tensors_arg(info, 1)));
}
Napi::Value Vstack(const Napi::CallbackInfo& info) {
  expect_args(info, 2, "vstack");
  RESULT(vstack(tensors_arg(info, 1)));
}
// (out, a, repeats[])
Napi::Value Repeat(const Napi::CallbackInfo& info) {
  expect_args(info, 3, "repeat");
  RESULT(repeat(tensor_arg(info, 1, "input"), ints_arg(info, 2)));
}
Napi::Value Tile(const Napi::CallbackInfo& info) {
  expect_args(info, 3, "tile");
  RESULT(tile(tensor_arg(info, 1, "input"), ints_arg(info, 2)));
}
// (out, a, repeats: number | tensor id, isTensor, dim | null)
Napi::Value RepeatInterleave(const Napi::CallbackInfo& info) {
  expect_args(info, 4, "repeat_interleave");
  Tensor a = tensor_arg(info, 1, "input");
  std::optional<int64_t> dim = opt_int_arg(info, 4, "dim");
  if (bool_arg(info, 3)) RESULT(repeat_interleave(a, tensor_arg(info, 2, "repeats"), dim));
  RESULT(repeat_interleave(a, int_arg(info, 2, "repeats"), dim));
}
// (out, a, dims[])
Napi::Value Flip(const Napi::CallbackInfo& info) {
  expect_args(info, 3, "flip");
  RESULT(flip(tensor_arg(info, 1, "input"), ints_arg(info, 2)));
}
// (out, a, shifts[], dims[])
Napi::Value Roll(const Napi::CallbackInfo& info) {
  expect_args(info, 4, "roll");
  RESULT(roll(tensor_arg(info, 1, "input"), ints_arg(info, 2), ints_arg(info, 3)));
}
// (out, a, k, dims[])
Napi::Value Rot90(const Napi::CallbackInfo& info) {
  expect_args(info, 4, "rot90");
  RESULT(rot90(tensor_arg(info, 1, "input"), int_arg(info, 2, "k"), ints_arg(info, 3)));
}
// (out, a, diagonal)
Napi::Value Tril(const Napi::CallbackInfo& info) {
  expect_args(info, 3, "tril");
  RESULT(tril(tensor_arg(info, 1, "input"), int_arg(info, 2, "diagonal")));
}
Napi::Value Triu(const Napi::CallbackInfo& info) {
  expect_args(info, 3, "triu");
  RESULT(triu(tensor_arg(info, 1, "input"), int_arg(info, 2, "diagonal")));
}
Napi::Value Diag(const Napi::CallbackInfo& info) {
  expect_args(info, 3, "diag");
  RESULT(diag(tensor_arg(info, 1, "input"), int_arg(info, 2, "diagonal")));
}
// (out, a, offset, dim1, dim2)
Napi::Value DiagEmbed(const Napi::CallbackInfo& info) {
  expect_args(info, 5, "diag_embed");
  RESULT(diag_embed(tensor_arg(info, 1, "input"), int_arg(info, 2, "offset"), int_arg(info, 3, "dim1"), int_arg(info, 4, "dim2")));
}
Napi::Value Trace(const Napi::CallbackInfo& info) {
  expect_args(info, 2, "trace");
  RESULT(trace(tensor_arg(info, 1, "input")));
}

}  // namespace

void register_movement_api(Napi::Env env, Napi::Object exports) {
#define TG_DEF(name, fn) exports.Set(name, Napi::Function::New(env, guarded<fn>, name))
  TG_DEF("unsafeView", UnsafeView);
  TG_DEF("flatten", Flatten);
  TG_DEF("unflatten", Unflatten);
  TG_DEF("movedim", Movedim);
  TG_DEF("mT", MT);
  TG_DEF("broadcastTo", BroadcastTo);
  TG_DEF("narrow", Narrow);
  TG_DEF("diagonal", Diagonal);
  TG_DEF("cat", Cat);
  TG_DEF("stack", Stack);
  TG_DEF("hstack", Hstack);
  TG_DEF("vstack", Vstack);
  TG_DEF("repeat", Repeat);
  TG_DEF("tile", Tile);
  TG_DEF("repeatInterleave", RepeatInterleave);
  TG_DEF("flip", Flip);
  TG_DEF("roll", Roll);
  TG_DEF("rot90", Rot90);
  TG_DEF("tril", Tril);
  TG_DEF("triu", Triu);
  TG_DEF("diag", Diag);
  TG_DEF("diagEmbed", DiagEmbed);
  TG_DEF("trace", Trace);
#undef TG_DEF
}

}  // namespace binding
}  // namespace tg

// Internal helpers shared by the op families: raw (unrecorded) views and casts used to
// prepare kernel operands, and argument checks with PyTorch's messages.
#pragma once
#include "core/backend.h"
#include "ops/ops.h"

namespace tg {

struct Edge;  // autograd/node.h

inline Backend& backend_of(const Tensor& t) { return backend_for(t.device()); }

// A stride-0 view of t broadcast to `shape`; no autograd, no version bump.
Tensor expand_raw(const Tensor& t, const Shape& shape);
// t converted to dtype without recording (t itself when already that dtype).
Tensor cast_raw(const Tensor& t, DType dtype);
// t as a contiguous tensor without recording (t itself when already contiguous).
Tensor contiguous_raw(const Tensor& t);
// PyTorch's error for a kernel that has no integer/bool version: "\"<kernel>\" not implemented for 'Long'".
void check_floating(const char* kernel, const Tensor& t);

void check_same_device(const char* op, const Tensor& a, const Tensor& b);
void check_defined(const char* op, const Tensor& t);
// PyTorch's error for an elementwise write into a tensor whose elements share memory (a
// stride of 0 over a size above 1, as expand makes): each element would be written several
// times, and read back between the writes.
void check_no_internal_overlap(const Tensor& t);
// PyTorch refuses subtraction with a bool operand (a tensor or a boolean scalar), naming the
// logical op meant instead: xor for two bools, not for one.
void check_sub_operands(bool a_is_bool, bool b_is_bool);

// PyTorch's result_type for two tensors: a 0-d tensor only decides the dtype when it is of
// a higher category (bool < integer < floating) than the dimensioned one.
DType result_type(const Tensor& a, const Tensor& b);
// The same from dtypes and whether each operand is 0-d.
DType result_type(DType a, bool a_zero_dim, DType b, bool b_zero_dim);
// Whether an in-place op may write a `from` result into a `to` tensor.
bool can_cast(DType from, DType to);

// Reductions: the bit mask of the reduced dims (all dims when `dims` is empty; wrapped, with
// PyTorch's errors for repeats and range), and the result shapes with and without keepdim.
uint64_t dims_mask(const std::vector<int64_t>& dims, int64_t ndim, const char* op);
Shape keepdim_shape(const Shape& in, uint64_t mask);
Shape squeezed_shape(const Shape& in, uint64_t mask);
// The unrecorded reduction of a over the dims in mask, as a new out_dtype tensor. An empty
// input gives the op's value over no elements: 1 for prod and all, NaN for mean, else 0.
Tensor reduce_raw(ReduceOp op, const Tensor& a, uint64_t mask, bool keepdim, DType out_dtype);
// A reduction's gradient g with the reduced dims re-inserted (size 1) where keepdim dropped them.
Tensor keep_grad(const Tensor& g, const Shape& in_shape, uint64_t mask, bool keepdim);

// alpha (x @ y) as the gradient a node sends along edge e, for matrices x and y. Where the engine
// gives e a sink (Note [Fused accumulation], autograd/engine.h), the product is added into that
// leaf's .grad by one GEMM with beta = 1 and the result is undefined (no gradient to send).
// read_later: a tensor the node still reads after this call; a .grad sharing its memory (or x's
// or y's) is not written early.
Tensor product_grad(const Edge& e, const Tensor& x, const Tensor& y, double alpha = 1,
                    const Tensor& read_later = Tensor());

}  // namespace tg

// CPU kernels of the reduction family (csrc/ops/reduce_ext.cpp): scans, sorts, gathers and
// scatter-adds along the LAST dim of contiguous tensors (the ops move the dim last first).
#pragma once
#include "core/tensor_impl.h"

namespace tg {
namespace cpu {

// kind: 0 sum, 1 prod, 2 max, 3 min. indices (int64, may be undefined) get the running
// argmax/argmin (last occurrence on ties, NaN sticks) for kinds 2/3.
void scan_last(int kind, const Tensor& out, const Tensor& indices, const Tensor& in);
// Sorts each row; NaN orders above every number. stable keeps equal elements in input order.
void sort_last(const Tensor& values, const Tensor& indices, const Tensor& in, bool descending, bool stable);
// out[r, j] = in[r, index[r, j]].
void gather_last(const Tensor& out, const Tensor& in, const Tensor& index);
// out[r, index[r, j]] += src[r, j] (float dtypes).
void scatter_add_last(const Tensor& out, const Tensor& index, const Tensor& src);

}  // namespace cpu
}  // namespace tg

// CPU kernels of the reduction family (csrc/ops/reduce_ext.cpp): scans along any dim, and
// sorts, selections, gathers and scatter-adds along the LAST dim of contiguous tensors (the
// ops move the dim last first).
#pragma once
#include "core/tensor_impl.h"

namespace tg {
namespace cpu {

// Running sum (kind 0), prod (1), max (2), min (3) along dim of contiguous in into contiguous
// out of the same shape (dim is ignored for a 0-d in). indices (int64, may be undefined) get
// the running argmax/argmin (last occurrence on ties, NaN sticks) for kinds 2/3.
void scan(int kind, const Tensor& out, const Tensor& indices, const Tensor& in, int64_t dim);
// sort_kernels.cpp, Note [Sort keys]: NaN orders above every number, -0.0 equals +0.0.
// Sorts each row, always stably (equal elements keep their input order, descending too).
void sort_last(const Tensor& values, const Tensor& indices, const Tensor& in, bool descending, bool stable);
// The k largest (smallest) elements of each row into rows of k, with the indices PyTorch's
// CPU topk picks among ties (Note [Topk ties]): sorted, or when !sorted and k * 64 > n in
// nth_element's order.
void topk_last(const Tensor& values, const Tensor& indices, const Tensor& in, int64_t k, bool largest, bool sorted);
// The element at 0-based sorted position k of each row and its index into rows of 1:
// PyTorch's kthvalue choice among ties (Note [Kthvalue ties]); with median, ties are ordered
// by index and a row holding NaN gives its first NaN.
void kth_last(const Tensor& values, const Tensor& indices, const Tensor& in, int64_t k, bool median);
// out[r, j] = in[r, index[r, j]].
void gather_last(const Tensor& out, const Tensor& in, const Tensor& index);
// out[r, index[r, j]] += src[r, j] (float dtypes).
void scatter_add_last(const Tensor& out, const Tensor& index, const Tensor& src);

}  // namespace cpu
}  // namespace tg

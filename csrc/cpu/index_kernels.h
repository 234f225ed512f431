// CPU kernels of the indexing ops (csrc/ops/indexing.cpp): element-wise gathers and
// scatters along one dim driven by an int64 index tensor, nonzero and searchsorted.
#pragma once
#include "core/backend.h"
#include "core/tensor_impl.h"

namespace tg {
namespace cpu {

// out[p] = in[p with p[dim] = index[p]] for every position p of index (out's shape).
void gather_dim(const Tensor& out, const Tensor& in, int64_t dim, const Tensor& index);
// out[p with p[dim] = index[p]] = (or +=, *=, max=, min=) src[p] for every position p of index.
void scatter_dim(const Tensor& out, int64_t dim, const Tensor& index, const Tensor& src, ScatterMode mode);
// The int64 [n, ndim] coordinates of the nonzero elements of in (contiguous, 1 or more dims), in
// row-major order.
Tensor nonzero(const Tensor& in);
// out[p] = the insertion point of values[p] in the last dim of sorted (sorted's leading dims
// match values' or sorted is 1-D).
void searchsorted(const Tensor& out, const Tensor& sorted, const Tensor& values, bool right);

}  // namespace cpu
}  // namespace tg

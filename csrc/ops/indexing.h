// The indexing ops (csrc/ops/indexing.cpp): gathers and scatters along a dim driven by int64
// index tensors, masked fills, take, nonzero, one_hot, searchsorted/bucketize.
#pragma once
#include "ops/ops.h"

namespace tg {

Tensor gather(const Tensor& a, int64_t dim, const Tensor& index);
Tensor scatter(const Tensor& a, int64_t dim, const Tensor& index, const Tensor& src);
Tensor scatter(const Tensor& a, int64_t dim, const Tensor& index, Scalar value);
Tensor scatter_add(const Tensor& a, int64_t dim, const Tensor& index, const Tensor& src);
// PyTorch's scatter_reduce: each position of a that index addresses becomes the reduction of
// the src elements landing there (and of itself when include_self).
enum class ScatterReduce : int { Sum, Prod, Mean, Amax, Amin };
Tensor scatter_reduce(const Tensor& a, int64_t dim, const Tensor& index, const Tensor& src, ScatterReduce reduce,
                      bool include_self);
Tensor index_select(const Tensor& a, int64_t dim, const Tensor& index);
Tensor index_add(const Tensor& a, int64_t dim, const Tensor& index, const Tensor& source, Scalar alpha);
Tensor index_copy(const Tensor& a, int64_t dim, const Tensor& index, const Tensor& source);
Tensor index_fill(const Tensor& a, int64_t dim, const Tensor& index, Scalar value);
Tensor masked_fill(const Tensor& a, const Tensor& mask, Scalar value);
// Advanced indexing's last step: the rows `flat` of z (dim 0), viewed as pre_shape and
// permuted by perm into a new tensor; records IndexBackward0.
Tensor index_rows(const Tensor& z, const Tensor& flat, const Shape& pre_shape, const std::vector<int64_t>& perm);
Tensor masked_select(const Tensor& a, const Tensor& mask);
Tensor masked_scatter(const Tensor& a, const Tensor& mask, const Tensor& source);
Tensor take(const Tensor& a, const Tensor& index);
Tensor nonzero(const Tensor& a);
Tensor one_hot(const Tensor& index, int64_t num_classes);
Tensor searchsorted(const Tensor& sorted, const Tensor& values, bool right);

}  // namespace tg

// Linear algebra beyond the foundation's matmul family (csrc/ops/linalg_ext.cpp).
#pragma once
#include <vector>
#include "ops/ops.h"

namespace tg {

// beta * input + alpha * (mat1 @ mat2) / (mat @ vec) / bmm(batch1, batch2); input broadcasts to
// the product's shape; beta = 0 ignores input's values. Nodes AddmmBackward0, AddmvBackward0,
// BaddbmmBackward0.
Tensor addmm(const Tensor& input, const Tensor& mat1, const Tensor& mat2, Scalar beta, Scalar alpha);
Tensor addmv(const Tensor& input, const Tensor& mat, const Tensor& vec, Scalar beta, Scalar alpha);
Tensor baddbmm(const Tensor& input, const Tensor& batch1, const Tensor& batch2, Scalar beta, Scalar alpha);

// linalg.cross of 3-vectors along dim (same rank, broadcast); node LinalgCrossBackward0.
Tensor linalg_cross(const Tensor& a, const Tensor& b, int64_t dim);

}  // namespace tg

namespace tg {
// The singular values of the matrices in the last two dims, descending (LinalgSvdBackward0;
// first derivatives only, see linalg_svd.cpp).
Tensor linalg_svdvals(const Tensor& a);
}  // namespace tg

// Linear algebra beyond the foundation's matmul family (csrc/ops/linalg_ext.cpp).
#pragma once
#include <vector>
#include "ops/ops.h"

namespace tg {

// linalg.vector_norm: (sum |x|^ord)^(1/ord) over dims (all when empty); ord may be +-inf
// (max/min |x|) or 0 (count of nonzeros). The gradient at a zero norm is 0 (spec Q).
Tensor vector_norm(const Tensor& a, double ord, const std::vector<int64_t>& dims, bool keepdim);

}  // namespace tg

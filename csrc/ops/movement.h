// The movement ops (csrc/ops/movement.cpp): views that rearrange dims (flatten, unflatten,
// movedim, narrow, diagonal, ...) and copies that rearrange elements (cat, stack, repeat,
// flip, roll, rot90, tril/triu, diag_embed, trace, ...).
#pragma once
#include <optional>
#include <vector>
#include "ops/ops.h"

namespace tg {

// ---- views (share storage with the input; marked as differentiable views)
Tensor flatten(const Tensor& a, int64_t start_dim = 0, int64_t end_dim = -1);
Tensor unflatten(const Tensor& a, int64_t dim, const std::vector<int64_t>& sizes);
Tensor movedim(const Tensor& a, const std::vector<int64_t>& source, const std::vector<int64_t>& destination);
Tensor mT(const Tensor& a);
Tensor broadcast_to(const Tensor& a, const Shape& shape);
Tensor narrow(const Tensor& a, int64_t dim, int64_t start, int64_t length);
Tensor diagonal(const Tensor& a, int64_t offset = 0, int64_t dim1 = 0, int64_t dim2 = 1);

// ---- copies
Tensor cat(const TensorList& tensors, int64_t dim = 0);
Tensor stack(const TensorList& tensors, int64_t dim = 0);
Tensor hstack(const TensorList& tensors);
Tensor vstack(const TensorList& tensors);
Tensor repeat(const Tensor& a, const std::vector<int64_t>& repeats);
Tensor tile(const Tensor& a, const std::vector<int64_t>& reps);
Tensor repeat_interleave(const Tensor& a, int64_t repeats, std::optional<int64_t> dim);
Tensor repeat_interleave(const Tensor& a, const Tensor& repeats, std::optional<int64_t> dim);
Tensor flip(const Tensor& a, const std::vector<int64_t>& dims);
Tensor roll(const Tensor& a, const std::vector<int64_t>& shifts, const std::vector<int64_t>& dims);
Tensor rot90(const Tensor& a, int64_t k, const std::vector<int64_t>& dims);
Tensor tril(const Tensor& a, int64_t diagonal = 0);
Tensor triu(const Tensor& a, int64_t diagonal = 0);
Tensor diag(const Tensor& a, int64_t diagonal = 0);
Tensor diag_embed(const Tensor& a, int64_t offset = 0, int64_t dim1 = -2, int64_t dim2 = -1);
Tensor trace(const Tensor& a);

}  // namespace tg

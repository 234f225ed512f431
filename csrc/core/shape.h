// Sizes, strides and the broadcasting rules. All counts are in elements.
#pragma once
#include <cstdint>
#include <string>
#include <vector>
#include "core/small_vector.h"

namespace tg {

using Shape = SmallVec<int64_t, 6>;

int64_t numel_of(const Shape& sizes);
Shape contiguous_strides(const Shape& sizes);
std::string shape_str(const Shape& s);  // "[2, 3]"

// Wraps a possibly negative dim into [0, ndim); `op` names the caller in the error.
int64_t wrap_dim(int64_t dim, int64_t ndim, const char* op);

// PyTorch broadcasting: align trailing dims; sizes must match or be 1.
Shape broadcast_shapes(const Shape& a, const Shape& b, const char* op);
bool is_expandable_to(const Shape& shape, const Shape& target);

// Strides that view a tensor of `sizes`/`strides` as `target` (0 stride on broadcast dims).
Shape expand_strides(const Shape& sizes, const Shape& strides, const Shape& target);

// Strides for viewing (sizes, strides) as new_sizes without copying, or false if impossible.
bool compute_view_strides(const Shape& sizes, const Shape& strides, const Shape& new_sizes, Shape* out);

// Resolves a single -1 in a requested shape against numel.
Shape infer_size(const Shape& requested, int64_t numel, const char* op);

}  // namespace tg

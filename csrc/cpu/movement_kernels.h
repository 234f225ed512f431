// CPU kernels of the movement ops (csrc/ops/movement.cpp): gathers and scatter-adds of whole
// slices along one dim, for flip, roll, rot90 and repeat_interleave.
#pragma once
#include "core/tensor_impl.h"

namespace tg {
namespace cpu {

// out[..., j, ...] = in[..., index[j], ...] along dim. out and in share every other size;
// index is a contiguous int64 tensor of out.size(dim) entries in [0, in.size(dim)). Any
// strides, every dtype.
void select_indices(const Tensor& out, const Tensor& in, int64_t dim, const Tensor& index);
// out[..., index[j], ...] += src[..., j, ...] along dim; repeated indices accumulate.
void add_indices(const Tensor& out, int64_t dim, const Tensor& index, const Tensor& src);

}  // namespace cpu
}  // namespace tg

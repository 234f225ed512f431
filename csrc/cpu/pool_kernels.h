// CPU kernels of the pooling ops (csrc/ops/pool.cpp). Every tensor operand is contiguous and
// laid out as planes: input [P, H, W], output [P, OH, OW] with P = N * C; the windows come
// from two PoolAxis (core/pool_axis.h). Planes split over the thread pool. Floating dtypes
// (float32, float64); indices are int64 flat positions within an H * W plane, as PyTorch's.
#pragma once
#include "core/pool_axis.h"
#include "core/tensor_impl.h"

namespace tg {
namespace cpu {

// out = max over each window, indices = where it was: the first occurrence of the max, or the
// last NaN (NaN propagates, as in PyTorch); a window of -inf, or with no element inside the
// input (Note [empty max windows] in pool_kernels.cpp), reports -inf at its first position.
void pool_max_kernel(const Tensor& out, const Tensor& indices, const Tensor& in, const PoolAxis& h, const PoolAxis& w);
// out = sum over each window / divisor; divisor = divisor_override when > 0, else
// h.factor[oh] * w.factor[ow]. An empty window gives 0.
void pool_avg_kernel(const Tensor& out, const Tensor& in, const PoolAxis& h, const PoolAxis& w, double divisor_override);
// The adjoint of pool_avg_kernel: grad_in (overwritten) receives each grad element / divisor
// over its window.
void pool_avg_backward_kernel(const Tensor& grad_in, const Tensor& grad, const PoolAxis& h, const PoolAxis& w,
                              double divisor_override);
// grad_in [P, S] (overwritten with zeros first) += grad [P, M] at indices [P, M]; indices
// outside [0, S) (empty windows) are skipped.
void pool_scatter_add_kernel(const Tensor& grad_in, const Tensor& grad, const Tensor& indices);
// out [P, M] = in [P, S] at indices [P, M] (0 outside [0, S)): the adjoint of
// pool_scatter_add_kernel.
void pool_gather_kernel(const Tensor& out, const Tensor& in, const Tensor& indices);

}  // namespace cpu
}  // namespace tg

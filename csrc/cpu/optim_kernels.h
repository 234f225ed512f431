// CPU kernel of the fused optimizer updates (csrc/ops/optim.cpp): one pass over a parameter
// that updates it and its state buffers in place, float32 or float64. The arithmetic follows
// the order of PyTorch's single-tensor (foreach=False) implementations op by op, with every
// scalar cast to the element type as PyTorch's kernels do, so results agree to float rounding.
#pragma once
#include "core/optim_params.h"
#include "core/tensor_impl.h"

namespace tg {
namespace cpu {

// Operands are contiguous, same shape and dtype; buffers a kind does not use are undefined.
void optim_step(const OptimParams& p, const Tensor& param, const Tensor& grad, const Tensor& buf0, const Tensor& buf1,
                const Tensor& buf2);

}  // namespace cpu
}  // namespace tg

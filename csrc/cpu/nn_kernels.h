// CPU kernels of the nn family (csrc/ops/nn.cpp): fused softmax / log_softmax forward and
// backward over one dim, the nll loss forward and backward, and row gather / scatter-add
// along one dim (embedding, reflect/replicate padding). Every operand is contiguous and of
// one floating dtype (float32 or float64) unless noted; index operands are contiguous int64
// and are validated before any memory they address is read.
#pragma once
#include "core/tensor_impl.h"

namespace tg {
namespace cpu {

// out = softmax(in) (or log_softmax when log) along dim.
void softmax_kernel(const Tensor& out, const Tensor& in, int64_t dim, bool log);
// grad_in = out * (grad - sum(grad * out))        (softmax, out = softmax(x))
// grad_in = grad - exp(out) * sum(grad)           (log_softmax, out = log_softmax(x))
void softmax_backward_kernel(const Tensor& grad_in, const Tensor& grad, const Tensor& out, int64_t dim, bool log);

// input [N, C, S], target [N, S] int64, weight [C] or undefined. reduction 0 none (out
// [N, S]), 1 mean, 2 sum (out 0-d). total_weight (0-d) receives the sum of the weights of
// the targets that are not ignore_index.
void nll_loss_kernel(const Tensor& out, const Tensor& total_weight, const Tensor& input, const Tensor& target,
                     const Tensor& weight, int64_t reduction, int64_t ignore_index);
// grad_in [N, C, S] (zero-filled here); grad is [N, S] for none, 0-d otherwise.
void nll_loss_backward_kernel(const Tensor& grad_in, const Tensor& grad, const Tensor& target, const Tensor& weight,
                              int64_t reduction, int64_t ignore_index, const Tensor& total_weight);


}  // namespace cpu
}  // namespace tg

// The normalization ops (norm.cpp): batch_norm, group_norm and instance_norm as
// torch.nn.functional's, on [N, C, *] inputs, and layer_norm. A plain backward runs fused
// kernels; with createGraph it is written in differentiable tensor ops (the statistics
// recomputed from the saved input), so double backward works.
#pragma once
#include "ops/ops.h"

namespace tg {
namespace nn {

// running_mean / running_var may be undefined in training; when defined and training, they
// are updated in place (momentum; unbiased variance) outside the graph. weight, bias may be
// undefined.
Tensor batch_norm(const Tensor& x, const Tensor& running_mean, const Tensor& running_var, const Tensor& weight,
                  const Tensor& bias, bool training, double momentum, double eps);
Tensor group_norm(const Tensor& x, int64_t num_groups, const Tensor& weight, const Tensor& bias, double eps);
// Normalizes over the last normalized_shape.size() dims; weight, bias (of normalized_shape)
// may be undefined.
Tensor layer_norm(const Tensor& x, const Shape& normalized_shape, const Tensor& weight, const Tensor& bias, double eps);
// PyTorch's composition: batch_norm over x viewed as [1, N * C, *] (each instance's channel
// its own "channel"), viewed back (grad_fn ViewBackward0). With use_input_stats the running
// stats (per channel, may be undefined) receive the mean over the batch of the per-instance
// updates.
Tensor instance_norm(const Tensor& x, const Tensor& running_mean, const Tensor& running_var, const Tensor& weight,
                     const Tensor& bias, bool use_input_stats, double momentum, double eps);

}  // namespace nn
}  // namespace tg

// The normalization ops (norm.cpp): batch_norm and group_norm as torch.nn.functional's, on
// [N, C, *] inputs. Forward and backward are written in differentiable tensor ops (the
// statistics recomputed from the saved input in backward), so double backward works.
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

}  // namespace nn
}  // namespace tg

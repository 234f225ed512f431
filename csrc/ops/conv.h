// Convolutions (conv.cpp): conv1d / conv2d and their transposes, PyTorch's
// torch.nn.functional semantics. One differentiable op underneath with ConvolutionBackward0;
// its backward is written with the same three bilinear convolution ops, so gradients of
// any order work.
#pragma once
#include <vector>
#include "ops/ops.h"

namespace tg {
namespace nn {

enum class ConvPadding : int64_t { Explicit = 0, Same = 1, Valid = 2 };

// spatial: 1 or 2 spatial dims. stride / padding / dilation / output_padding hold one value
// (used for every dim) or `spatial` values; padding is read only when padding_mode is
// Explicit, output_padding only when transposed. bias may be undefined.
Tensor convolution(const Tensor& input, const Tensor& weight, const Tensor& bias, int64_t spatial, bool transposed,
                   const std::vector<int64_t>& stride, const std::vector<int64_t>& padding, ConvPadding padding_mode,
                   const std::vector<int64_t>& dilation, const std::vector<int64_t>& output_padding, int64_t groups);

}  // namespace nn
}  // namespace tg

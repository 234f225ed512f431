// The pooling ops (pool.cpp): max, average and adaptive pooling over the last one or two
// dims of [N, C, ...] or unbatched [C, ...] inputs, as torch.nn.functional's. 2-D pooling
// runs CPU/backend kernels over planes; the 1-D forms are the 2-D ones on an unsqueezed
// input, squeezed back (grad_fn SqueezeBackward1, as PyTorch reports).
#pragma once
#include <array>
#include <optional>
#include <utility>
#include "ops/ops.h"

namespace tg {
namespace nn {

using Ints2 = std::array<int64_t, 2>;  // (h, w)

// Values and int64 indices (flat positions within each H * W plane).
std::pair<Tensor, Tensor> max_pool2d(const Tensor& x, Ints2 kernel, Ints2 stride, Ints2 padding, Ints2 dilation,
                                     bool ceil_mode);
std::pair<Tensor, Tensor> max_pool1d(const Tensor& x, int64_t kernel, int64_t stride, int64_t padding, int64_t dilation,
                                     bool ceil_mode);
Tensor avg_pool2d(const Tensor& x, Ints2 kernel, Ints2 stride, Ints2 padding, bool ceil_mode, bool count_include_pad,
                  std::optional<int64_t> divisor_override);
Tensor avg_pool1d(const Tensor& x, int64_t kernel, int64_t stride, int64_t padding, bool ceil_mode, bool count_include_pad);
Tensor adaptive_avg_pool2d(const Tensor& x, Ints2 output_size);
Tensor adaptive_avg_pool1d(const Tensor& x, int64_t output_size);
std::pair<Tensor, Tensor> adaptive_max_pool2d(const Tensor& x, Ints2 output_size);
std::pair<Tensor, Tensor> adaptive_max_pool1d(const Tensor& x, int64_t output_size);

}  // namespace nn
}  // namespace tg

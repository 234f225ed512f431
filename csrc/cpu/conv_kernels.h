// CPU kernels of the convolution ops (csrc/ops/conv.cpp): im2col / col2im per sample and
// group, the heavy lifting done by gemm_strided, samples split over the thread pool; stride-1
// float32 convolutions on x86 CPUs with AVX2 or AVX-512 read the padded image in place instead
// (Notes [Implicit conv] and [Tap matrices] in conv_kernels.cpp). All
// operands are contiguous, of one floating dtype (float32 or float64), shaped as `g`
// describes (csrc/core/conv_geometry.h).
#pragma once
#include "core/conv_geometry.h"
#include "core/tensor_impl.h"

namespace tg {
namespace cpu {

// y = conv(x, w) (+ bias[O] when defined).
void conv2d_kernel(const Tensor& y, const Tensor& x, const Tensor& w, const Tensor& bias, const ConvGeometry& g);
// gx = d<conv(x, w), gy>/dx (+ bias[C] when defined): the transposed convolution of gy.
void conv2d_input_grad_kernel(const Tensor& gx, const Tensor& gy, const Tensor& w, const Tensor& bias,
                              const ConvGeometry& g);
// gw = d<conv(x, w), gy>/dw, summed over the batch in a fixed order (deterministic).
void conv2d_weight_grad_kernel(const Tensor& gw, const Tensor& x, const Tensor& gy, const ConvGeometry& g);

}  // namespace cpu
}  // namespace tg

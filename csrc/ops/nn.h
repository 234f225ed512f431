// The nn.functional family (nn.cpp): softmax/log_softmax with fused kernels, the losses,
// linear/addmm, embedding and pad. Forward beside backward as elsewhere; a
// fused backward kernel is an op of its own whose backward is written in tensor ops, so
// double backward works through it.
#pragma once
#include <vector>
#include "ops/ops.h"

namespace tg {
namespace nn {

// PyTorch's at::Reduction values.
enum Reduction : int64_t { kNone = 0, kMean = 1, kSum = 2 };

Tensor softmax(const Tensor& x, int64_t dim);
Tensor log_softmax(const Tensor& x, int64_t dim);
// The fused backward of softmax (log = false, out = softmax(x)) or log_softmax (out = its result).
Tensor softmax_backward_data(const Tensor& grad, const Tensor& out, int64_t dim, bool log);

// weight may be undefined. Class-index targets (int64 or uint8).
Tensor nll_loss(const Tensor& input, const Tensor& target, const Tensor& weight, int64_t reduction, int64_t ignore_index);
// log_softmax + nll_loss for class-index targets; soft targets when target is floating.
Tensor cross_entropy(const Tensor& input, const Tensor& target, const Tensor& weight, int64_t reduction,
                     int64_t ignore_index, double label_smoothing);

// Elementwise losses with their own backward nodes.
enum class PointwiseLoss : int64_t { Mse = 0, SmoothL1 = 1, Huber = 2, BinaryCrossEntropy = 3, BceWithLogits = 4 };
// param: beta (smooth L1) or delta (Huber); weight / pos_weight: BCE only, may be undefined.
Tensor pointwise_loss(PointwiseLoss kind, const Tensor& input, const Tensor& target, const Tensor& weight,
                      const Tensor& pos_weight, int64_t reduction, double param);

// x @ weight.T + bias (bias may be undefined), batched over x's leading dims.
Tensor linear(const Tensor& x, const Tensor& weight, const Tensor& bias);

// padding_idx: a row that receives no gradient (negative counts from the end), or nullopt.
Tensor embedding(const Tensor& indices, const Tensor& weight, std::optional<int64_t> padding_idx);

enum class PadMode : int64_t { Constant = 0, Reflect = 1, Replicate = 2 };
// pads: (left, right) pairs from the last dim backwards, as torch.nn.functional.pad.
Tensor pad(const Tensor& x, const std::vector<int64_t>& pads, PadMode mode, double value);

}  // namespace nn
}  // namespace tg

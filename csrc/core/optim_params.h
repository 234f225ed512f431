// The hyper-parameters of one fused optimizer update (csrc/ops/optim.cpp), shared by the ops
// layer and every backend's optim_step kernel. Plain values: no tensors, no autograd.
#pragma once
#include <cstdint>

namespace tg {

enum class OptimKind : uint8_t { SGD = 0, Adam = 1, RMSprop = 2, Adagrad = 3 };

// Which buffers each kind reads and writes (the kernel's buf0/buf1/buf2):
//   SGD      buf0 momentum_buffer (only when momentum != 0)
//   Adam     buf0 exp_avg, buf1 exp_avg_sq, buf2 max_exp_avg_sq (only when amsgrad)
//   RMSprop  buf0 square_avg, buf1 momentum_buffer (momentum > 0), buf2 grad_avg (centered)
//   Adagrad  buf0 sum
struct OptimParams {
  OptimKind kind = OptimKind::SGD;
  double lr = 0, momentum = 0, dampening = 0, weight_decay = 0;
  double beta1 = 0, beta2 = 0, eps = 0, alpha = 0, lr_decay = 0;
  bool nesterov = false, maximize = false, amsgrad = false, centered = false;
  // AdamW: param *= 1 - lr * weight_decay before the Adam update, no decay folded into grad.
  bool decoupled = false;
  // The parameter's step count after this update (1 on the first). For SGD, 1 means the
  // momentum buffer was just created and is set to the gradient rather than updated.
  int64_t step = 0;
};

}  // namespace tg

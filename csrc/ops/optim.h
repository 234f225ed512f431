// Fused optimizer updates: the parameter step of SGD, Adam/AdamW, RMSprop and Adagrad, one
// call per parameter group (lib/optim drives them). Not an autograd op: nothing is recorded
// (an optimizer step is PyTorch's no_grad region); every written tensor's version is bumped
// as an in-place op bumps it.
#pragma once
#include <vector>
#include "core/optim_params.h"
#include "core/tensor_impl.h"

namespace tg {
namespace optim {

// Updates params[i] and bufs[3 i .. 3 i + 2] (undefined where the kind does not use them)
// from grads[i]; steps[i] is params[i]'s step count after this update. hyper.step is ignored.
void step(const OptimParams& hyper, const TensorList& params, const TensorList& grads, const TensorList& bufs,
          const std::vector<int64_t>& steps);

}  // namespace optim
}  // namespace tg

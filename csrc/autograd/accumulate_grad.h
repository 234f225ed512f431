// The node that ends every path at a leaf: adds the incoming gradient into leaf.grad (in
// place unless building a graph, C2), then runs the post-accumulate hooks. The leaf's tensor
// hooks run before, in call_tensor_pre_hooks.
#pragma once
#include "autograd/node.h"

namespace tg {

class AccumulateGrad final : public Node {
 public:
  explicit AccumulateGrad(const Tensor& variable);
  std::string name() const override { return "torch::autograd::AccumulateGrad"; }
  TensorList apply(TensorList&& grads) override;
  // The leaf's tensor hooks (J1), run by the engine before apply() and before a grad()
  // capture, so autograd.grad() returns the hooked gradient as PyTorch does.
  void call_tensor_pre_hooks(TensorList& grads) override;
  const Tensor& variable() const { return variable_; }
  // The .grad a producer may add its gradient into in place of this node (Note [Fused
  // accumulation]); undefined when the leaf has hooks or its .grad is missing, records a graph,
  // or is not a contiguous tensor of the leaf's shape, dtype and device.
  Tensor in_place_target() const;

 private:
  Tensor variable_;
};

}  // namespace tg

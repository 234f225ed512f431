// The node that ends every path at a leaf: runs the leaf's hooks, adds the incoming
// gradient into leaf.grad (in place unless building a graph, C2), then post-accumulate hooks.
#pragma once
#include "autograd/node.h"

namespace tg {

class AccumulateGrad final : public Node {
 public:
  explicit AccumulateGrad(const Tensor& variable);
  std::string name() const override { return "torch::autograd::AccumulateGrad"; }
  TensorList apply(TensorList&& grads) override;
  const Tensor& variable() const { return variable_; }

 private:
  Tensor variable_;
};

}  // namespace tg

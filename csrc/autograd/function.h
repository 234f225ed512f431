// OpNode: the backward node of a built-in op, like a row of PyTorch's derivatives.yaml.
// An op records one with a formula written in differentiable tensor ops, so gradients of
// gradients work. Usage in an op's forward:
//
//   if (auto n = record("MulBackward0", mul_backward, {&a, &b}, {&out})) n->save({a, b});
//
// Broadcast gradients need no handling in formulas: the engine sums each returned gradient
// down to its input's shape and casts it to the input's dtype (B11, P1, R2).
#pragma once
#include <initializer_list>
#include <vector>
#include "autograd/saved_variable.h"

namespace tg {

class OpNode final : public Node {
 public:
  using Formula = TensorList (*)(OpNode& node, const TensorList& grads);
  OpNode(const char* name, Formula formula) : name_(name), formula_(formula) {}

  std::string name() const override { return name_; }
  TensorList apply(TensorList&& grads) override;
  void release_variables() override;
  std::vector<Shape> saved_shapes() const override;

  // Saves inputs (by reference) for backward.
  void save(std::initializer_list<Tensor> inputs);
  // Saves one of this node's own outputs.
  void save_output(const Tensor& out);
  Tensor saved(size_t i);
  bool needs_input_grad(size_t i) const { return i < next_edges_.size() && next_edges_[i].is_valid(); }

  // Non-tensor values a formula needs.
  double scalar = 0, scalar2 = 0;
  bool flag = false, flag2 = false;
  std::vector<int64_t> ints;
  Shape shape, shape2;
  int64_t offset = 0;
  DType dtype = DType::Float32;

 private:
  const char* name_;
  Formula formula_;
  PooledVector<SavedVariable> saved_;
  bool released_ = false;
};

// True when an op on these inputs must be recorded.
bool any_requires_grad(std::initializer_list<const Tensor*> inputs);

// Creates the node and links it when grad mode is on and an input requires grad; returns
// nullptr otherwise. Inputs may be nullptr (non-tensor operands get an invalid edge).
std::shared_ptr<OpNode> record(const char* name, OpNode::Formula formula, std::initializer_list<const Tensor*> inputs,
                               std::initializer_list<const Tensor*> outputs);
// The same for ops with a variable number of inputs or outputs (unbind, split, stack).
std::shared_ptr<OpNode> record(const char* name, OpNode::Formula formula, const std::vector<const Tensor*>& inputs,
                               const std::vector<const Tensor*>& outputs);

// A node that fails when the engine reaches it: stands in for a backward that must not be
// differentiated again (custom Functions marked once-differentiable, spec L9).
class DelayedError final : public Node {
 public:
  explicit DelayedError(std::string message) : message_(std::move(message)) {}
  std::string name() const override { return "torch::autograd::DelayedError"; }
  TensorList apply(TensorList&&) override;

 private:
  std::string message_;
};

// Routes gradients computed by a backward that cannot itself be differentiated through one
// DelayedError node, so a later backward through them fails with `message` instead of
// silently returning wrong higher-order gradients. `reach` are the node's next edges: those
// of the tensors the gradients truly depend on, so a grad() asking for them reaches the
// error (empty: one invalid edge per gradient). Undefined entries stay undefined.
void fail_if_differentiated_again(TensorList& grads, const std::string& message, const std::vector<Edge>& reach = {});

}  // namespace tg

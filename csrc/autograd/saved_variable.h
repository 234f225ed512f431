// Note [Saved tensor versions]: a node saves a tensor together with the tensor's version at
// save time; unpacking checks the version again so that an in-place write between forward
// and backward is reported instead of silently producing wrong gradients (spec I1).
// A node that saves its own output keeps only a detached alias plus a weak link back to
// itself, because a strong one would form a cycle output -> grad_fn -> saved output.
#pragma once
#include <memory>
#include "autograd/node.h"

namespace tg {

class SavedVariable {
 public:
  SavedVariable() = default;
  SavedVariable(const Tensor& t, bool is_output);

  // `saved_for` is the node doing the unpacking (needed to restore an output's grad_fn).
  Tensor unpack(const std::shared_ptr<Node>& saved_for) const;
  void reset_data();
  bool defined() const { return was_defined_; }
  // The saved tensor's shape, also after the data was freed (for graph pictures).
  const Shape& shape() const { return shape_; }

 private:
  Tensor data_;
  Shape shape_;
  uint32_t saved_version_ = 0;
  uint32_t output_nr_ = 0;
  bool was_defined_ = false;
  bool is_output_ = false;
  bool requires_grad_ = false;
  bool released_ = false;
  bool is_leaf_ = false;
};

[[noreturn]] void throw_freed_graph_error();

}  // namespace tg

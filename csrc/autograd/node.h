// The backward graph: a Node turns gradients w.r.t. its forward outputs into gradients
// w.r.t. its forward inputs, which flow along next_edges to the nodes that produced them.
// Vocabulary follows PyTorch (Node, Edge(function, input_nr), sequence_nr, input metadata).
#pragma once
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <vector>
#include "core/pooled.h"
#include "core/tensor_impl.h"

namespace tg {

class Node;

struct Edge {
  std::shared_ptr<Node> function;
  uint32_t input_nr = 0;
  Edge() = default;
  Edge(std::shared_ptr<Node> f, uint32_t nr) : function(std::move(f)), input_nr(nr) {}
  bool is_valid() const { return function != nullptr; }
};

// What a gradient flowing into a node input must look like (its forward output's metadata).
struct InputMetadata {
  Shape shape;
  DType dtype;
  Device device;
};

// A tensor hook: returns a replacement gradient, or an undefined Tensor to keep it.
using TensorHookFn = std::function<Tensor(const Tensor&)>;
struct TensorHook {
  int64_t id;
  uint32_t input_nr;
  TensorHookFn fn;
  std::string name;  // for "hook '<name>' has changed the size of value"
};

uint64_t next_sequence_nr();
int64_t next_hook_id();

class Node : public std::enable_shared_from_this<Node> {
 public:
  explicit Node(uint64_t sequence_nr = next_sequence_nr()) : sequence_nr_(sequence_nr) {}
  virtual ~Node();
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;

  virtual std::string name() const = 0;
  virtual TensorList apply(TensorList&& grads) = 0;
  // Frees saved tensors after a backward pass that did not ask to retain the graph.
  virtual void release_variables() {}
  // Shapes of the tensors saved for backward (shown by autograd.toDot's showSaved).
  virtual std::vector<Shape> saved_shapes() const { return {}; }

  const PooledVector<Edge>& next_edges() const { return next_edges_; }
  PooledVector<Edge>& mutable_next_edges() { return next_edges_; }
  void add_next_edge(Edge e) { next_edges_.push_back(std::move(e)); }
  void reserve(size_t num_outputs, size_t num_inputs) {
    next_edges_.reserve(num_outputs);
    input_metadata_.reserve(num_inputs);
  }
  size_t num_outputs() const { return next_edges_.size(); }

  uint32_t add_input_metadata(const Tensor& t) {
    input_metadata_.push_back({t.sizes(), t.dtype(), t.device()});
    return static_cast<uint32_t>(input_metadata_.size() - 1);
  }
  const InputMetadata& input_metadata(size_t i) const { return input_metadata_.at(i); }
  size_t num_inputs() const { return input_metadata_.size(); }
  uint64_t sequence_nr() const { return sequence_nr_; }

  // Tensor hooks of the non-leaf outputs of this node (J1), and the retain_grad hooks,
  // which always run after them (J2, PyTorch 2.x order).
  std::vector<TensorHook> tensor_pre_hooks;
  std::vector<std::pair<uint32_t, TensorHookFn>> retains_grad_hooks;
  // Runs the tensor hooks then the retain_grad hooks on the node's incoming gradients. The
  // engine calls it before capturing a gradient for grad() and before apply(), so hooks see
  // (and may replace) every gradient that reaches a tensor. AccumulateGrad overrides it to
  // run its leaf's hooks.
  virtual void call_tensor_pre_hooks(TensorList& grads);

  // Stack of the forward call, recorded in anomaly mode (Note [Anomaly traces]).
  std::string forward_trace;

 protected:
  PooledVector<Edge> next_edges_;
  PooledVector<InputMetadata> input_metadata_;
  uint64_t sequence_nr_;
};

// Checks a hook's result against the gradient it replaces.
Tensor apply_hook_result(const TensorHook& h, const Tensor& grad, Tensor result);

}  // namespace tg

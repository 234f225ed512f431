#include "autograd/node.h"

namespace tg {
namespace {
uint64_t g_sequence_nr = 0;
int64_t g_hook_id = 0;

// Note [Deep graph teardown]: destroying a long chain of nodes would recurse once per node
// through shared_ptr destructors and could overflow the stack. Past a depth limit, edges
// are parked here and released iteratively by the outermost destructor.
thread_local int t_delete_depth = 0;
thread_local std::vector<std::shared_ptr<Node>>* t_deferred = nullptr;
}  // namespace

uint64_t next_sequence_nr() { return g_sequence_nr++; }
int64_t next_hook_id() { return ++g_hook_id; }

Node::~Node() {
  constexpr int kMaxDepth = 2000;
  if (t_delete_depth >= kMaxDepth) {
    for (auto& e : next_edges_)
      if (e.function) t_deferred->push_back(std::move(e.function));
    return;
  }
  ++t_delete_depth;
  bool outermost = t_deferred == nullptr;
  std::vector<std::shared_ptr<Node>> deferred;
  if (outermost) t_deferred = &deferred;
  next_edges_.clear();
  if (outermost) {
    while (!deferred.empty()) {
      auto n = std::move(deferred.back());
      deferred.pop_back();
      n.reset();
    }
    t_deferred = nullptr;
  }
  --t_delete_depth;
}

Tensor apply_hook_result(const TensorHook& h, const Tensor& grad, Tensor result) {
  if (!result.defined()) return grad;
  TG_CHECK(!grad.defined() || result.sizes() == grad.sizes(), "hook '", h.name, "' has changed the size of value");
  return result;
}

void Node::call_tensor_pre_hooks(TensorList& grads) {
  if (!tensor_pre_hooks.empty()) {
    // Copy: a hook may register or remove hooks while running.
    auto hooks = tensor_pre_hooks;
    for (const auto& h : hooks) {
      Tensor& g = grads.at(h.input_nr);
      if (!g.defined()) continue;
      g = apply_hook_result(h, g, h.fn(g));
    }
  }
  for (const auto& [nr, fn] : retains_grad_hooks)
    if (grads.at(nr).defined()) fn(grads[nr]);
}

}  // namespace tg

#include "autograd/accumulate_grad.h"

#include "autograd/autograd_meta.h"
#include "autograd/grad_mode.h"
#include "ops/ops.h"

namespace tg {

// AccumulateGrad runs as soon as it is ready (highest priority), as in PyTorch.
AccumulateGrad::AccumulateGrad(const Tensor& variable)
    : Node(std::numeric_limits<uint64_t>::max()), variable_(variable) {
  add_input_metadata(variable);
}

// A gradient may become .grad without a copy only if nothing else can see its memory.
static bool can_steal(const Tensor& g) {
  return g.impl()->use_count() == 1 && g.impl()->storage()->use_count() == 1 && g.is_contiguous() &&
         get_meta(g) == nullptr;
}

Tensor AccumulateGrad::in_place_target() const {
  const auto* meta = get_meta(variable_);
  if (!meta || !meta->leaf_hooks.empty() || !meta->post_accumulate_hooks.empty()) return {};
  const Tensor& g = meta->grad;
  if (!g.defined() || g.requires_grad() || !g.is_contiguous() || g.sizes() != variable_.sizes() ||
      g.dtype() != variable_.dtype() || g.device() != variable_.device())
    return {};
  return g;
}

void AccumulateGrad::call_tensor_pre_hooks(TensorList& grads) {
  auto* meta = get_meta(variable_);
  if (!meta || meta->leaf_hooks.empty() || grads.empty() || !grads[0].defined()) return;
  auto hooks = meta->leaf_hooks;  // a hook may register or remove hooks while running
  for (const auto& h : hooks) grads[0] = apply_hook_result(h, grads[0], h.fn(grads[0]));
}

TensorList AccumulateGrad::apply(TensorList&& grads) {
  Tensor g = std::move(grads.at(0));
  grads.clear();
  if (!g.defined()) return {};
  auto& meta = ensure_meta(variable_);
  if (!GradMode::is_enabled()) {
    if (!meta.grad.defined()) {
      meta.grad = can_steal(g) ? g : clone(g);
    } else if (meta.grad.requires_grad()) {
      meta.grad = add(meta.grad, g);  // a .grad built with createGraph is never written in place
    } else {
      add_(meta.grad, g);
    }
  } else {
    // Building a graph: out of place, so the old .grad (and its graph) stay intact (C2).
    if (!meta.grad.defined()) {
      Tensor copy = empty(g.sizes(), g.dtype(), g.device());
      copy_(copy, g);
      meta.grad = copy;
    } else {
      meta.grad = add(meta.grad, g);
    }
  }
  if (!meta.post_accumulate_hooks.empty()) {
    AutoGradMode no_grad(GradMode::is_enabled());
    auto hooks = meta.post_accumulate_hooks;
    for (auto& [id, fn] : hooks) fn();
  }
  return {};
}

}  // namespace tg

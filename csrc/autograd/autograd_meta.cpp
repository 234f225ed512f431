#include "autograd/autograd_meta.h"

#include "autograd/accumulate_grad.h"
#include "autograd/grad_mode.h"

namespace tg {

AutogradMeta::~AutogradMeta() {
  // A retain_grad hook points at this tensor without owning it: drop it with the tensor.
  if (retains_grad && grad_fn) {
    auto& hooks = grad_fn->retains_grad_hooks;
    for (auto it = hooks.begin(); it != hooks.end();) it = it->first == output_nr ? hooks.erase(it) : it + 1;
  }
}

AutogradMeta* get_meta(const Tensor& t) { return static_cast<AutogradMeta*>(t.impl()->autograd_meta()); }

AutogradMeta& ensure_meta(const Tensor& t) {
  auto* m = get_meta(t);
  if (m) return *m;
  auto owned = std::make_unique<AutogradMeta>();
  m = owned.get();
  t.impl()->set_autograd_meta(std::move(owned));
  return *m;
}

std::shared_ptr<Node> grad_accumulator(const Tensor& t) {
  auto* m = get_meta(t);
  if (!m || !m->requires_grad_flag) return nullptr;
  if (auto acc = m->grad_accumulator.lock()) return acc;
  auto acc = std::make_shared<AccumulateGrad>(t);
  m->grad_accumulator = acc;
  return acc;
}

Edge gradient_edge(const Tensor& t) {
  auto* m = get_meta(t);
  if (!m) return Edge();
  if (grad_fn_of(t)) return Edge(m->grad_fn, m->output_nr);
  return Edge(grad_accumulator(t), 0);
}

void set_history(const Tensor& t, const std::shared_ptr<Node>& fn) {
  auto& m = ensure_meta(t);
  m.grad_fn = fn;
  m.output_nr = fn->add_input_metadata(t);
  m.requires_grad_flag = false;
}

void set_requires_grad(const Tensor& t, bool requires_grad) {
  auto* m = get_meta(t);
  bool leaf = is_leaf(t);
  if (!leaf) {
    TG_CHECK(requires_grad,
             "you can only change requires_grad flags of leaf variables. If you want to use a computed variable in a "
             "subgraph that doesn't require differentiation use var_no_grad = var.detach().");
    return;  // requires_grad_(true) on a non-leaf is a no-op (G2)
  }
  if (requires_grad) {
    TG_CHECK_DTYPE(is_floating(t.dtype()), "Only Tensors of floating point and complex dtype can require gradients");
    TG_CHECK(!t.impl()->is_inference() || InferenceMode::is_enabled(),
             "Setting requires_grad=True on inference tensor outside InferenceMode is not allowed.");
  }
  if (!m && !requires_grad) return;
  ensure_meta(t).requires_grad_flag = requires_grad;
}

void set_grad(const Tensor& t, const Tensor& grad) {
  if (grad.defined()) {
    TG_CHECK_SHAPE(grad.sizes() == t.sizes(), "attempting to assign a gradient of size '", shape_str(grad.sizes()),
                   "' to a tensor of size '", shape_str(t.sizes()),
                   "'. Please ensure that the gradient and the tensor are the same size");
    TG_CHECK_DTYPE(grad.dtype() == t.dtype(), "attempting to assign a gradient with dtype '",
                   dtype_name(grad.dtype()), "' to a tensor with grad_dtype '", dtype_name(t.dtype()),
                   "'. The gradient must match the tensor's grad_dtype (defaults to the tensor's dtype).");
    TG_CHECK_KIND(ErrorKind::Device, grad.device() == t.device(), "attempting to assign a gradient on device '",
                  grad.device().str(), "' to a tensor on device '", t.device().str(), "'");
  }
  if (!grad.defined() && !get_meta(t)) return;
  ensure_meta(t).grad = grad;
}

void set_view_meta(const Tensor& view, const Tensor& input) {
  auto& m = ensure_meta(view);
  m.is_view = true;
  auto* im = get_meta(input);
  m.base = (im && im->is_view) ? im->base : input;
  m.view_created_in_no_grad = !GradMode::is_enabled() || (im && im->is_view && im->view_created_in_no_grad);
  m.attr_version = view.impl()->version();
  if (im && !im->multi_output_view_of.empty()) m.multi_output_view_of = im->multi_output_view_of;
  if (im && im->view_from_custom_function) m.view_from_custom_function = true;
}

}  // namespace tg

// Per-tensor autograd state (PyTorch's AutogradMeta): the gradient, the node that produced
// the tensor (grad_fn) or, for leaves, a weak link to its AccumulateGrad node, hooks, and
// the view relation needed to rebase history after in-place writes into views.
#pragma once
#include <memory>
#include "autograd/node.h"
#include "core/pooled.h"

namespace tg {

struct AutogradMeta final : AutogradMetaInterface, Pooled<AutogradMeta> {
  Tensor grad;
  std::shared_ptr<Node> grad_fn;
  std::weak_ptr<Node> grad_accumulator;
  uint32_t output_nr = 0;
  bool requires_grad_flag = false;  // meaningful for leaves only
  bool retains_grad = false;

  // Leaf tensor hooks (non-leaf hooks live on grad_fn) and post-accumulate hooks.
  std::vector<TensorHook> leaf_hooks;
  std::vector<std::pair<int64_t, std::function<void()>>> post_accumulate_hooks;

  // Differentiable views: `base` is the root tensor whose storage this views.
  bool is_view = false;
  Tensor base;
  bool view_created_in_no_grad = false;
  // The version of the shared counter when grad_fn was last set for this view; see
  // Note [View history after an in-place write to its base].
  uint32_t attr_version = 0;
  std::string multi_output_view_of;  // set for unbind/split outputs: the op's name (H5)
  // A view returned by a custom Function (made in its forward, or an input returned as-is):
  // an in-place write would bypass the user's backward, so it is refused.
  bool view_from_custom_function = false;

  // Whether this view's grad_fn predates an in-place write to its base or another view of
  // it (the version counter is shared, so the base's version is the view's). Views made in
  // no_grad mode have no history to refresh: they are constants.
  bool view_history_stale() const {
    return is_view && !view_created_in_no_grad && attr_version != base.impl()->version();
  }
  bool requires_grad() const override {
    // A stale view will get a history exactly when it had one or its base requires grad.
    if (view_history_stale()) return grad_fn != nullptr || base.requires_grad();
    return requires_grad_flag || grad_fn != nullptr;
  }
  ~AutogradMeta() override;
};

// Note [View history after an in-place write to its base]
// A view's grad_fn describes how it was read from its base at creation. After an in-place
// write to the base (or to another view of it) the view's values come from the base's new
// history, so the old grad_fn would give wrong gradients. As in PyTorch, the view notes the
// version at which its grad_fn was set (attr_version); every read of its history goes through
// grad_fn_of / gradient_edge / is_leaf, which regenerate it when the shared version counter
// moved: an AsStridedBackward0 reading the view's geometry from the base's current history.
// Views of multi-output ops and views returned by custom Functions cannot be regenerated;
// reading their history then fails with PyTorch's "its base ... has been modified inplace".
// Implemented in inplace.cpp next to CopySlices. Tensor hooks stay on the old node (J3);
// retain_grad moves to the new one.
void refresh_view_history(const Tensor& t, AutogradMeta& m);

// Meta access: get_meta returns nullptr when the tensor has none; ensure_meta creates it.
AutogradMeta* get_meta(const Tensor& t);
AutogradMeta& ensure_meta(const Tensor& t);

// The node that produced t (null for leaves), after refreshing a stale view's history.
inline const std::shared_ptr<Node>& grad_fn_of(const Tensor& t) {
  static const std::shared_ptr<Node> none;
  auto* m = get_meta(t);
  if (!m) return none;
  if (m->view_history_stale()) refresh_view_history(t, *m);
  return m->grad_fn;
}
inline bool is_leaf(const Tensor& t) { return grad_fn_of(t) == nullptr; }

// The edge gradients for `t` flow into: (grad_fn, output_nr) for non-leaves, the leaf's
// AccumulateGrad (created on demand) for leaves that require grad, else an invalid edge.
Edge gradient_edge(const Tensor& t);
std::shared_ptr<Node> grad_accumulator(const Tensor& t);

// Makes `t` the output `output_nr` of `fn` and records its metadata on fn.
void set_history(const Tensor& t, const std::shared_ptr<Node>& fn);

// Leaf flag changes with PyTorch's checks (G2, G3, E5).
void set_requires_grad(const Tensor& t, bool requires_grad);

// .grad setter checks (C5).
void set_grad(const Tensor& t, const Tensor& grad);

// Marks `view` as a differentiable view of `input` (base resolved to the root).
void set_view_meta(const Tensor& view, const Tensor& input);

}  // namespace tg

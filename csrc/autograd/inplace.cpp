#include "autograd/inplace.h"

#include "autograd/autograd_meta.h"
#include "autograd/function.h"
#include "autograd/grad_mode.h"
#include "ops/ops.h"

namespace tg {
namespace {

// Note [CopySlices]: an in-place op `fn` was applied to a view of `base`. The gradient for
// base is the incoming one, except on the view's elements, where it is what fn gives for
// its first input. fn's other inputs get fn's other gradients.
class CopySlices final : public Node {
 public:
  CopySlices(const Tensor& base, const Tensor& view, std::shared_ptr<Node> fn)
      : base_sizes_(base.sizes()), base_strides_(base.strides()), base_offset_(base.impl()->offset()),
        view_sizes_(view.sizes()), view_strides_(view.strides()), view_offset_(view.impl()->offset()), fn_(std::move(fn)) {
    add_next_edge(gradient_edge(base));
    const auto& fe = fn_->next_edges();
    for (size_t i = 1; i < fe.size(); ++i) add_next_edge(fe[i]);
  }
  std::string name() const override { return "torch::autograd::CopySlices"; }
  void release_variables() override { fn_->release_variables(); }

  TensorList apply(TensorList&& grads) override {
    TensorList out(num_outputs());
    Tensor grad = grads.at(0);
    if (!grad.defined()) return out;
    Tensor result = empty_strided(base_sizes_, base_strides_, grad.dtype(), grad.device());
    copy_(result, grad);
    Tensor slice = as_strided(result, view_sizes_, view_strides_, result.impl()->offset() + view_offset_ - base_offset_);
    TensorList res = fn_->apply({clone(slice)});
    if (res.at(0).defined()) copy_(slice, res[0]);
    else zero_(slice);
    out[0] = result;
    for (size_t i = 1; i < res.size() && i < out.size(); ++i) out[i] = res[i];
    return out;
  }

 private:
  Shape base_sizes_, base_strides_;
  int64_t base_offset_;
  Shape view_sizes_, view_strides_;
  int64_t view_offset_;
  std::shared_ptr<Node> fn_;
};

// The view's own history after its base was rebased: a strided read of the base.
TensorList view_of_base_backward(OpNode& n, const TensorList& g) {
  return {as_strided_backward(g[0], n.shape, n.shape2, n.offset, Shape(n.ints.begin(), n.ints.end()),
                              static_cast<int64_t>(n.scalar))};
}

}  // namespace

void check_inplace(const Tensor& self, bool recording) {
  TG_CHECK(!self.impl()->is_inference() || InferenceMode::is_enabled(),
           "Inplace update to inference tensor outside InferenceMode is not allowed.You can make a clone to get a "
           "normal tensor before doing inplace update.See https://github.com/pytorch/rfcs/pull/17 for more details.");
  if (!GradMode::is_enabled()) return;
  auto* m = get_meta(self);
  if (m && m->is_view) {
    if (m->view_created_in_no_grad && m->base.requires_grad()) {
      fail(ErrorKind::Runtime,
           "A view was created in no_grad mode and is being modified inplace with grad mode enabled. Given that this "
           "use case is ambiguous and error-prone, it is forbidden. You can clarify your code by moving both the view "
           "and the inplace either both inside the noGrad block (if you don't want the inplace to be tracked) or both "
           "outside (if you want the inplace to be tracked).");
    }
    if (recording && !m->multi_output_view_of.empty()) {
      fail(ErrorKind::Runtime, "Output ", m->output_nr, " of ", m->multi_output_view_of,
           " is a view and is being modified inplace. This view is the output of a function that returns multiple "
           "views. Such functions do not allow the output views to be modified inplace. You should replace the "
           "inplace operation by an out-of-place one.");
    }
    if (recording && self.requires_grad() && is_leaf(m->base) && m->base.requires_grad())
      fail(ErrorKind::Runtime, "a view of a leaf Variable that requires grad is being used in an in-place operation.");
  }
  if (recording && self.requires_grad() && is_leaf(self))
    fail(ErrorKind::Runtime, "a leaf Variable that requires grad is being used in an in-place operation.");
}

void rebase_history(const Tensor& self, const std::shared_ptr<Node>& fn) {
  self.impl()->bump_version();
  if (!fn) return;
  auto& m = ensure_meta(self);
  // retain_grad follows the tensor to its new producer.
  std::vector<std::pair<uint32_t, TensorHookFn>> retain;
  if (m.retains_grad && m.grad_fn) {
    auto& hooks = m.grad_fn->retains_grad_hooks;
    for (auto it = hooks.begin(); it != hooks.end();) {
      if (it->first == m.output_nr) { retain.push_back(*it); it = hooks.erase(it); }
      else ++it;
    }
  }
  if (m.is_view) {
    Tensor base = m.base;
    auto copy_slices = std::make_shared<CopySlices>(base, self, fn);
    auto& bm = ensure_meta(base);
    bm.grad_fn = copy_slices;
    bm.output_nr = copy_slices->add_input_metadata(base);
    bm.requires_grad_flag = false;
    // The view now reads its values from the rebased base.
    auto view_fn = std::make_shared<OpNode>("AsStridedBackward0", view_of_base_backward);
    view_fn->add_next_edge(Edge(copy_slices, 0));
    view_fn->shape = base.sizes();
    view_fn->shape2 = base.strides();
    view_fn->offset = base.impl()->offset();
    view_fn->ints = std::vector<int64_t>(self.strides().begin(), self.strides().end());
    view_fn->scalar = static_cast<double>(self.impl()->offset());
    m.grad_fn = view_fn;
    m.output_nr = view_fn->add_input_metadata(self);
  } else {
    m.grad_fn = fn;
    m.output_nr = 0;  // fn recorded self's value as its output 0
  }
  m.requires_grad_flag = false;
  for (auto& r : retain) m.grad_fn->retains_grad_hooks.push_back({m.output_nr, r.second});
}

}  // namespace tg

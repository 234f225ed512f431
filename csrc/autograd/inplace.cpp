#include "autograd/inplace.h"

#include "autograd/anomaly.h"
#include "autograd/autograd_meta.h"
#include "autograd/function.h"
#include "autograd/grad_mode.h"
#include "ops/ops.h"

namespace tg {
namespace {

// Note [CopySlices]: an in-place op `fn` was applied to a view of `base`. The gradient for
// base is the incoming one, except on the view's elements, where it is what fn gives for
// the input that held the view's old value (input `self_input`, 0 for built-in in-place
// ops). fn's other inputs get fn's other gradients.
class CopySlices final : public Node {
 public:
  CopySlices(const Tensor& base, const Tensor& view, std::shared_ptr<Node> fn, size_t self_input)
      : base_sizes_(base.sizes()), base_strides_(base.strides()), base_offset_(base.impl()->offset()),
        view_sizes_(view.sizes()), view_strides_(view.strides()), view_offset_(view.impl()->offset()),
        fn_(std::move(fn)), self_input_(self_input) {
    const auto& fe = fn_->next_edges();
    for (size_t i = 0; i < fe.size(); ++i) add_next_edge(i == self_input_ ? gradient_edge(base) : fe[i]);
    if (AnomalyMode::is_enabled()) forward_trace = AnomalyMode::capture_trace();
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
    TG_CHECK(res.size() <= out.size(), "function ", fn_->name(), " returned an incorrect number of gradients (expected ",
             out.size(), ", got ", res.size(), ")");
    res.resize(out.size());
    if (res[self_input_].defined()) copy_(slice, res[self_input_]);
    else zero_(slice);
    for (size_t i = 0; i < res.size(); ++i) out[i] = i == self_input_ ? result : res[i];
    return out;
  }

 private:
  Shape base_sizes_, base_strides_;
  int64_t base_offset_;
  Shape view_sizes_, view_strides_;
  int64_t view_offset_;
  std::shared_ptr<Node> fn_;
  size_t self_input_;
};

// The view's own history after its base was rebased: a strided read of the base.
TensorList view_of_base_backward(OpNode& n, const TensorList& g) {
  return {as_strided_backward(g[0], n.shape, n.shape2, n.offset, Shape(n.ints.begin(), n.ints.end()),
                              static_cast<int64_t>(n.scalar))};
}

// An AsStridedBackward0 node reading `view`'s geometry from `base`, whose gradient goes to
// `base_edge`. Its input metadata is not added here (the caller sets the view's history).
std::shared_ptr<OpNode> make_view_fn(const Tensor& base, const Tensor& view, Edge base_edge) {
  auto view_fn = std::make_shared<OpNode>("AsStridedBackward0", view_of_base_backward);
  view_fn->add_next_edge(std::move(base_edge));
  view_fn->shape = base.sizes();
  view_fn->shape2 = base.strides();
  view_fn->offset = base.impl()->offset();
  view_fn->ints = std::vector<int64_t>(view.strides().begin(), view.strides().end());
  view_fn->scalar = static_cast<double>(view.impl()->offset());
  if (AnomalyMode::is_enabled()) view_fn->forward_trace = AnomalyMode::capture_trace();
  return view_fn;
}

// Moves the retain_grad hook of `m` (if any) off its current node; returns it.
std::vector<std::pair<uint32_t, TensorHookFn>> take_retain_hooks(AutogradMeta& m) {
  std::vector<std::pair<uint32_t, TensorHookFn>> retain;
  if (m.retains_grad && m.grad_fn) {
    auto& hooks = m.grad_fn->retains_grad_hooks;
    for (auto it = hooks.begin(); it != hooks.end();) {
      if (it->first == m.output_nr) { retain.push_back(*it); it = hooks.erase(it); }
      else ++it;
    }
  }
  return retain;
}

}  // namespace

void refresh_view_history(const Tensor& t, AutogradMeta& m) {
  const uint32_t current = t.impl()->version();
  const Tensor& base = m.base;
  if (!m.grad_fn && !base.requires_grad()) {
    m.attr_version = current;  // nothing recorded on either side: still a constant
    return;
  }
  if (!m.multi_output_view_of.empty()) {
    fail(ErrorKind::Runtime, "Output ", m.output_nr, " of ", m.multi_output_view_of,
         " is a view and its base or another view of its base has been modified inplace. This view is the output of "
         "a function that returns multiple views. Such functions do not allow the output views to be modified "
         "inplace. You should replace the inplace operation by an out-of-place one.");
  }
  if (m.view_from_custom_function) {
    fail(ErrorKind::Runtime, "Output ", m.output_nr, " of ", m.grad_fn ? m.grad_fn->name() : std::string("a custom Function"),
         " is a view and its base or another view of its base has been modified inplace. This view was created "
         "inside a custom Function (or because an input was returned as-is) and the autograd logic to handle "
         "view+inplace would override the custom backward associated with the custom Function, leading to incorrect "
         "gradients. This behavior is forbidden. You can fix this by cloning the output of the custom Function.");
  }
  auto retain = take_retain_hooks(m);
  auto view_fn = make_view_fn(base, t, gradient_edge(base));
  m.grad_fn = view_fn;
  m.output_nr = view_fn->add_input_metadata(t);
  m.requires_grad_flag = false;
  m.attr_version = current;
  for (auto& r : retain) view_fn->retains_grad_hooks.push_back({m.output_nr, r.second});
}

void check_inplace(const Tensor& self, bool recording) {
  TG_CHECK(!self.impl()->is_inference() || InferenceMode::is_enabled(),
           "Inplace update to inference tensor outside InferenceMode is not allowed.You can make a clone to get a "
           "normal tensor before doing inplace update.See https://github.com/pytorch/rfcs/pull/17 for more details.");
  if (!GradMode::is_enabled()) return;
  // The write will read self's history: bring a stale view's up to date first (this raises
  // the "its base ... has been modified inplace" errors where PyTorch does).
  if (recording) (void)grad_fn_of(self);
  auto* m = get_meta(self);
  if (m && m->is_view) {
    if (recording && m->view_from_custom_function && m->grad_fn) {
      fail(ErrorKind::Runtime, "Output ", m->output_nr, " of ", m->grad_fn->name(),
           " is a view and is being modified inplace. This view was created inside a custom Function (or because an "
           "input was returned as-is) and the autograd logic to handle view+inplace would override the custom "
           "backward associated with the custom Function, leading to incorrect gradients. This behavior is "
           "forbidden. You can fix this by cloning the output of the custom Function.");
    }
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
  if (fn) rebase_history(self, Edge(fn, 0), 0);  // fn recorded self's new value as its output 0
}

void rebase_history(const Tensor& self, const Edge& edge, size_t self_input) {
  const std::shared_ptr<Node>& fn = edge.function;
  auto& m = ensure_meta(self);
  // Checked before anything changes (custom Functions check it up front as well).
  TG_CHECK(!m.is_view || (edge.input_nr == 0 && fn->num_inputs() == 1),
           "Functions which modify views in-place must return a single Variable");
  // retain_grad follows the tensor to its new producer.
  auto retain = take_retain_hooks(m);
  if (m.is_view) {
    Tensor base = m.base;
    auto copy_slices = std::make_shared<CopySlices>(base, self, fn, self_input);
    auto& bm = ensure_meta(base);
    bm.grad_fn = copy_slices;
    bm.output_nr = copy_slices->add_input_metadata(base);
    bm.requires_grad_flag = false;
    // The view now reads its values from the rebased base.
    auto view_fn = make_view_fn(base, self, Edge(copy_slices, 0));
    m.grad_fn = view_fn;
    m.output_nr = view_fn->add_input_metadata(self);
    m.attr_version = self.impl()->version();
  } else {
    m.grad_fn = fn;
    m.output_nr = edge.input_nr;
  }
  m.requires_grad_flag = false;
  for (auto& r : retain) m.grad_fn->retains_grad_hooks.push_back({m.output_nr, r.second});
}

}  // namespace tg

// Custom autograd Functions written in JS (spec L): the graph node that calls the user's
// backward, and the exports that link a forward's outputs to it.
//
// Note [Custom Function nodes]
// lib/autograd/function.ts runs the user's forward under noGrad, then calls functionApply
// with the tensor inputs, the tensor outputs, what ctx marked (dirty, non-differentiable)
// and what ctx saved. functionApply builds a JsFunctionNode and links it like a built-in
// op's node: its next edges are the inputs' gradient edges, its outputs the forward's
// differentiable outputs; saved tensors become SavedVariables (version-checked, freed after
// a backward that does not retain the graph; an output is saved without a strong link back
// to the node, see Note [Saved tensor versions]).
//
// The node lives here, not in autograd/, because it calls JS. It holds a strong reference
// to a `runner(grads) -> grads` closure made by function.ts, which owns ctx and calls the
// user's static backward; the engine calls apply() on the JS thread (backward() is a
// synchronous native call), so the call is direct. ctx reads the saved tensors through an
// External holding a weak_ptr to the node: a strong one would close the cycle
// node -> runner -> ctx -> node, which V8 cannot see through native memory.
#include <algorithm>
#include "autograd/anomaly.h"
#include "autograd/autograd_meta.h"
#include "autograd/function.h"
#include "autograd/grad_mode.h"
#include "autograd/inplace.h"
#include "binding/api.h"
#include "binding/convert.h"
#include "binding/js_ref.h"
#include "ops/ops.h"

namespace tg {
namespace binding {
namespace {

constexpr const char* kOnceDifferentiableError =
    "trying to differentiate twice a function that was marked with @once_differentiable";

class JsFunctionNode final : public Node {
 public:
  JsFunctionNode(std::string name, Napi::Env env, Napi::Function runner, bool materialize_grads,
                 bool once_differentiable)
      : name_(std::move(name)), runner_(env, runner), materialize_grads_(materialize_grads),
        once_differentiable_(once_differentiable) {}

  std::string name() const override { return name_; }

  // grads: one per tensor output of the forward (undefined where none arrived). Returns one
  // gradient per tensor input; the engine then validates them against the inputs (B11).
  TensorList apply(TensorList&& grads) override {
    Napi::Env env = runner_.env();
    Napi::HandleScope scope(env);
    bool grads_require_grad = false;
    Napi::Array js_grads = Napi::Array::New(env, grads.size());
    for (size_t i = 0; i < grads.size(); ++i) {
      Tensor g = grads[i];
      grads_require_grad = grads_require_grad || (g.defined() && g.requires_grad());
      if (!g.defined() && materialize_grads_) {
        // L6, L8: an output that received no gradient (or is non-differentiable) gets zeros.
        const InputMetadata& md = output_info_.at(i);
        g = zeros(md.shape, md.dtype, md.device);
      }
      js_grads.Set(static_cast<uint32_t>(i), wrap(env, g));
    }
    Napi::Value r;
    {
      // E6: backward runs in the engine's mode (= createGraph); once-differentiable ones
      // never record (L9).
      AutoGradMode mode(once_differentiable_ ? false : GradMode::is_enabled());
      r = runner_.call({js_grads});
    }
    TensorList out(num_outputs());
    TG_CHECK(r.IsArray() && r.As<Napi::Array>().Length() == out.size(), "function ", name_,
             ": internal error: the backward runner returned a malformed result");
    Napi::Array a = r.As<Napi::Array>();
    for (uint32_t i = 0; i < out.size(); ++i) {
      Napi::Value v = a.Get(i);
      if (v.IsObject()) out[i] = tensor_of(env, v.As<Napi::Object>().Get("_id"), "gradient");
    }
    if (once_differentiable_ && GradMode::is_enabled() && grads_require_grad) {
      // Building a graph through a backward that recorded nothing would silently give wrong
      // higher-order gradients: route the results through a node that fails if reached.
      fail_if_differentiated_again(out, kOnceDifferentiableError);
    }
    return out;
  }

  void release_variables() override {
    for (auto& s : saved_) s.reset_data();
    released_ = true;
  }

  std::vector<Shape> saved_shapes() const override {
    std::vector<Shape> out;
    for (const auto& s : saved_)
      if (s.defined()) out.push_back(s.shape());
    return out;
  }

  // ctx.savedTensors: version-checked (I1); after a backward that freed them, B4's error.
  TensorList saved_tensors() {
    if (released_) throw_freed_graph_error();
    TensorList out;
    out.reserve(saved_.size());
    for (const auto& s : saved_) out.push_back(s.unpack(shared_from_this()));
    return out;
  }

  std::vector<SavedVariable> saved_;
  // Shape, dtype and device of every tensor output, for materializing missing gradients.
  std::vector<InputMetadata> output_info_;

 private:
  std::string name_;
  JsFunctionRef runner_;
  bool materialize_grads_;
  bool once_differentiable_;
  bool released_ = false;
};

using NodeRef = std::weak_ptr<JsFunctionNode>;

bool contains(const TensorList& list, const Tensor& t) {
  return std::any_of(list.begin(), list.end(), [&](const Tensor& x) { return x.defined() && x.same(t); });
}

size_t index_in(const TensorList& list, const Tensor& t) {
  for (size_t i = 0; i < list.size(); ++i)
    if (list[i].defined() && list[i].same(t)) return i;
  return list.size();
}

bool is_view(const Tensor& t) {
  auto* m = get_meta(t);
  return m && m->is_view;
}

// A view of t that shares its data and version counter: what a custom Function returns in
// place of an input it returned unmodified, so that the input keeps its own history.
Tensor alias_of(const Tensor& t) {
  Tensor a = Tensor::view_of(t, t.sizes(), t.strides(), t.impl()->offset());
  set_view_meta(a, t);
  return a;
}

// (name, runner, inputs[], outputs[], dirty[], nonDifferentiable[], saved[], materializeGrads,
//  onceDifferentiable) -> [outputs (Tensor[]), ctx handle]
// Called only when the forward must be recorded (grad mode on and an input requires grad).
Napi::Value FunctionApply(const Napi::CallbackInfo& info) {
  expect_args(info, 9, "Function.apply");
  Napi::Env env = info.Env();
  std::string name = info[0].As<Napi::String>().Utf8Value();
  Napi::Function runner = info[1].As<Napi::Function>();
  TensorList inputs = tensors_arg(info, 2);
  TensorList outputs = tensors_arg(info, 3);
  TensorList dirty = tensors_arg(info, 4);
  TensorList non_diff = tensors_arg(info, 5);
  TensorList saved = tensors_arg(info, 6);
  bool materialize = bool_arg(info, 7);
  bool once = bool_arg(info, 8);

  // Every check comes first, so that a failure leaves all tensors as they were.
  for (const Tensor& d : dirty) {
    TG_CHECK(contains(outputs, d),
             "Some elements marked as dirty during the forward method were not returned as output. The inputs that "
             "are modified inplace must all be outputs of the Function.");
  }
  for (size_t i = 0; i < outputs.size(); ++i) {
    const Tensor& v = outputs[i];
    bool first = index_in(outputs, v) == i;
    bool differentiable = !contains(non_diff, v) && is_floating(v.dtype());
    if (!first || !differentiable || !contains(dirty, v)) continue;
    TG_CHECK(!(is_leaf(v) && v.requires_grad()), "a leaf Variable that requires grad has been used in an in-place operation.");
    if (is_view(v))
      TG_CHECK(outputs.size() == 1, "Functions which modify views in-place must return a single Variable");
    check_inplace(v, true);
  }
  for (const Tensor& s : saved)
    if (s.defined() && s.impl()->is_inference()) SavedVariable(s, false);  // throws E5's error

  auto node = std::make_shared<JsFunctionNode>(name, env, runner, materialize, once);
  if (AnomalyMode::is_enabled()) node->forward_trace = AnomalyMode::capture_trace();
  node->reserve(inputs.size(), outputs.size());
  for (const Tensor& in : inputs) node->add_next_edge(gradient_edge(in));

  TensorList results(outputs.size());
  for (size_t i = 0; i < outputs.size(); ++i) {
    Tensor v = outputs[i];
    // The same tensor returned twice: later occurrences become aliases, each its own output.
    bool repeated = index_in(outputs, v) != i;
    if (repeated) v = alias_of(v);
    bool is_input = !repeated && contains(inputs, v);
    bool modified = !repeated && contains(dirty, v);
    bool differentiable = !contains(non_diff, outputs[i]) && is_floating(v.dtype());
    node->output_info_.push_back({v.sizes(), v.dtype(), v.device()});
    if (!differentiable) {
      node->add_input_metadata(v);  // keeps output numbers aligned; no gradient flows here
      if (!v.requires_grad()) {
        if (is_input && !modified) v = alias_of(v);
      } else {
        v = detach(v);  // L6: a non-differentiable output never requires grad
      }
    } else if (modified) {
      // L7: the input written in place now comes from this node (CopySlices for a view).
      if (auto* m = get_meta(v)) m->grad = Tensor();
      uint32_t nr = node->add_input_metadata(v);
      rebase_history(v, Edge(node, nr), index_in(inputs, v));
    } else {
      // An input returned as-is becomes a new view, so the input keeps its own history.
      if (is_input) v = alias_of(v);
      set_history(v, node);
      if (is_view(v)) ensure_meta(v).view_from_custom_function = true;
    }
    results[i] = v;
  }
  // After linking: a saved output is recognised by its grad_fn (Note [Saved tensor versions]).
  for (const Tensor& s : saved) node->saved_.emplace_back(s, s.defined() && grad_fn_of(s) == node);

  Napi::Array js_results = Napi::Array::New(env, results.size());
  for (size_t i = 0; i < results.size(); ++i) js_results.Set(static_cast<uint32_t>(i), wrap(env, results[i]));
  Napi::Array out = Napi::Array::New(env, 2);
  out.Set(0u, js_results);
  // The finalizer runs in GC and only frees the weak_ptr.
  out.Set(1u, Napi::External<NodeRef>::New(env, new NodeRef(node), [](Napi::Env, NodeRef* p) { delete p; }));
  return out;
}

// (ctx handle) -> (Tensor | null)[]
Napi::Value FunctionSavedTensors(const Napi::CallbackInfo& info) {
  if (!info[0].IsExternal()) throw Error(ErrorKind::Type, "savedTensors: invalid Function context");
  std::shared_ptr<JsFunctionNode> node = info[0].As<Napi::External<NodeRef>>().Data()->lock();
  if (!node) throw_freed_graph_error();  // the graph holding the node is gone
  TensorList saved = node->saved_tensors();
  Napi::Array out = Napi::Array::New(info.Env(), saved.size());
  for (size_t i = 0; i < saved.size(); ++i) out.Set(static_cast<uint32_t>(i), wrap(info.Env(), saved[i]));
  return out;
}

}  // namespace

void register_function_api(Napi::Env env, Napi::Object exports) {
  exports.Set("functionApply", Napi::Function::New(env, guarded<FunctionApply>, "functionApply"));
  exports.Set("functionSavedTensors", Napi::Function::New(env, guarded<FunctionSavedTensors>, "functionSavedTensors"));
}

}  // namespace binding
}  // namespace tg

// Exported autograd functions: flags, .grad, graph nodes, backward/grad, hooks, modes.
#include "autograd/accumulate_grad.h"
#include "autograd/anomaly.h"
#include "autograd/autograd_meta.h"
#include "autograd/engine.h"
#include "autograd/grad_mode.h"
#include "binding/api.h"
#include "binding/convert.h"
#include "binding/js_ref.h"
#include "ops/ops.h"

namespace tg {
namespace binding {
namespace {

Napi::Value RequiresGrad(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), tensor_arg(info, 0).requires_grad());
}

Napi::Value SetRequiresGrad(const Napi::CallbackInfo& info) {
  set_requires_grad(tensor_arg(info, 0), bool_arg(info, 1));
  return info.Env().Undefined();
}

Napi::Value IsLeaf(const Napi::CallbackInfo& info) { return Napi::Boolean::New(info.Env(), is_leaf(tensor_arg(info, 0))); }

Napi::Value GetGrad(const Napi::CallbackInfo& info) {
  auto* m = get_meta(tensor_arg(info, 0));
  return m ? wrap(info.Env(), m->grad) : info.Env().Null();
}

Napi::Value SetGrad(const Napi::CallbackInfo& info) {
  set_grad(tensor_arg(info, 0), opt_tensor_arg(info, 1));
  return info.Env().Undefined();
}

Napi::Value GradFn(const Napi::CallbackInfo& info) { return wrap_node(info.Env(), grad_fn_of(tensor_arg(info, 0))); }

Napi::Value RetainsGrad(const Napi::CallbackInfo& info) {
  auto* m = get_meta(tensor_arg(info, 0));
  return Napi::Boolean::New(info.Env(), m && m->retains_grad);
}

Napi::Value RetainGrad(const Napi::CallbackInfo& info) {
  Tensor t = tensor_arg(info, 0);
  TG_CHECK(t.requires_grad(), "can't retain_grad on Tensor that has requires_grad=False");
  if (is_leaf(t)) return info.Env().Undefined();  // leaves keep .grad anyway (D1)
  auto& m = ensure_meta(t);
  if (m.retains_grad) return info.Env().Undefined();
  m.retains_grad = true;
  // Raw pointer: the hook is removed when the tensor's meta dies (~AutogradMeta), so it can
  // never outlive the tensor, and holding a strong ref would form a cycle through grad_fn.
  TensorImpl* impl = t.impl();
  m.grad_fn->retains_grad_hooks.push_back({m.output_nr, [impl](const Tensor& g) -> Tensor {
    auto* meta = static_cast<AutogradMeta*>(impl->autograd_meta());
    if (!meta) return Tensor();
    if (!meta->grad.defined()) meta->grad = GradMode::is_enabled() ? g : clone(g);
    else meta->grad = add(meta->grad, g);
    return Tensor();
  }});
  return info.Env().Undefined();
}

Napi::Value DetachInplace(const Napi::CallbackInfo& info) {
  Tensor t = tensor_arg(info, 0);
  auto* m = get_meta(t);
  if (!m) return info.Env().Undefined();
  TG_CHECK(!m->is_view, "Can't detach views in-place. Use detach() instead.");
  m->grad_fn.reset();
  m->output_nr = 0;
  m->requires_grad_flag = false;
  m->is_view = false;
  m->base = Tensor();
  return info.Env().Undefined();
}

Napi::Value IsInference(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), tensor_arg(info, 0).impl()->is_inference());
}

Napi::Value Backward(const Napi::CallbackInfo& info) {
  // (tensors[], grads[], keepGraph, createGraph, inputs[])
  TensorList inputs = info.Length() > 4 && info[4].IsArray() ? tensors_arg(info, 4) : TensorList{};
  backward(tensors_arg(info, 0), tensors_arg(info, 1), bool_arg(info, 2), bool_arg(info, 3), inputs);
  return info.Env().Undefined();
}

Napi::Value Grad(const Napi::CallbackInfo& info) {
  // (outputs[], inputs[], gradOutputs[], keepGraph, createGraph, allowUnused)
  TensorList r = grad(tensors_arg(info, 0), tensors_arg(info, 1), tensors_arg(info, 2), bool_arg(info, 3),
                      bool_arg(info, 4), bool_arg(info, 5));
  Napi::Array out = Napi::Array::New(info.Env(), r.size());
  for (size_t i = 0; i < r.size(); ++i) out.Set(static_cast<uint32_t>(i), wrap(info.Env(), r[i]));
  return out;
}

Napi::Value SetGradEnabled(const Napi::CallbackInfo& info) {
  GradMode::set_enabled(bool_arg(info, 0));
  return info.Env().Undefined();
}
Napi::Value IsGradEnabled(const Napi::CallbackInfo& info) { return Napi::Boolean::New(info.Env(), GradMode::is_enabled()); }
Napi::Value SetInferenceMode(const Napi::CallbackInfo& info) {
  InferenceMode::set_enabled(bool_arg(info, 0));
  return info.Env().Undefined();
}
Napi::Value IsInferenceMode(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), InferenceMode::is_enabled());
}
Napi::Value SetAnomaly(const Napi::CallbackInfo& info) {
  AnomalyMode::set_enabled(bool_arg(info, 0), info.Length() < 2 || bool_arg(info, 1));
  return info.Env().Undefined();
}
Napi::Value IsAnomaly(const Napi::CallbackInfo& info) { return Napi::Boolean::New(info.Env(), AnomalyMode::is_enabled()); }
Napi::Value IsAnomalyCheckNan(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), AnomalyMode::should_check_nan());
}

// ---- anomaly traces (Note [Anomaly traces]) ----
// The env of this thread's addon instance: the hooks below are plain function pointers
// shared by every instance, and each instance (main thread, workers) runs on its own thread.
thread_local napi_env t_env = nullptr;

// The current JS stack, without the "Error" header line: from lib's captureStack (which
// leaves out tensorgrad's own frames), else from an error object, whose stack V8 records
// at creation, also for errors created through the API.
std::string capture_js_stack() {
  if (!t_env) return {};
  try {
    Napi::Env env(t_env);
    Napi::HandleScope scope(env);
    EnvData& d = env_data(env);
    if (!d.capture_stack.IsEmpty()) {
      Napi::Value r = d.capture_stack.Call({});
      return r.IsString() ? r.As<Napi::String>().Utf8Value() : std::string();
    }
    Napi::Value stack = Napi::Error::New(env, "").Value().Get("stack");
    if (!stack.IsString()) return {};
    std::string s = stack.As<Napi::String>().Utf8Value();
    auto nl = s.find('\n');
    return nl == std::string::npos ? std::string() : s.substr(nl + 1);
  } catch (...) {
    return {};
  }
}

// Emits PyTorch's anomaly warning through the warnings channel of lib/warnings.ts.
void report_anomaly(const Node& node) {
  if (!t_env) return;
  Napi::Env env(t_env);
  Napi::HandleScope scope(env);
  std::string msg = node.forward_trace.empty()
                        ? str("Error detected in ", node.name(),
                              ". No forward pass information available. Enable detect anomaly during forward pass "
                              "for more information.")
                        : str("Error detected in ", node.name(),
                              ". Traceback of forward call that caused the error:\n", node.forward_trace);
  env_data(env).warn.Call({Napi::String::New(env, msg), Napi::String::New(env, "UserWarning")});
}

// ---- graph nodes ----
Napi::Value NodeName(const Napi::CallbackInfo& info) {
  return Napi::String::New(info.Env(), node_of(info.Env(), info[0])->name());
}

Napi::Value NodeNext(const Napi::CallbackInfo& info) {
  auto node = node_of(info.Env(), info[0]);
  const auto& edges = node->next_edges();
  Napi::Array out = Napi::Array::New(info.Env(), edges.size());
  for (size_t i = 0; i < edges.size(); ++i) {
    Napi::Array pair = Napi::Array::New(info.Env(), 2);
    pair.Set(0u, wrap_node(info.Env(), edges[i].function));
    pair.Set(1u, Napi::Number::New(info.Env(), edges[i].input_nr));
    out.Set(static_cast<uint32_t>(i), pair);
  }
  return out;
}

Napi::Value NodeSavedShapes(const Napi::CallbackInfo& info) {
  auto shapes = node_of(info.Env(), info[0])->saved_shapes();
  Napi::Array out = Napi::Array::New(info.Env(), shapes.size());
  for (size_t i = 0; i < shapes.size(); ++i) out.Set(static_cast<uint32_t>(i), shape_to_js(info.Env(), shapes[i]));
  return out;
}

Napi::Value NodeVariable(const Napi::CallbackInfo& info) {
  auto node = node_of(info.Env(), info[0]);
  auto* acc = dynamic_cast<AccumulateGrad*>(node.get());
  return acc ? wrap(info.Env(), acc->variable()) : info.Env().Undefined();
}

// ---- hooks ----
// A JS function called from the engine with the gradient; returns a replacement or nothing.
TensorHookFn js_hook(Napi::Env env, Napi::Function fn, const std::string& name) {
  auto ref = std::make_shared<JsFunctionRef>(env, fn);
  return [ref, name](const Tensor& g) -> Tensor {
    Napi::Env env = ref->env();
    Napi::HandleScope scope(env);  // the engine may call many hooks inside one native call
    Napi::Value r = ref->call({wrap(env, g)});
    if (r.IsNull() || r.IsUndefined()) return Tensor();
    if (r.IsObject()) {
      Napi::Value id = r.As<Napi::Object>().Get("_id");
      if (id.IsNumber()) return tensor_of(env, id);
    }
    // Strict on purpose: `g => g * 2` is NaN in JS, and `g => log.push(g)` a number.
    std::string type = r.IsNumber() ? "number" : r.IsString() ? "string" : r.IsBoolean() ? "boolean" : "object";
    throw Error(ErrorKind::Type, str("hook '", name, "' returned a value of type ", type,
                                     "; a tensor hook must return a Tensor, null or undefined"));
  };
}

// Which node a non-leaf hook was registered on. The JS handle keeps it to remove the hook
// later, also after an in-place op moved the tensor to another node (J3); it is weak, so a
// handle never keeps a graph alive. The finalizer runs in GC and only frees the weak_ptr.
using NodeWeakRef = std::weak_ptr<Node>;
Napi::Value node_weak_ref(Napi::Env env, const std::shared_ptr<Node>& node) {
  return Napi::External<NodeWeakRef>::New(env, new NodeWeakRef(node),
                                          [](Napi::Env, NodeWeakRef* p) { delete p; });
}

Napi::Value RegisterHook(const Napi::CallbackInfo& info) {
  // (tensor, fn, name) -> [hook id, node ref | null]
  Tensor t = tensor_arg(info, 0);
  TG_CHECK(t.requires_grad(), "cannot register a hook on a tensor that doesn't require gradient");
  std::string name = info[2].IsString() ? info[2].As<Napi::String>().Utf8Value() : "<anonymous>";
  TensorHook h{next_hook_id(), 0, js_hook(info.Env(), info[1].As<Napi::Function>(), name), name};
  auto& m = ensure_meta(t);
  Napi::Array out = Napi::Array::New(info.Env(), 2);
  out.Set(0u, Napi::Number::New(info.Env(), static_cast<double>(h.id)));
  if (grad_fn_of(t)) {  // a stale view's history is refreshed first
    h.input_nr = m.output_nr;
    m.grad_fn->tensor_pre_hooks.push_back(h);
    out.Set(1u, node_weak_ref(info.Env(), m.grad_fn));
  } else {
    m.leaf_hooks.push_back(h);
    out.Set(1u, info.Env().Null());
  }
  return out;
}

Napi::Value RemoveHook(const Napi::CallbackInfo& info) {
  // (tensor | null, hook id, node ref | null): a non-leaf hook is removed from the node it
  // was registered on, a leaf hook from the leaf (skipped when the tensor was disposed).
  int64_t id = int_arg(info, 1);
  auto drop = [id](std::vector<TensorHook>& v) {
    for (auto it = v.begin(); it != v.end(); ++it)
      if (it->id == id) { v.erase(it); return; }
  };
  if (info[2].IsExternal()) {
    if (auto node = info[2].As<Napi::External<NodeWeakRef>>().Data()->lock()) drop(node->tensor_pre_hooks);
  } else if (info[0].IsNumber()) {
    if (auto* m = get_meta(tensor_arg(info, 0))) drop(m->leaf_hooks);
  }
  return info.Env().Undefined();
}

Napi::Value RegisterPostAccumulateHook(const Napi::CallbackInfo& info) {
  Tensor t = tensor_arg(info, 0);
  TG_CHECK(t.requires_grad(), "cannot register a hook on a tensor that doesn't require gradient");
  TG_CHECK(is_leaf(t), "post accumulate grad hooks cannot be registered on non-leaf tensors");
  auto ref = std::make_shared<JsFunctionRef>(info.Env(), info[1].As<Napi::Function>());
  Napi::Env env = info.Env();
  // Raw pointer: the hook lives in the tensor's own meta, so it never outlives the tensor.
  TensorImpl* impl = t.impl();
  int64_t id = next_hook_id();
  ensure_meta(t).post_accumulate_hooks.push_back({id, [ref, impl]() {
    Napi::Env env = ref->env();
    Napi::HandleScope scope(env);
    ref->call({wrap(env, Tensor(IntrusivePtr<TensorImpl>(impl)))});
  }});
  return Napi::Number::New(env, static_cast<double>(id));
}

Napi::Value RemovePostAccumulateHook(const Napi::CallbackInfo& info) {
  auto* m = get_meta(tensor_arg(info, 0));
  int64_t id = int_arg(info, 1);
  if (m) {
    auto& v = m->post_accumulate_hooks;
    for (auto it = v.begin(); it != v.end(); ++it)
      if (it->first == id) { v.erase(it); break; }
  }
  return info.Env().Undefined();
}

}  // namespace

void register_autograd_api(Napi::Env env, Napi::Object exports) {
  t_env = env;
  AnomalyMode::set_trace_hooks(capture_js_stack, report_anomaly);
  auto def = [&](const char* name, Napi::Value (*fn)(const Napi::CallbackInfo&)) {
    exports.Set(name, Napi::Function::New(env, fn, name));
  };
#define TG_DEF(name, fn) def(name, guarded<fn>)
  TG_DEF("requiresGrad", RequiresGrad);
  TG_DEF("setRequiresGrad", SetRequiresGrad);
  TG_DEF("isLeaf", IsLeaf);
  TG_DEF("getGrad", GetGrad);
  TG_DEF("setGrad", SetGrad);
  TG_DEF("gradFn", GradFn);
  TG_DEF("retainsGrad", RetainsGrad);
  TG_DEF("retainGrad", RetainGrad);
  TG_DEF("detachInplace", DetachInplace);
  TG_DEF("isInference", IsInference);
  TG_DEF("backward", Backward);
  TG_DEF("grad", Grad);
  TG_DEF("setGradEnabled", SetGradEnabled);
  TG_DEF("isGradEnabled", IsGradEnabled);
  TG_DEF("setInferenceMode", SetInferenceMode);
  TG_DEF("isInferenceMode", IsInferenceMode);
  TG_DEF("setAnomaly", SetAnomaly);
  TG_DEF("isAnomaly", IsAnomaly);
  TG_DEF("isAnomalyCheckNan", IsAnomalyCheckNan);
  TG_DEF("nodeName", NodeName);
  TG_DEF("nodeNext", NodeNext);
  TG_DEF("nodeVariable", NodeVariable);
  TG_DEF("nodeSavedShapes", NodeSavedShapes);
  TG_DEF("registerHook", RegisterHook);
  TG_DEF("removeHook", RemoveHook);
  TG_DEF("registerPostAccumulateHook", RegisterPostAccumulateHook);
  TG_DEF("removePostAccumulateHook", RemovePostAccumulateHook);
#undef TG_DEF
}

}  // namespace binding
}  // namespace tg

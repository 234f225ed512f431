#include "binding/env_data.h"

#include "core/allocator.h"

namespace tg {
namespace binding {

EnvData& env_data(Napi::Env env) { return *env.GetInstanceData<EnvData>(); }

namespace {

bool weak_alive(napi_env env, napi_ref ref, napi_value* out) {
  if (!ref) return false;
  napi_value v = nullptr;
  if (napi_get_reference_value(env, ref, &v) != napi_ok) return false;
  if (out) *out = v;
  return v != nullptr;
}

void free_slot(napi_env env, EnvData& d, int32_t id) {
  TensorSlot& s = d.slots[id];
  if (s.weak) napi_delete_reference(env, s.weak);
  s.weak = nullptr;
  TensorImpl* impl = s.impl;
  s.impl = nullptr;
  if (impl->wrapper_slot == id) impl->wrapper_slot = -1;
  d.free_slots.push_back(id);
  d.live_slots--;
  impl->decref();
}

// Sweeps when enough handles were created since the last sweep to pay for the scan, or when
// native memory grew a lot (GC may have collected wrappers of large tensors).
void maybe_sweep(Napi::Env env, EnvData& d) {
  bool by_count = d.slots_since_sweep > 4096 && d.slots_since_sweep > d.live_slots / 2;
  bool by_bytes = (d.slots_since_sweep & 255) == 0 &&
                  allocator_for(kCPU).stats().live_bytes - d.bytes_at_sweep > (int64_t(64) << 20);
  if (!by_count && !by_bytes) return;
  if (weak_alive(env, d.gc_canary, nullptr)) {
    d.slots_since_sweep = 0;  // no collection since the last sweep: nothing to find yet
    return;
  }
  sweep(env);
}

void renew_canary(napi_env env, EnvData& d) {
  if (d.gc_canary) napi_delete_reference(env, d.gc_canary);
  d.gc_canary = nullptr;
  napi_value obj;
  if (napi_create_object(env, &obj) == napi_ok) napi_create_reference(env, obj, 0, &d.gc_canary);
}

}  // namespace

void report_external_memory(Napi::Env env) {
  EnvData& d = env_data(env);
  int64_t live = allocator_for(kCPU).stats().live_bytes;
  int64_t diff = live - d.reported_external;
  if (diff > (int64_t(1) << 20) || diff < -(int64_t(1) << 20)) {
    int64_t result;
    napi_adjust_external_memory(env, diff, &result);
    d.reported_external = live;
  }
}

int64_t sweep(Napi::Env env) {
  EnvData& d = env_data(env);
  int64_t freed = 0;
  for (int32_t i = 0; i < static_cast<int32_t>(d.slots.size()); ++i) {
    TensorSlot& s = d.slots[i];
    if (s.impl && s.weak && !weak_alive(env, s.weak, nullptr)) {
      free_slot(env, d, i);
      ++freed;
    }
  }
  for (int32_t i = 0; i < static_cast<int32_t>(d.node_slots.size()); ++i) {
    NodeSlot& s = d.node_slots[i];
    if (s.node && s.weak && !weak_alive(env, s.weak, nullptr)) {
      napi_delete_reference(env, s.weak);
      s.weak = nullptr;
      d.node_index.erase(s.node.get());
      s.node.reset();
      d.free_node_slots.push_back(i);
    }
  }
  d.slots_since_sweep = 0;
  d.node_slots_since_sweep = 0;
  d.bytes_at_sweep = allocator_for(kCPU).stats().live_bytes;
  renew_canary(env, d);
  report_external_memory(env);
  return freed;
}

int32_t adopt(Napi::Env env, napi_value obj, IntrusivePtr<TensorImpl> impl) {
  EnvData& d = env_data(env);
  maybe_sweep(env, d);
  int32_t id;
  if (!d.free_slots.empty()) {
    id = d.free_slots.back();
    d.free_slots.pop_back();
  } else {
    id = static_cast<int32_t>(d.slots.size());
    d.slots.emplace_back();
  }
  TensorSlot& s = d.slots[id];
  napi_create_reference(env, obj, 0, &s.weak);
  TensorImpl* raw = impl.release();
  s.impl = raw;
  raw->wrapper_slot = id;
  d.live_slots++;
  d.slots_since_sweep++;
  if ((d.slots_since_sweep & 63) == 0) report_external_memory(env);
  return id;
}

TensorImpl* impl_of(Napi::Env env, int32_t id, const char* what) {
  EnvData& d = env_data(env);
  if (id < 0 || id >= static_cast<int32_t>(d.slots.size()) || !d.slots[id].impl) {
    throw Error(ErrorKind::Runtime, str("Cannot use a disposed tensor (argument '", what,
                                        "'): it was freed by dispose() or at the end of a tidy() scope"));
  }
  return d.slots[id].impl;
}

Tensor tensor_of(Napi::Env env, const Napi::Value& v, const char* what) {
  if (!v.IsNumber()) throw Error(ErrorKind::Type, str("expected ", what, " to be a Tensor"));
  return Tensor(IntrusivePtr<TensorImpl>(impl_of(env, v.As<Napi::Number>().Int32Value(), what)));
}

Napi::Value wrap(Napi::Env env, const Tensor& t) {
  if (!t.defined()) return env.Null();
  EnvData& d = env_data(env);
  int32_t ws = t.impl()->wrapper_slot;
  if (ws >= 0) {
    napi_value existing;
    if (weak_alive(env, d.slots[ws].weak, &existing)) return Napi::Value(env, existing);
  }
  Napi::Object obj = d.tensor_factory.Call({}).As<Napi::Object>();
  int32_t id = adopt(env, obj, t.impl_ptr());
  t.impl()->wrapper_slot = id;
  obj.Set("_id", Napi::Number::New(env, id));
  return obj;
}

Napi::Value op_result(Napi::Env env, const Napi::Value& out_obj, const Tensor& t) {
  int32_t ws = t.impl()->wrapper_slot;
  if (ws >= 0) {
    napi_value existing;
    if (weak_alive(env, env_data(env).slots[ws].weak, &existing)) return Napi::Value(env, existing);
  }
  return Napi::Number::New(env, adopt(env, out_obj, t.impl_ptr()));
}

Napi::Value pair_result(const Napi::CallbackInfo& info, const std::pair<Tensor, Tensor>& r) {
  Napi::Array out = Napi::Array::New(info.Env(), 2);
  out.Set(0u, op_result(info.Env(), info[0], r.first));
  out.Set(1u, op_result(info.Env(), info[1], r.second));
  return out;
}

void release(Napi::Env env, int32_t id) {
  EnvData& d = env_data(env);
  if (id < 0 || id >= static_cast<int32_t>(d.slots.size()) || !d.slots[id].impl) return;
  free_slot(env, d, id);
}

Napi::Value wrap_node(Napi::Env env, const std::shared_ptr<Node>& node) {
  if (!node) return env.Null();
  EnvData& d = env_data(env);
  auto it = d.node_index.find(node.get());
  if (it != d.node_index.end()) {
    napi_value existing;
    if (weak_alive(env, d.node_slots[it->second].weak, &existing)) return Napi::Value(env, existing);
    // The old wrapper died: reuse its slot for the new one.
    NodeSlot& s = d.node_slots[it->second];
    napi_delete_reference(env, s.weak);
    s.weak = nullptr;
    s.node.reset();
    d.free_node_slots.push_back(it->second);
    d.node_index.erase(it);
  }
  int32_t id;
  if (!d.free_node_slots.empty()) {
    id = d.free_node_slots.back();
    d.free_node_slots.pop_back();
  } else {
    id = static_cast<int32_t>(d.node_slots.size());
    d.node_slots.emplace_back();
  }
  Napi::Object obj = d.node_factory.Call({Napi::Number::New(env, id)}).As<Napi::Object>();
  NodeSlot& s = d.node_slots[id];
  s.node = node;
  napi_create_reference(env, obj, 0, &s.weak);
  d.node_index[node.get()] = id;
  if (++d.node_slots_since_sweep > 4096) sweep(env);
  return obj;
}

std::shared_ptr<Node> node_of(Napi::Env env, const Napi::Value& v) {
  EnvData& d = env_data(env);
  int32_t id = v.As<Napi::Number>().Int32Value();
  if (id < 0 || id >= static_cast<int32_t>(d.node_slots.size()) || !d.node_slots[id].node)
    throw Error(ErrorKind::Runtime, "invalid graph node handle");
  return d.node_slots[id].node;
}

}  // namespace binding
}  // namespace tg

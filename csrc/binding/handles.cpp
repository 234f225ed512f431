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

// Note [GC pressure]: a tensor's JS wrapper is a few dozen bytes, so V8 knows nothing of the
// native memory behind dead tensors unless the binding tells it, and a collection only clears
// the weak references of dead wrappers: their memory goes back to the caching allocator when
// the sweep finds them. Both are checked at every new handle (adopt):
//
// - External memory. The live bytes are reported to V8 in steps of kReportStep. V8 (11.3,
//   Node 20) starts incremental marking when they pass 64 MiB above their lowest point since
//   its last mark-compact, and advances the marking at each later report.
// - The sweep follows any collection (the canary died) once kSweepBytes were allocated, or
//   4096 handles made (it is O(slots)); its drop in live bytes is reported at once, which
//   lowers V8's low point and so its next trigger.
//
// This used to report every 64 handles and look for a sweep every 256: 4 MiB tensors were
// reported 256 MiB at a time, and `x.abs().rsqrt()` over them climbed to about 1.2 GiB
// before its first sweep, writing fresh pages at each step until then.
//
// Weak references are read inside their own handle scope. A report can start marking, which
// takes the open handle scopes as roots: a local handle to the canary, or to the unswept
// wrappers the sweep read, made earlier in the same native call, kept those objects alive
// through the whole cycle, and the canary outlived every collection the reports started.
constexpr int64_t kReportStep = int64_t(1) << 20;
constexpr int64_t kSweepBytes = int64_t(8) << 20;

void report_external(napi_env env, EnvData& d) {
  int64_t live = allocator_for(kCPU).live_bytes();
  int64_t diff = live - d.reported_external;
  if (diff >= kReportStep || diff <= -kReportStep) {
    int64_t result;
    napi_adjust_external_memory(env, diff, &result);
    d.reported_external = live;
  }
}

void renew_canary(napi_env env, EnvData& d) {
  Napi::HandleScope scope(env);
  if (d.gc_canary) napi_delete_reference(env, d.gc_canary);
  d.gc_canary = nullptr;
  napi_value obj;
  if (napi_create_object(env, &obj) == napi_ok) napi_create_reference(env, obj, 0, &d.gc_canary);
}

bool canary_alive(napi_env env, EnvData& d) {
  Napi::HandleScope scope(env);
  return weak_alive(env, d.gc_canary, nullptr);
}

void maybe_sweep(Napi::Env env, EnvData& d) {
  bool by_count = d.slots_since_sweep > 4096 && d.slots_since_sweep > d.live_slots / 2;
  int64_t live = allocator_for(kCPU).live_bytes();
  bool by_bytes = live >= d.canary_check_bytes;
  if (!by_count && !by_bytes) return;
  if (canary_alive(env, d)) {
    // Nothing to find yet; look again after another 4096 handles or kReportStep bytes.
    if (by_count) d.slots_since_sweep = 0;
    if (by_bytes) d.canary_check_bytes = live + kReportStep;
    return;
  }
  sweep(env);
}

}  // namespace

void report_external_memory(Napi::Env env) { report_external(env, env_data(env)); }

int64_t sweep(Napi::Env env) {
  EnvData& d = env_data(env);
  int64_t freed = 0;
  {
    Napi::HandleScope scope(env);  // Note [GC pressure]
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
  }
  d.slots_since_sweep = 0;
  d.node_slots_since_sweep = 0;
  d.canary_check_bytes = allocator_for(kCPU).live_bytes() + kSweepBytes;
  renew_canary(env, d);
  report_external(env, d);
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
  report_external(env, d);
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

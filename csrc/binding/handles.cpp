#include "binding/env_data.h"

#include <algorithm>

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
// the sweep finds them. Three mechanisms, all checked at every new handle (adopt):
//
// - Young collections. A scavenge clears dead young wrappers (plain JS objects behind napi
//   weak references) for about 0.2 ms, where a mark-compact costs milliseconds plus the
//   concurrent marking threads. Once kCollectBytes were allocated since the last sweep with
//   no collection in between (the canary is alive), maybe_sweep asks lib/memory.ts for one
//   (V8's `gc({type: 'minor'})`) and sweeps. At least kMinHandles handles must have been made
//   since the last sweep: a wrapper alive at two scavenges is promoted to the old generation,
//   where only a mark-compact frees it. (Collecting at each 16 MiB result of `x.abs().rsqrt()`
//   promoted the intermediates, and mark-compacts came every four steps.)
// - External memory. The live bytes are reported to V8 in steps of kReportStep; with young
//   collections on, only those left after the last sweep (min(live, live_at_sweep)), as what
//   is allocated since is ours to collect. V8 (11.3, Node 20) starts incremental marking when
//   the reported bytes pass 64 MiB above their lowest point since its last mark-compact, and
//   advances the marking at each later report: so it collects what scavenges cannot (wrappers
//   promoted by living long), and everything when young collections are unavailable.
// - The sweep follows any collection (the canary died) once kSweepBytes were allocated, or
//   4096 handles made (it is O(slots)); its drop in live bytes is reported at once.
//
// A loop that frees only by GC thus keeps about kCollectBytes of garbage plus a step's
// tensors: 4 MiB `x.abs().rsqrt()` levels off at 48 MiB live + cached, where the first
// version of this code (reports every 64 handles, 256 MiB at a time; sweeps looked for every
// 256 handles) grew to 1.2 GiB and wrote fresh pages each step until then.
//
// Weak references are read inside their own handle scope. A report can start marking, which
// takes the open handle scopes as roots: a local handle to the canary, or to the unswept
// wrappers the sweep read, made earlier in the same native call, kept those objects alive
// through the whole cycle, and the canary outlived every collection the reports started.
constexpr int64_t kReportStep = int64_t(1) << 20;
constexpr int64_t kSweepBytes = int64_t(8) << 20;
constexpr int64_t kCollectBytes = int64_t(32) << 20;
constexpr int64_t kCollectBytesPerSlot = int64_t(4) << 10;  // the sweep: 35-80 ns per slot
constexpr int64_t kMinHandles = 2;

void report_external(napi_env env, EnvData& d) {
  int64_t live = allocator_for(kCPU).live_bytes();
  if (!d.collect_young.IsEmpty()) live = std::min(live, d.live_at_sweep);
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

// Runs the young collection of lib/memory.ts; false if it cannot (the hook is then dropped,
// and reports go back to all live bytes).
bool collect_young(Napi::Env env, EnvData& d) {
  if (d.collect_young.IsEmpty()) return false;
  bool ran = false;
  try {
    Napi::HandleScope scope(env);
    ran = d.collect_young.Call({}).ToBoolean().Value();
  } catch (const Napi::Error&) {
  }
  if (!ran) d.collect_young.Reset();
  return ran;
}

void maybe_sweep(Napi::Env env, EnvData& d) {
  bool by_count = d.slots_since_sweep > 4096 && d.slots_since_sweep > d.live_slots / 2;
  int64_t live = allocator_for(kCPU).live_bytes();
  bool by_bytes = live >= d.canary_check_bytes;
  if (!by_count && !by_bytes) return;
  if (canary_alive(env, d)) {
    int64_t threshold = std::max(kCollectBytes, d.live_slots * kCollectBytesPerSlot);
    bool collect =
        by_bytes && d.slots_since_sweep >= kMinHandles && live - d.live_at_sweep >= threshold;
    if (!collect || !collect_young(env, d)) {
      // Nothing to find yet; look again after another 4096 handles or kReportStep bytes.
      if (by_count) d.slots_since_sweep = 0;
      if (by_bytes) d.canary_check_bytes = live + kReportStep;
      return;
    }
  }
  sweep(env);
}

}  // namespace

void report_external_memory(Napi::Env env) { report_external(env, env_data(env)); }

void set_young_collector(Napi::Env env, const Napi::Value& fn) {
  EnvData& d = env_data(env);
  if (fn.IsFunction()) d.collect_young = Napi::Persistent(fn.As<Napi::Function>());
  else d.collect_young.Reset();
}

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
  d.live_at_sweep = allocator_for(kCPU).live_bytes();
  d.canary_check_bytes = d.live_at_sweep + kSweepBytes;
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

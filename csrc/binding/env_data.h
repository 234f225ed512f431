// Per-env state of the addon (one per isolate: the main thread and each worker): the tensor
// and node handle tables, the JS error classes and factories handed over at init.
//
// Note [Tensor handles]: a JS Tensor is a plain JS object holding a small integer id into
// this env's slot table; the slot owns one reference to the TensorImpl. Creating a handle is
// a JS object allocation plus a slot (no ObjectWrap, see shared/notes/napi-handles.md).
// Lifetime is explicit first (dispose(), tidy()), with a bounded default: every slot keeps a
// weak napi reference to its JS object, and slots whose object was garbage collected are
// swept synchronously from the allocation path (amortized O(1)), so a synchronous training
// loop with no explicit calls stays bounded. Finalizers are never relied upon: in a
// synchronous loop they do not run. Young collections requested by the binding and native
// bytes reported to V8 as external memory keep GC in pace with tensor allocation
// (handles.cpp, Note [GC pressure]).
#pragma once
#include <napi.h>
#include <memory>
#include <unordered_map>
#include <vector>
#include "autograd/node.h"
#include "core/tensor_impl.h"

namespace tg {
namespace binding {

struct TensorSlot {
  TensorImpl* impl = nullptr;  // owns one reference while in use
  napi_ref weak = nullptr;     // weak reference to the JS wrapper
};

struct NodeSlot {
  std::shared_ptr<Node> node;
  napi_ref weak = nullptr;
};

struct EnvData {
  EnvData() = default;
  EnvData(const EnvData&) = delete;
  EnvData& operator=(const EnvData&) = delete;
  // Members are destroyed after this body, graph nodes with them: see JsFunctionRef.
  ~EnvData() { *alive = false; }
  // False once the env is being torn down; shared with every JsFunctionRef.
  std::shared_ptr<bool> alive = std::make_shared<bool>(true);

  std::vector<TensorSlot> slots;
  std::vector<int32_t> free_slots;
  int64_t live_slots = 0;
  int64_t slots_since_sweep = 0;
  int64_t reported_external = 0;   // bytes reported through napi_adjust_external_memory
  int64_t canary_check_bytes = 0;  // live bytes at which maybe_sweep next looks at gc_canary
  int64_t live_at_sweep = 0;       // live bytes after the last sweep
  // A weak reference to an unreachable object made at the last sweep: it clears when V8 ran a
  // collection, which also clears the dead tensor wrappers it covers, so sweeping before that
  // finds nothing. (A scavenge clears it too, and the young wrappers; a wrapper promoted to
  // the old generation dies only in a mark-compact.)
  napi_ref gc_canary = nullptr;

  std::vector<NodeSlot> node_slots;
  std::vector<int32_t> free_node_slots;
  std::unordered_map<Node*, int32_t> node_index;
  int64_t node_slots_since_sweep = 0;

  Napi::FunctionReference tensor_factory;  // () => new Tensor (uninitialised handle)
  Napi::FunctionReference node_factory;    // (id) => new GradFn node handle
  Napi::FunctionReference warn;            // (message, category) => void
  Napi::FunctionReference capture_stack;   // () => string: the caller's stack (anomaly mode); optional
  Napi::FunctionReference collect_young;   // () => boolean: ran a young-generation GC; optional
  std::vector<Napi::FunctionReference> error_classes;  // indexed by ErrorKind
};

EnvData& env_data(Napi::Env env);

// ---- tensor handles ----
// Registers impl for the JS object `obj`; returns the new slot id.
int32_t adopt(Napi::Env env, napi_value obj, IntrusivePtr<TensorImpl> impl);
// The impl behind an id; throws a clear error for disposed or invalid handles.
TensorImpl* impl_of(Napi::Env env, int32_t id, const char* what = "tensor");
Tensor tensor_of(Napi::Env env, const Napi::Value& v, const char* what = "tensor");
// A JS value for impl: its live wrapper if it has one, else a new wrapper from the factory.
Napi::Value wrap(Napi::Env env, const Tensor& t);
// What an op returns: the id of a new slot for `out_obj`, or the existing wrapper of t.
Napi::Value op_result(Napi::Env env, const Napi::Value& out_obj, const Tensor& t);
// A [first, second] pair of op results for the out objects info[0] and info[1] ((values,
// indices) ops: sort, topk, max pooling with indices, ...).
Napi::Value pair_result(const Napi::CallbackInfo& info, const std::pair<Tensor, Tensor>& r);
void release(Napi::Env env, int32_t id);
// Frees slots whose JS object was collected; returns how many.
int64_t sweep(Napi::Env env);
// Keeps V8's view of native memory in step with the allocator.
void report_external_memory(Napi::Env env);
// Installs (or, given a non-function, removes) the young-generation GC hook of lib/memory.ts.
void set_young_collector(Napi::Env env, const Napi::Value& fn);

// ---- node handles ----
Napi::Value wrap_node(Napi::Env env, const std::shared_ptr<Node>& node);
std::shared_ptr<Node> node_of(Napi::Env env, const Napi::Value& v);

}  // namespace binding
}  // namespace tg

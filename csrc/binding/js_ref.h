// JsFunctionRef: a strong reference to a JS function owned by a native graph object (a
// tensor hook, a custom Function's node). Such objects may outlive the call that created
// them and are destroyed whenever their last owner drops them, always on the JS thread
// (the engine and the handle tables never run elsewhere). At env teardown the node table
// in EnvData is destroyed after the env started shutting down; the reference is then left
// to the runtime instead of being deleted.
#pragma once
#include <napi.h>
#include <memory>
#include "binding/env_data.h"

namespace tg {
namespace binding {

class JsFunctionRef {
 public:
  JsFunctionRef(Napi::Env env, Napi::Function fn)
      : env_(env), ref_(Napi::Persistent(fn)), alive_(env_data(env).alive) {}
  ~JsFunctionRef() {
    if (!*alive_) ref_.SuppressDestruct();
  }
  JsFunctionRef(const JsFunctionRef&) = delete;
  JsFunctionRef& operator=(const JsFunctionRef&) = delete;

  Napi::Env env() const { return env_; }
  // Calls the function with `this` undefined. A JS exception comes out as Napi::Error,
  // which the binding's error boundary (guarded<>) rethrows unchanged into JS.
  Napi::Value call(const std::initializer_list<napi_value>& args) const { return ref_.Call(args); }

 private:
  Napi::Env env_;
  Napi::FunctionReference ref_;
  std::shared_ptr<bool> alive_;
};

}  // namespace binding
}  // namespace tg

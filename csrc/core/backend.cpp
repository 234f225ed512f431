#include "core/backend.h"

namespace tg {
namespace {
Backend* g_backends[kNumDeviceTypes] = {};
}

void register_backend(DeviceType t, Backend* b) { g_backends[static_cast<int>(t)] = b; }

Backend& backend_for(Device d) {
  Backend* b = g_backends[static_cast<int>(d.type)];
  if (!b) {
    if (d.type == DeviceType::CUDA) fail(ErrorKind::Device, "tensorgrad was built without CUDA");
    fail(ErrorKind::Device, "no backend for device ", d.str());
  }
  return *b;
}

}  // namespace tg

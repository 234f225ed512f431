#include "core/backend.h"

namespace tg {
namespace {
Backend* g_backends[kNumDeviceTypes] = {};
}

void Backend::cat(const Tensor& out, const std::vector<Tensor>& parts, int64_t dim) {
  Shape sizes = out.sizes();
  int64_t start = 0;
  for (const Tensor& part : parts) {
    sizes[dim] = part.size(dim);
    if (part.numel() > 0) copy(Tensor::view_of(out, sizes, out.strides(), start * out.stride(dim)), part);
    start += sizes[dim];
  }
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

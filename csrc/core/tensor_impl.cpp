#include "core/tensor_impl.h"

namespace tg {

namespace {
bool g_create_inference = false;
}
void set_create_inference_tensors(bool v) { g_create_inference = v; }
bool create_inference_tensors() { return g_create_inference; }

bool TensorImpl::is_contiguous() const {
  int64_t expected = 1;
  for (size_t i = sizes_.size(); i-- > 0;) {
    if (sizes_[i] == 1) continue;
    if (strides_[i] != expected) return numel_ == 0;
    expected *= sizes_[i];
  }
  return true;
}

Tensor Tensor::empty(const Shape& sizes, DType dtype, Device device) {
  TG_CHECK_SHAPE(sizes.size() <= 64, "tensors may have at most 64 dimensions, got ", sizes.size());
  int64_t n = 1;
  for (int64_t s : sizes) {
    TG_CHECK_SHAPE(s >= 0, "Trying to create tensor with negative dimension ", s, ": ", shape_str(sizes));
    TG_CHECK_SHAPE(!__builtin_mul_overflow(n, s, &n) && n <= (int64_t(1) << 50), "tensor of shape ", shape_str(sizes),
                   " is too large");
  }
  auto storage = make_intrusive<Storage>(static_cast<size_t>(n) * dtype_size(dtype), device);
  auto impl = make_intrusive<TensorImpl>(std::move(storage), sizes, contiguous_strides(sizes), 0, dtype,
                                         make_intrusive<VersionCounter>());
  if (g_create_inference) impl->set_inference(true);
  return Tensor(std::move(impl));
}

Tensor Tensor::view_of(const Tensor& base, Shape sizes, Shape strides, int64_t offset) {
  TG_CHECK_SHAPE(sizes.size() <= 64, "tensors may have at most 64 dimensions, got ", sizes.size());
  auto impl = make_intrusive<TensorImpl>(base.impl()->storage(), std::move(sizes), std::move(strides), offset,
                                         base.dtype(), base.impl()->version_counter());
  impl->set_inference(base.impl()->is_inference());
  return Tensor(std::move(impl));
}

}  // namespace tg

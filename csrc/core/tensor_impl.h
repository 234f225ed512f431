// TensorImpl: the value behind every tensor. A refcounted Storage viewed through sizes,
// strides (in elements) and an offset, with a dtype, a version counter shared by all views
// of the same data, and optional autograd metadata owned by the autograd layer.
#pragma once
#include <memory>
#include "core/dtype.h"
#include "core/error.h"
#include "core/intrusive_ptr.h"
#include "core/pooled.h"
#include "core/shape.h"
#include "core/storage.h"

namespace tg {

// Note [Version counter]: every in-place write bumps the counter of the written tensor;
// views and detach() share it, so a node that saved any alias can detect the write.
class VersionCounter : public RefCounted, public Pooled<VersionCounter> {
 public:
  uint32_t value() const { return v_; }
  void bump() { ++v_; }

 private:
  uint32_t v_ = 0;
};

// Implemented by autograd/autograd_meta.h; the core only needs to own and query it.
struct AutogradMetaInterface {
  virtual ~AutogradMetaInterface() = default;
  virtual bool requires_grad() const = 0;
};

class TensorImpl : public RefCounted, public Pooled<TensorImpl> {
 public:
  TensorImpl(StoragePtr storage, Shape sizes, Shape strides, int64_t offset, DType dtype,
             IntrusivePtr<VersionCounter> version)
      : storage_(std::move(storage)), sizes_(std::move(sizes)), strides_(std::move(strides)),
        offset_(offset), dtype_(dtype), version_(std::move(version)) {
    numel_ = numel_of(sizes_);
  }

  const Shape& sizes() const { return sizes_; }
  const Shape& strides() const { return strides_; }
  int64_t size(int64_t d) const { return sizes_[d]; }
  int64_t stride(int64_t d) const { return strides_[d]; }
  int64_t dim() const { return static_cast<int64_t>(sizes_.size()); }
  int64_t numel() const { return numel_; }
  int64_t offset() const { return offset_; }
  DType dtype() const { return dtype_; }
  Device device() const { return storage_->device(); }
  const StoragePtr& storage() const { return storage_; }
  const IntrusivePtr<VersionCounter>& version_counter() const { return version_; }
  uint32_t version() const { return version_->value(); }
  void bump_version() { version_->bump(); }

  // Address of element 0 (device memory: never dereference on the host unless CPU).
  void* data() const { return static_cast<char*>(storage_->data()) + offset_ * static_cast<int64_t>(dtype_size(dtype_)); }
  template <typename T> T* data_as() const { return static_cast<T*>(data()); }

  bool is_contiguous() const;
  // Changes the geometry in place (used by in-place view ops such as squeeze_/detach_).
  void set_geometry(Shape sizes, Shape strides, int64_t offset) {
    sizes_ = std::move(sizes); strides_ = std::move(strides); offset_ = offset; numel_ = numel_of(sizes_);
  }
  // Takes src's storage, geometry and dtype, keeping this impl's identity, version counter and
  // autograd state (PyTorch's set_data / `param.data = t`, used by nn.Module.to()).
  void set_data_from(const TensorImpl& src) {
    storage_ = src.storage_; sizes_ = src.sizes_; strides_ = src.strides_; offset_ = src.offset_;
    dtype_ = src.dtype_; numel_ = src.numel_;
  }

  AutogradMetaInterface* autograd_meta() const { return autograd_meta_.get(); }
  void set_autograd_meta(std::unique_ptr<AutogradMetaInterface> m) { autograd_meta_ = std::move(m); }
  bool requires_grad() const { return autograd_meta_ && autograd_meta_->requires_grad(); }

  bool is_inference() const { return is_inference_; }
  void set_inference(bool v) { is_inference_ = v; }

  // Note [Wrapper slot]: an integer the language binding may use to find the one wrapper
  // object it handed out for this impl (-1 when none). The core never interprets it.
  int32_t wrapper_slot = -1;

 private:
  StoragePtr storage_;
  Shape sizes_, strides_;
  int64_t offset_ = 0;
  int64_t numel_ = 0;
  DType dtype_;
  IntrusivePtr<VersionCounter> version_;
  std::unique_ptr<AutogradMetaInterface> autograd_meta_;
  bool is_inference_ = false;
};

// Whether new tensors are inference tensors (set by autograd's InferenceMode).
void set_create_inference_tensors(bool v);
bool create_inference_tensors();

// A nullable handle owning one reference to a TensorImpl; the type ops take and return.
class Tensor {
 public:
  Tensor() = default;
  explicit Tensor(IntrusivePtr<TensorImpl> impl) : impl_(std::move(impl)) {}

  static Tensor empty(const Shape& sizes, DType dtype, Device device = kCPU);
  // A new tensor over `base`'s storage and version counter with another geometry.
  static Tensor view_of(const Tensor& base, Shape sizes, Shape strides, int64_t offset);

  bool defined() const { return static_cast<bool>(impl_); }
  TensorImpl* impl() const { return impl_.get(); }
  const IntrusivePtr<TensorImpl>& impl_ptr() const { return impl_; }
  bool same(const Tensor& o) const { return impl_ == o.impl_; }

  const Shape& sizes() const { return impl_->sizes(); }
  const Shape& strides() const { return impl_->strides(); }
  int64_t size(int64_t d) const { return impl_->size(d); }
  int64_t stride(int64_t d) const { return impl_->stride(d); }
  int64_t dim() const { return impl_->dim(); }
  int64_t numel() const { return impl_->numel(); }
  DType dtype() const { return impl_->dtype(); }
  Device device() const { return impl_->device(); }
  bool is_contiguous() const { return impl_->is_contiguous(); }
  bool requires_grad() const { return impl_->requires_grad(); }
  template <typename T> T* data() const { return impl_->data_as<T>(); }
  bool shares_storage(const Tensor& o) const { return impl_->storage() == o.impl_->storage(); }

 private:
  IntrusivePtr<TensorImpl> impl_;
};

using TensorList = std::vector<Tensor>;

}  // namespace tg

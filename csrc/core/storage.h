// A refcounted block of device memory. Views share one Storage.
#pragma once
#include <cstddef>
#include "core/allocator.h"
#include "core/device.h"
#include "core/intrusive_ptr.h"
#include "core/pooled.h"

namespace tg {

class Storage : public RefCounted, public Pooled<Storage> {
 public:
  Storage(size_t nbytes, Device device) : nbytes_(nbytes), device_(device) {
    data_ = allocator_for(device).allocate(nbytes, &capacity_);
  }
  ~Storage() override { allocator_for(device_).deallocate(data_, capacity_); }

  void* data() const { return data_; }
  size_t nbytes() const { return nbytes_; }
  Device device() const { return device_; }

 private:
  void* data_ = nullptr;
  size_t nbytes_ = 0;
  size_t capacity_ = 0;
  Device device_;
};

using StoragePtr = IntrusivePtr<Storage>;

}  // namespace tg

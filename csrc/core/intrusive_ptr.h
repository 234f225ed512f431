// Intrusive reference counting: the count lives in the object, so a raw pointer can be
// re-adopted (the N-API slot table and the autograd graph both hold raw-owned references).
#pragma once
#include <atomic>
#include <cstdint>
#include <utility>

namespace tg {

// Base for refcounted objects. Counts are atomic because kernels on pool threads may
// briefly hold storages; ownership is otherwise single-threaded.
class RefCounted {
 public:
  RefCounted() = default;
  RefCounted(const RefCounted&) = delete;
  RefCounted& operator=(const RefCounted&) = delete;
  virtual ~RefCounted() = default;

  void incref() const noexcept { refcount_.fetch_add(1, std::memory_order_relaxed); }
  void decref() const noexcept {
    if (refcount_.fetch_sub(1, std::memory_order_acq_rel) == 1) delete this;
  }
  uint32_t use_count() const noexcept { return refcount_.load(std::memory_order_relaxed); }

 private:
  mutable std::atomic<uint32_t> refcount_{0};
};

template <typename T>
class IntrusivePtr {
 public:
  IntrusivePtr() noexcept = default;
  IntrusivePtr(std::nullptr_t) noexcept {}
  explicit IntrusivePtr(T* p) noexcept : p_(p) { if (p_) p_->incref(); }
  IntrusivePtr(const IntrusivePtr& o) noexcept : p_(o.p_) { if (p_) p_->incref(); }
  IntrusivePtr(IntrusivePtr&& o) noexcept : p_(o.p_) { o.p_ = nullptr; }
  template <typename U>
  IntrusivePtr(const IntrusivePtr<U>& o) noexcept : p_(o.get()) { if (p_) p_->incref(); }
  ~IntrusivePtr() { if (p_) p_->decref(); }

  IntrusivePtr& operator=(const IntrusivePtr& o) noexcept { IntrusivePtr(o).swap(*this); return *this; }
  IntrusivePtr& operator=(IntrusivePtr&& o) noexcept { IntrusivePtr(std::move(o)).swap(*this); return *this; }
  void swap(IntrusivePtr& o) noexcept { std::swap(p_, o.p_); }
  void reset() noexcept { IntrusivePtr().swap(*this); }

  // Gives up ownership without decrementing; pair with adopt().
  T* release() noexcept { T* p = p_; p_ = nullptr; return p; }
  static IntrusivePtr adopt(T* p) noexcept { IntrusivePtr r; r.p_ = p; return r; }

  T* get() const noexcept { return p_; }
  T* operator->() const noexcept { return p_; }
  T& operator*() const noexcept { return *p_; }
  explicit operator bool() const noexcept { return p_ != nullptr; }
  bool operator==(const IntrusivePtr& o) const noexcept { return p_ == o.p_; }
  bool operator!=(const IntrusivePtr& o) const noexcept { return p_ != o.p_; }

 private:
  T* p_ = nullptr;
};

template <typename T, typename... Args>
IntrusivePtr<T> make_intrusive(Args&&... args) {
  return IntrusivePtr<T>(new T(std::forward<Args>(args)...));
}

}  // namespace tg

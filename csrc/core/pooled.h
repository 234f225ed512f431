// Class-level free lists for the small objects every op creates (TensorImpl, Storage,
// VersionCounter): reusing blocks avoids a malloc/free pair per object on the per-op path.
#pragma once
#include <cstddef>
#include <new>
#include <vector>

namespace tg {

template <typename T>
struct Pooled {
  static void* operator new(size_t n) {
    auto& list = free_list();
    if (n == sizeof(T) && !list.empty()) {
      void* p = list.back();
      list.pop_back();
      return p;
    }
    return ::operator new(n);
  }
  static void operator delete(void* p, size_t n) {
    auto& list = free_list();
    if (n == sizeof(T) && list.size() < kMaxCached) {
      list.push_back(p);
      return;
    }
    ::operator delete(p);
  }

 private:
  static constexpr size_t kMaxCached = 1 << 14;
  // Per thread: an object freed on another thread simply joins that thread's list.
  static std::vector<void*>& free_list() {
    thread_local std::vector<void*> list;
    return list;
  }
};

}  // namespace tg

namespace tg {

// An STL allocator over thread-local free lists, one per element count up to kMaxPooled,
// for std::allocate_shared of graph nodes (one block holds control block and node) and the
// small vectors every node owns (edges, input metadata, saved tensors).
template <typename T>
struct PoolAllocator {
  using value_type = T;
  static constexpr size_t kMaxPooled = 4;
  PoolAllocator() = default;
  template <typename U>
  PoolAllocator(const PoolAllocator<U>&) {}
  T* allocate(size_t n) {
    if (n >= 1 && n <= kMaxPooled) {
      auto& list = free_lists()[n - 1];
      if (!list.empty()) {
        void* p = list.back();
        list.pop_back();
        return static_cast<T*>(p);
      }
    }
    return static_cast<T*>(::operator new(n * sizeof(T)));
  }
  void deallocate(T* p, size_t n) {
    if (n >= 1 && n <= kMaxPooled) {
      auto& list = free_lists()[n - 1];
      if (list.size() < (1u << 14)) {
        list.push_back(p);
        return;
      }
    }
    ::operator delete(p);
  }
  template <typename U>
  bool operator==(const PoolAllocator<U>&) const { return true; }
  template <typename U>
  bool operator!=(const PoolAllocator<U>&) const { return false; }

 private:
  static std::vector<void*>* free_lists() {
    thread_local std::vector<void*> lists[kMaxPooled];
    return lists;
  }
};

// A vector whose small buffers come from the pool.
template <typename T>
using PooledVector = std::vector<T, PoolAllocator<T>>;

}  // namespace tg

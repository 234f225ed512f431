// Device memory allocation. CPU memory goes through a caching allocator: freed blocks are
// kept on per-size-class free lists and reused, because faulting in fresh pages costs
// about 1.5 us per 4 KiB on our machines (more than most kernels that write them).
#pragma once
#include <cstddef>
#include <cstdint>
#include "core/device.h"

namespace tg {

struct MemoryStats {
  int64_t live_bytes = 0;     // handed out and not yet freed (rounded to size class)
  int64_t cached_bytes = 0;   // held on free lists, ready for reuse
  int64_t peak_bytes = 0;     // highest live_bytes since start or reset_peak
  int64_t alloc_count = 0;    // allocations served
  int64_t cache_hits = 0;     // of which reused a cached block
};

class Allocator {
 public:
  virtual ~Allocator() = default;
  // Returns memory aligned to 64 bytes; nbytes == 0 returns nullptr.
  virtual void* allocate(size_t nbytes, size_t* actual) = 0;
  virtual void deallocate(void* p, size_t actual) = 0;
  virtual MemoryStats stats() const = 0;
  // stats().live_bytes without taking the lock (a relaxed read: for heuristics that run on
  // every op, such as the binding's external-memory reports).
  virtual int64_t live_bytes() const = 0;
  virtual void empty_cache() = 0;
  virtual void reset_peak() = 0;
};

Allocator& allocator_for(Device d);

}  // namespace tg

#include "core/allocator.h"

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <new>
#include <vector>
#include "core/error.h"

#ifdef __linux__
#include <sys/mman.h>
#endif

namespace tg {
namespace {

constexpr size_t kAlign = 64;
constexpr size_t kMinBlock = 64;
// Cached memory beyond this is returned to the OS on free (trim under pressure).
constexpr int64_t kDefaultCacheLimit = int64_t(2) << 30;

// Size classes: four steps per power of two (64, 80, 96, 112, 128, 160, ...), so the
// rounding wastes at most 25%.
size_t size_class_of(size_t n, int* index) {
  if (n <= kMinBlock) { *index = 0; return kMinBlock; }
  int log2 = 63 - __builtin_clzll(n - 1);       // 2^log2 < n <= 2^(log2+1)
  size_t base = size_t(1) << log2;
  size_t step = base / 4;
  size_t k = (n - base + step - 1) / step;      // 1..4
  *index = (log2 - 6) * 4 + static_cast<int>(k);
  return base + k * step;
}

// Note [Huge pages]: a block of at least kHugePage bytes starts on a 2 MiB boundary and, on
// Linux, asks for transparent huge pages (madvise MADV_HUGEPAGE, which takes effect where the
// system's THP mode is `madvise` or `always`). With 4 KiB pages, one core of the Zen 4 in
// bench/RESULTS.md reads a 64 MiB tensor from DRAM at 17-19 GB/s: the hardware prefetcher
// stops at each page boundary and every 4 KiB costs a TLB walk. In 2 MiB pages the same loop
// reads 29-30 GB/s, and a fresh block faults in 512 times less often. The alignment costs
// address space, not resident memory: only whole 2 MiB pages inside the block are advised,
// so no page beyond the block is touched. TENSORGRAD_HUGEPAGES=0 turns it off.
constexpr size_t kHugePage = size_t(2) << 20;

bool huge_pages_wanted() {
  static const bool wanted = [] {
    const char* e = std::getenv("TENSORGRAD_HUGEPAGES");
    return !(e && std::strcmp(e, "0") == 0);
  }();
  return wanted;
}

void* allocate_block(size_t cls) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  if (cls >= kHugePage && huge_pages_wanted()) {
    void* p = nullptr;
    if (posix_memalign(&p, kHugePage, cls) != 0) return nullptr;
    // Advice only: where THP is off the block stays in 4 KiB pages.
    (void)madvise(p, cls / kHugePage * kHugePage, MADV_HUGEPAGE);
    return p;
  }
#endif
  return std::aligned_alloc(kAlign, cls);
}

class CachingCPUAllocator final : public Allocator {
 public:
  void* allocate(size_t nbytes, size_t* actual) override {
    if (nbytes == 0) { *actual = 0; return nullptr; }
    int idx;
    size_t cls = size_class_of(nbytes, &idx);
    std::lock_guard<std::mutex> lock(mu_);
    stats_.alloc_count++;
    if (static_cast<size_t>(idx) < free_.size() && !free_[idx].empty()) {
      void* p = free_[idx].back();
      free_[idx].pop_back();
      stats_.cached_bytes -= static_cast<int64_t>(cls);
      stats_.cache_hits++;
      note_live(static_cast<int64_t>(cls));
      *actual = cls;
      return p;
    }
    void* p = allocate_block(cls);
    if (!p) {
      release_all_locked();
      p = allocate_block(cls);
    }
    TG_CHECK(p != nullptr, "CPU out of memory: tried to allocate ", nbytes, " bytes");
    note_live(static_cast<int64_t>(cls));
    *actual = cls;
    return p;
  }

  void deallocate(void* p, size_t actual) override {
    if (!p) return;
    int idx;
    size_class_of(actual, &idx);
    std::lock_guard<std::mutex> lock(mu_);
    stats_.live_bytes -= static_cast<int64_t>(actual);
    live_mirror_.store(stats_.live_bytes, std::memory_order_relaxed);
    if (stats_.cached_bytes + static_cast<int64_t>(actual) > cache_limit_) {
      std::free(p);
      return;
    }
    if (static_cast<size_t>(idx) >= free_.size()) free_.resize(idx + 1);
    free_[idx].push_back(p);
    stats_.cached_bytes += static_cast<int64_t>(actual);
  }

  MemoryStats stats() const override {
    std::lock_guard<std::mutex> lock(mu_);
    return stats_;
  }
  int64_t live_bytes() const override { return live_mirror_.load(std::memory_order_relaxed); }
  void empty_cache() override {
    std::lock_guard<std::mutex> lock(mu_);
    release_all_locked();
  }
  void reset_peak() override {
    std::lock_guard<std::mutex> lock(mu_);
    stats_.peak_bytes = stats_.live_bytes;
  }

 private:
  void note_live(int64_t n) {
    stats_.live_bytes += n;
    live_mirror_.store(stats_.live_bytes, std::memory_order_relaxed);
    if (stats_.live_bytes > stats_.peak_bytes) stats_.peak_bytes = stats_.live_bytes;
  }
  void release_all_locked() {
    for (auto& list : free_) {
      for (void* p : list) std::free(p);
      list.clear();
    }
    stats_.cached_bytes = 0;
  }

  mutable std::mutex mu_;
  std::vector<std::vector<void*>> free_;
  MemoryStats stats_;
  std::atomic<int64_t> live_mirror_{0};  // stats_.live_bytes, readable without mu_
  int64_t cache_limit_ = kDefaultCacheLimit;
};

}  // namespace

Allocator& allocator_for(Device d) {
  TG_CHECK_KIND(ErrorKind::Device, d.is_cpu(), "tensorgrad was built without CUDA");
  // Leaked on purpose: storages may be freed during process teardown after statics die.
  static Allocator* cpu = new CachingCPUAllocator();
  return *cpu;
}

}  // namespace tg

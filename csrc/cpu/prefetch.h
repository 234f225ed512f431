// Software prefetch of a byte range, for kernels whose access order the hardware prefetchers
// cannot follow (random rows, random positions within a row).
#pragma once
#include <cstddef>

namespace tg {
namespace cpu {

// Asks for every 64-byte line of [p, p + bytes), to be read (or, with Write, written) soon.
// Always inlined: as a function of its own, GCC finds a loop of prefetches free of side
// effects and drops the calls to it, prefetches and all.
template <bool Write = false>
__attribute__((always_inline)) inline void prefetch_lines(const void* p, size_t bytes) {
  const char* c = static_cast<const char*>(p);
  for (size_t at = 0; at < bytes; at += 64) __builtin_prefetch(c + at, Write);
}

}  // namespace cpu
}  // namespace tg

// The packed AVX2 gemm (csrc/cpu/gemm_packed.inc) compiled on its own for the benchmark
// programs beside this file, as tg::cpu::isa_avx2::packed_gemm, and a steady clock in seconds.
// Compile them with -Icsrc.
#pragma once
#include <immintrin.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <new>

#include "cpu/vec.h"

namespace tg {
namespace cpu {
#pragma GCC push_options
#pragma GCC target("avx2,fma")
#define TG_VEC_BYTES 32
#define TG_VEC_INLINE static inline __attribute__((always_inline))
namespace isa_avx2 {
#include "cpu/gemm_packed.inc"
}  // namespace isa_avx2
#pragma GCC pop_options
}  // namespace cpu
}  // namespace tg

inline double now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

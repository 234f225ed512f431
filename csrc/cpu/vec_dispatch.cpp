#include "cpu/vec.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>
#include <type_traits>
#include <vector>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define TG_X86_MULTI_ISA 1
#endif
#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace tg {
namespace cpu {

#include "cpu/vec_levels.inc"

#define TG_VEC_TABLE(ns, name)                                                                                \
  VecKernels {                                                                                                \
    name, ns::unary_f32, ns::binary_f32, ns::ternary_f32, ns::ternary_f64, ns::nan_to_num_f32,                 \
        ns::nan_to_num_f64, ns::mul_scalar_f32, ns::add_scalar_f32, ns::sum_f32, ns::sumsq_f32, ns::prod_f32,  \
        ns::prod_f64, ns::softmax_row_f32, ns::softmax_backward_row_f32, ns::max_f32, ns::min_f32,             \
        ns::arg_extreme_kernels<float>(), ns::arg_extreme_kernels<double>(), ns::arg_extreme_kernels<int32_t>(), \
        ns::arg_extreme_kernels<int64_t>(), ns::scan_rows_f32, ns::scan_cols_f32, ns::gemm_tile_f32,           \
        ns::kGemmNR, ns::kGemmDirect, ns::kGemmPacked, ns::kGemmTaps,                                          \
        {ns::reverse_run<uint8_t>, ns::reverse_run<uint16_t>, ns::reverse_run<uint32_t>,                       \
         ns::reverse_run<uint64_t>}                                                                            \
  }

// TENSORGRAD_ISA=avx2|baseline caps the level below what the CPU offers (for tests and
// comparisons); it can never select a level the CPU lacks. Other values change nothing.
static VecKernels select_kernels() {
#ifdef TG_X86_MULTI_ISA
  const char* cap = std::getenv("TENSORGRAD_ISA");
  const bool to_baseline = cap && std::strcmp(cap, "baseline") == 0;
  const bool allow2 = !to_baseline;
  const bool allow512 = allow2 && !(cap && std::strcmp(cap, "avx2") == 0);
  __builtin_cpu_init();
  if (allow512 && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") &&
      __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512bw"))
    return TG_VEC_TABLE(isa_avx512, "avx512");
  if (allow2 && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return TG_VEC_TABLE(isa_avx2, "avx2");
#endif
  return TG_VEC_TABLE(isa_base, "baseline");
}

const VecKernels& vec() {
  static const VecKernels k = select_kernels();
  return k;
}

}  // namespace cpu
}  // namespace tg

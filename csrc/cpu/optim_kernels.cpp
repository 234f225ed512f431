#include "cpu/optim_kernels.h"

#include <cmath>
#include "cpu/parallel.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define TG_X86_MULTI_ISA 1
#endif
#if defined(__SSE2__)
#include <immintrin.h>
#endif

namespace tg {
namespace cpu {
namespace {

using StepF32 = void (*)(const OptimParams&, int64_t, float*, const float*, float*, float*, float*);
using StepF64 = void (*)(const OptimParams&, int64_t, double*, const double*, double*, double*, double*);

#define TG_OPT_VEC_BYTES 16
namespace isa_base {
#include "cpu/optim_kernels.inc"
}  // namespace isa_base
#undef TG_OPT_VEC_BYTES

#ifdef TG_X86_MULTI_ISA
#pragma GCC push_options
#pragma GCC target("avx2,fma")
#define TG_OPT_VEC_BYTES 32
namespace isa_avx2 {
#include "cpu/optim_kernels.inc"
}  // namespace isa_avx2
#undef TG_OPT_VEC_BYTES
#pragma GCC pop_options

#pragma GCC push_options
#pragma GCC target("avx512f,avx512dq,avx512vl,avx512bw,avx2,fma")
// GCC 12's avx512fintrin.h sqrt intrinsics trip a false -Wmaybe-uninitialized.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#define TG_OPT_VEC_BYTES 64
namespace isa_avx512 {
#include "cpu/optim_kernels.inc"
}  // namespace isa_avx512
#undef TG_OPT_VEC_BYTES
#pragma GCC diagnostic pop
#pragma GCC pop_options
#endif

struct StepTable {
  StepF32 f32;
  StepF64 f64;
};

StepTable select_table() {
#ifdef TG_X86_MULTI_ISA
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl") &&
      __builtin_cpu_supports("avx512bw"))
    return {isa_avx512::step_f32, isa_avx512::step_f64};
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return {isa_avx2::step_f32, isa_avx2::step_f64};
#endif
  return {isa_base::step_f32, isa_base::step_f64};
}

const StepTable& table() {
  static const StepTable t = select_table();
  return t;
}

template <typename T>
T* ptr(const Tensor& t) {
  return t.defined() ? t.data<T>() : nullptr;
}

template <typename T, typename F>
void run(const OptimParams& o, const Tensor& param, const Tensor& grad, const Tensor& b0, const Tensor& b1,
         const Tensor& b2, F fn) {
  T* p = param.data<T>();
  const T* g = grad.data<T>();
  T *x0 = ptr<T>(b0), *x1 = ptr<T>(b1), *x2 = ptr<T>(b2);
  // Elementwise and independent per element, so any split gives the same numbers.
  parallel_for(0, param.numel(), kElementwiseGrain, [&](int64_t s, int64_t e) {
    fn(o, e - s, p + s, g + s, x0 ? x0 + s : nullptr, x1 ? x1 + s : nullptr, x2 ? x2 + s : nullptr);
  });
}

}  // namespace

void optim_step(const OptimParams& o, const Tensor& param, const Tensor& grad, const Tensor& b0, const Tensor& b1,
                const Tensor& b2) {
  if (param.dtype() == DType::Float64) run<double>(o, param, grad, b0, b1, b2, table().f64);
  else run<float>(o, param, grad, b0, b1, b2, table().f32);
}

}  // namespace cpu
}  // namespace tg

// Contiguous float32 kernels compiled for several ISA levels (baseline x86-64, AVX2+FMA,
// AVX-512) and chosen once at load time by CPUID (ARCHITECTURE.md decision 7).
#pragma once
#include <cstdint>

namespace tg {
namespace cpu {

enum class VecUnary { Exp, Tanh, Sigmoid, Relu };
// Add/Sub: a +- alpha b. ReluBackward: a where b > 0, else 0 (a the gradient, b the result).
enum class VecBinary { Add, Sub, Mul, Div, ReluBackward };

struct VecKernels {
  const char* isa;
  // y = op(x) / y = op(a, b) over n contiguous floats. `stream`: write y with non-temporal
  // stores (vec_kernels.inc, Note [Streaming stores]).
  void (*unary_f32)(VecUnary, const float*, float*, int64_t, bool stream);
  void (*binary_f32)(VecBinary, const float*, const float*, float*, int64_t, float alpha, bool stream);
  void (*mul_scalar_f32)(const float*, float, float*, int64_t);
  void (*add_scalar_f32)(const float*, float, float*, int64_t);
  double (*sum_f32)(const float*, int64_t);
  void (*axpy_f32)(float, const float*, float*, int64_t);
  float (*max_f32)(const float*, int64_t);
  float (*min_f32)(const float*, int64_t);
};

// The kernels for this CPU.
const VecKernels& vec();

}  // namespace cpu
}  // namespace tg

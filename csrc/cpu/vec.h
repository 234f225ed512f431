// Contiguous float32 kernels compiled for several ISA levels (baseline x86-64, AVX2+FMA,
// AVX-512) and chosen once at load time by CPUID (ARCHITECTURE.md decision 7).
#pragma once
#include <cstdint>

namespace tg {
namespace cpu {

enum class VecBinary { Add, Sub, Mul, Div };
enum class VecUnary { Exp, Tanh, Sigmoid };

struct VecKernels {
  const char* isa;
  void (*exp_f32)(const float*, float*, int64_t);
  void (*tanh_f32)(const float*, float*, int64_t);
  void (*sigmoid_f32)(const float*, float*, int64_t);
  void (*relu_f32)(const float*, float*, int64_t);
  void (*add_f32)(const float*, const float*, float*, int64_t, float);
  void (*sub_f32)(const float*, const float*, float*, int64_t, float);
  void (*mul_f32)(const float*, const float*, float*, int64_t);
  void (*div_f32)(const float*, const float*, float*, int64_t);
  void (*mul_scalar_f32)(const float*, float, float*, int64_t);
  void (*add_scalar_f32)(const float*, float, float*, int64_t);
  double (*sum_f32)(const float*, int64_t);
  void (*axpy_f32)(float, const float*, float*, int64_t);
  void (*relu_backward_f32)(const float*, const float*, float*, int64_t);
  float (*max_f32)(const float*, int64_t);
  float (*min_f32)(const float*, int64_t);
  // Streaming-store forms for results larger than the cache (vec_kernels.inc, Note
  // [Streaming stores]).
  void (*binary_stream_f32)(VecBinary, const float*, const float*, float*, int64_t, float);
  void (*unary_stream_f32)(VecUnary, const float*, float*, int64_t);
};

// The kernels for this CPU.
const VecKernels& vec();

}  // namespace cpu
}  // namespace tg

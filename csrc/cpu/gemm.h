// Matrix product for the CPU backend: OpenBLAS's cblas_?gemm when the build found it
// (TG_HAVE_CBLAS), a built-in blocked loop otherwise and for integer dtypes.
#pragma once
#include "core/tensor_impl.h"

namespace tg {
namespace cpu {

// c = alpha * a @ b + beta * c; a: [M, K], b: [K, N], c: [M, N], any strides.
void gemm_strided(const Tensor& c, const Tensor& a, const Tensor& b, double alpha, double beta);

// Which gemm this build uses, e.g. "openblas (...)" or "builtin".
const char* blas_name();

}  // namespace cpu
}  // namespace tg

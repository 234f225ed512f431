// Matrix product for the CPU backend: OpenBLAS's cblas_?gemm when the build found it
// (TG_HAVE_CBLAS), a built-in blocked loop otherwise and for integer dtypes.
#pragma once
#include "core/tensor_impl.h"

namespace tg {
namespace cpu {

// c = alpha * a @ b + beta * c; a: [M, K], b: [K, N], c: [M, N], any strides.
void gemm_strided(const Tensor& c, const Tensor& a, const Tensor& b, double alpha, double beta);

// Whether gemm_strided runs a float32 product c[M, N] = a[M, K] @ b[K, N], b with unit-stride
// rows, on the direct gemm (Note [Direct gemm] in gemm.cpp): callers that can choose how to
// split a product (the convolutions) size their blocks by it.
bool gemm_direct_takes(int64_t M, int64_t N, int64_t K);

// Whether float32 products may run on the direct gemm's AVX-512 tiles at all (the CPU runs
// the AVX-512 kernels and TENSORGRAD_GEMM does not send them to BLAS or the built-in gemm).
bool gemm_direct_enabled();

// Whether float32 products may run on the packed AVX2 gemm (Note [Packed AVX2 gemm] in
// gemm.cpp): the CPU runs the AVX2 kernels and TENSORGRAD_GEMM does not send them to BLAS.
bool gemm_packed_enabled();

// Which gemm this build uses, e.g. "openblas (...)" or "builtin".
const char* blas_name();

}  // namespace cpu
}  // namespace tg

// CPU kernels of the normalization ops (csrc/ops/norm.cpp): per-channel or per-row moments,
// and a per-plane affine map that applies a whole normalization in one pass. Operands are
// contiguous and of one floating dtype (float32 or float64); sums run in double.
#pragma once
#include "core/tensor_impl.h"

namespace tg {
namespace cpu {

// x is [N, C, S]. across_batch: mean / var are [C], the moments of channel c over every n
// and s (batch norm). Otherwise mean / var are [N * C], the moments of each row x[n, c, :]
// (group norm passes x as [N, G, C / G * S]). var is the biased variance (divided by the count).
void norm_moments_kernel(const Tensor& mean, const Tensor& var, const Tensor& x, bool across_batch);
// out[p, s] = x[p, s] * scale[p] + shift[p] for x, out [P, S]; scale, shift [P].
void plane_affine_kernel(const Tensor& out, const Tensor& x, const Tensor& scale, const Tensor& shift);

}  // namespace cpu
}  // namespace tg

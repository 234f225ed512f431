// CPU kernels of the normalization ops (csrc/ops/norm.cpp): per-channel or per-row moments,
// a per-plane affine map that applies a whole normalization in one pass, and layer norm's
// forward and backward over rows. Operands are
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
// The first-order batch-norm backward in two passes. g, x (and gx) are [N, C, S]; mean, rstd,
// weight (undefined: ones), gw, gb are [C]; undefined outputs are skipped. training: the
// statistics came from this batch, so gx = w rstd (g - mean(g) - xhat mean(g xhat)); else
// gx = g w rstd. gw = sum(g xhat), gb = sum(g) over n and s.
void batch_norm_backward_kernel(const Tensor& gx, const Tensor& gw, const Tensor& gb, const Tensor& g, const Tensor& x,
                                const Tensor& mean, const Tensor& rstd, const Tensor& weight, bool training);
// Layer norm over the rows of x [R, S]: out = (x * rstd + (-mean * rstd)) * weight + bias,
// PyTorch's order of roundings; mean, rstd [R]; weight, bias [S] or undefined (skipped).
void layer_norm_rows_kernel(const Tensor& out, const Tensor& x, const Tensor& mean, const Tensor& rstd,
                            const Tensor& weight, const Tensor& bias);
// The first-order layer-norm backward for the layout above, undefined outputs skipped:
// gx = rstd (gh - mean(gh) - xhat mean(gh xhat)) per row with gh = g weight, from the row
// sums of gh and gh (x - mean); gw = sum(g xhat), gb = sum(g) over rows.
void layer_norm_backward_kernel(const Tensor& gx, const Tensor& gw, const Tensor& gb, const Tensor& g, const Tensor& x,
                                const Tensor& mean, const Tensor& rstd, const Tensor& weight);

}  // namespace cpu
}  // namespace tg

// Singular values (linalg.svdvals) by one-sided Jacobi rotations, in double precision, one
// matrix at a time over the leading (batch) dims. The matrix norms of ord 2, -2 and 'nuc' are
// composed from it in lib/ops/linalg.ts, as PyTorch composes them (amax/amin/sum of svdvals).
//
// Gradient: d(sigma_i) = u_i^T dA v_i, so grad_A = U diag(grad) V^T with the reduced U and V
// saved at forward time. That formula treats U and V as constants, which is exact for the
// first derivative only: a second differentiation through it fails loudly (DelayedError).
#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>
#include "autograd/autograd_meta.h"
#include "autograd/function.h"
#include "autograd/grad_mode.h"
#include "core/shape.h"
#include "ops/helpers.h"
#include "ops/linalg_ext.h"

namespace tg {
namespace {

// Column-major m x n work matrix (m >= n): on return its columns are U * diag(sigma) and
// v (n x n, column-major) holds V; columns are orthogonalised pairwise until converged.
void jacobi_orthogonalize(std::vector<double>& a, std::vector<double>& v, int64_t m, int64_t n) {
  v.assign(n * n, 0.0);
  for (int64_t i = 0; i < n; ++i) v[i * n + i] = 1.0;
  const double eps = 1e-15;
  for (int sweep = 0; sweep < 60; ++sweep) {
    bool rotated = false;
    for (int64_t p = 0; p < n - 1; ++p) {
      for (int64_t q = p + 1; q < n; ++q) {
        double* ap = &a[p * m];
        double* aq = &a[q * m];
        double alpha = 0, beta = 0, gamma = 0;
        for (int64_t i = 0; i < m; ++i) {
          alpha += ap[i] * ap[i];
          beta += aq[i] * aq[i];
          gamma += ap[i] * aq[i];
        }
        if (gamma == 0.0 || std::abs(gamma) <= eps * std::sqrt(alpha * beta)) continue;
        rotated = true;
        const double zeta = (beta - alpha) / (2.0 * gamma);
        const double tan = (zeta >= 0 ? 1.0 : -1.0) / (std::abs(zeta) + std::sqrt(1.0 + zeta * zeta));
        const double c = 1.0 / std::sqrt(1.0 + tan * tan), s = c * tan;
        for (int64_t i = 0; i < m; ++i) {
          const double x = ap[i], y = aq[i];
          ap[i] = c * x - s * y;
          aq[i] = s * x + c * y;
        }
        double* vp = &v[p * n];
        double* vq = &v[q * n];
        for (int64_t i = 0; i < n; ++i) {
          const double x = vp[i], y = vq[i];
          vp[i] = c * x - s * y;
          vq[i] = s * x + c * y;
        }
      }
    }
    if (!rotated) break;
  }
}

// One matrix (row-major rows x cols at `in`): writes k = min(rows, cols) singular values in
// descending order, U (rows x k) and V (cols x k), all row-major.
void svd_one(const double* in, int64_t rows, int64_t cols, double* sigma, double* u, double* vt_out) {
  // Work on the orientation with at least as many rows as columns (A or A^T).
  const bool flip = rows < cols;
  const int64_t m = flip ? cols : rows, n = flip ? rows : cols;
  std::vector<double> a(m * n), v;
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < cols; ++j) {
      // Column-major m x n work matrix W = A (or A^T).
      if (!flip) a[j * m + i] = in[i * cols + j];
      else a[i * m + j] = in[i * cols + j];
    }
  jacobi_orthogonalize(a, v, m, n);
  std::vector<double> norms(n);
  for (int64_t j = 0; j < n; ++j) {
    double s = 0;
    for (int64_t i = 0; i < m; ++i) s += a[j * m + i] * a[j * m + i];
    norms[j] = std::sqrt(s);
  }
  std::vector<int64_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int64_t x, int64_t y) { return norms[x] > norms[y]; });
  // W = Uw S Vw^T; for A = W^T the roles swap: U_A = Vw, V_A = Uw.
  double* left = flip ? vt_out : u;   // m x n, the normalised columns of W
  double* right = flip ? u : vt_out;  // n x n, Vw
  for (int64_t k = 0; k < n; ++k) {
    const int64_t j = order[k];
    sigma[k] = norms[j];
    for (int64_t i = 0; i < m; ++i) left[i * n + k] = norms[j] > 0 ? a[j * m + i] / norms[j] : 0.0;
    for (int64_t i = 0; i < n; ++i) right[i * n + k] = v[j * n + i];
  }
}

// saved 0 = U [..., m, k], 1 = V [..., n, k].
TensorList svdvals_backward(OpNode& n, const TensorList& g) {
  Tensor u = n.saved(0), v = n.saved(1);
  TensorList out = {matmul(mul(u, unsqueeze(g[0], -2)), transpose(v, -2, -1))};
  if (GradMode::is_enabled()) {
    // The true second derivative depends on A (through U and V) and on the incoming gradient.
    std::vector<Edge> reach(n.next_edges().begin(), n.next_edges().end());
    if (g[0].requires_grad()) reach.push_back(gradient_edge(g[0]));
    fail_if_differentiated_again(out, "the derivative for 'linalg_svdvals' is not implemented.", reach);
  }
  return out;
}

}  // namespace

Tensor linalg_svdvals(const Tensor& a) {
  check_defined("linalg.svdvals", a);
  TG_CHECK(a.dim() >= 2, "linalg.svd: The input tensor A must have at least 2 dimensions.");
  TG_CHECK_DTYPE(is_floating(a.dtype()), "linalg.svd: Expected a floating point or complex tensor as input. Got ",
                 dtype_legacy_name(a.dtype()));
  const int64_t rows = a.size(a.dim() - 2), cols = a.size(a.dim() - 1), k = std::min(rows, cols);
  Shape batch(a.sizes().begin(), a.sizes().end() - 2);
  const int64_t nb = numel_of(batch);
  Tensor ad = contiguous_raw(cast_raw(a, DType::Float64));
  Shape s_shape = batch, u_shape = batch, v_shape = batch;
  s_shape.push_back(k);
  u_shape.push_back(rows), u_shape.push_back(k);
  v_shape.push_back(cols), v_shape.push_back(k);
  Tensor s = Tensor::empty(s_shape, DType::Float64, a.device());
  Tensor u = Tensor::empty(u_shape, DType::Float64, a.device());
  Tensor v = Tensor::empty(v_shape, DType::Float64, a.device());
  const double* in = ad.data<double>();
  for (int64_t b = 0; b < nb && k > 0; ++b) {
    svd_one(in + b * rows * cols, rows, cols, s.data<double>() + b * k, u.data<double>() + b * rows * k,
            v.data<double>() + b * cols * k);
  }
  Tensor out = cast_raw(s, a.dtype());
  if (auto n = record("LinalgSvdBackward0", svdvals_backward, {&a}, {&out})) {
    n->save({cast_raw(u, a.dtype()), cast_raw(v, a.dtype())});
  }
  return out;
}

}  // namespace tg

#include "cpu/conv_kernels.h"

#include <algorithm>
#include <cstring>
#include <vector>
#include "core/dtype.h"
#include "cpu/gemm.h"
#include "cpu/parallel.h"

namespace tg {
namespace cpu {
namespace {

// Per (sample, group): a channel block of Cg input channels and Og output channels. The
// column matrix has one row per (channel, kernel tap) and one column per output position.
struct Blocks {
  int64_t Cg, Og, K, CgK, L, HW;
  bool direct;  // 1x1 kernel, stride 1, no padding: the input block is its own column matrix
};

Blocks blocks_of(const ConvGeometry& g) {
  Blocks b;
  b.Cg = g.C / g.groups;
  b.Og = g.O / g.groups;
  b.K = g.kh * g.kw;
  b.CgK = b.Cg * b.K;
  b.L = g.Ho * g.Wo;
  b.HW = g.H * g.W;
  b.direct = g.kh == 1 && g.kw == 1 && g.sh == 1 && g.sw == 1 && g.ph == 0 && g.pw == 0 && g.Ho == g.H && g.Wo == g.W;
  return b;
}

// The output columns [lo, hi) whose input column ow * sw + off lies inside [0, W).
inline void valid_cols(int64_t off, int64_t sw, int64_t W, int64_t Wo, int64_t& lo, int64_t& hi) {
  lo = off >= 0 ? 0 : (-off + sw - 1) / sw;
  hi = W - off <= 0 ? 0 : (W - off + sw - 1) / sw;
  hi = std::min(hi, Wo);
  lo = std::min(lo, hi);
}

template <typename T>
void im2col(const T* x, T* col, const ConvGeometry& g, int64_t Cg) {
  const int64_t L = g.Ho * g.Wo;
  for (int64_t c = 0; c < Cg; ++c) {
    const T* src = x + c * g.H * g.W;
    for (int64_t i = 0; i < g.kh; ++i) {
      for (int64_t j = 0; j < g.kw; ++j) {
        T* dst = col + ((c * g.kh + i) * g.kw + j) * L;
        const int64_t off = j * g.dw - g.pw;
        int64_t lo, hi;
        valid_cols(off, g.sw, g.W, g.Wo, lo, hi);
        for (int64_t oh = 0; oh < g.Ho; ++oh) {
          T* d = dst + oh * g.Wo;
          const int64_t ih = oh * g.sh - g.ph + i * g.dh;
          if (ih < 0 || ih >= g.H) {
            std::fill(d, d + g.Wo, T(0));
            continue;
          }
          const T* s = src + ih * g.W + off;
          std::fill(d, d + lo, T(0));
          if (g.sw == 1) std::memcpy(d + lo, s + lo, static_cast<size_t>(hi - lo) * sizeof(T));
          else for (int64_t ow = lo; ow < hi; ++ow) d[ow] = s[ow * g.sw];
          std::fill(d + hi, d + g.Wo, T(0));
        }
      }
    }
  }
}

// The adjoint of im2col: x (zeroed here) accumulates every column entry at its source.
template <typename T>
void col2im(const T* col, T* x, const ConvGeometry& g, int64_t Cg) {
  const int64_t L = g.Ho * g.Wo;
  std::fill(x, x + Cg * g.H * g.W, T(0));
  for (int64_t c = 0; c < Cg; ++c) {
    T* dst = x + c * g.H * g.W;
    for (int64_t i = 0; i < g.kh; ++i) {
      for (int64_t j = 0; j < g.kw; ++j) {
        const T* src = col + ((c * g.kh + i) * g.kw + j) * L;
        const int64_t off = j * g.dw - g.pw;
        int64_t lo, hi;
        valid_cols(off, g.sw, g.W, g.Wo, lo, hi);
        for (int64_t oh = 0; oh < g.Ho; ++oh) {
          const int64_t ih = oh * g.sh - g.ph + i * g.dh;
          if (ih < 0 || ih >= g.H) continue;
          const T* s = src + oh * g.Wo;
          T* d = dst + ih * g.W + off;
          if (g.sw == 1) for (int64_t ow = lo; ow < hi; ++ow) d[ow] += s[ow];
          else for (int64_t ow = lo; ow < hi; ++ow) d[ow * g.sw] += s[ow];
        }
      }
    }
  }
}

// A row-major [rows, cols] matrix inside t's storage at element offset `at` (from t's own).
Tensor mat(const Tensor& t, int64_t at, int64_t rows, int64_t cols) {
  return Tensor::view_of(t, {rows, cols}, {cols, 1}, t.impl()->offset() + at);
}
// Its transpose, [cols, rows], without a copy.
Tensor mat_t(const Tensor& t, int64_t at, int64_t rows, int64_t cols) {
  return Tensor::view_of(t, {cols, rows}, {1, cols}, t.impl()->offset() + at);
}

// Below this many multiply-adds a convolution stays on the calling thread: waking a
// worker costs more than it saves.
constexpr int64_t kParallelMacs = 1 << 18;

// How many batch parts a convolution of geometry g runs in (1 for small work).
int64_t batch_parts(const ConvGeometry& g) {
  const Blocks b = blocks_of(g);
  if (g.N * g.O * b.L * b.CgK < kParallelMacs) return 1;
  return std::max<int64_t>(1, std::min<int64_t>(get_num_threads(), g.N));
}

// Splits the batch into batch_parts(g) contiguous parts and runs part(p, n0, n1) for each
// on the pool; part p always covers the same samples, so per-part buffers and sums are
// deterministic. gemm inside a part runs on its thread alone (no nested regions).
template <typename F>
void split_batch(const ConvGeometry& g, F&& part) {
  const int64_t N = g.N, P = batch_parts(g);
  parallel_for(0, P, 1, [&](int64_t p0, int64_t p1) {
    for (int64_t p = p0; p < p1; ++p) part(p, N * p / P, N * (p + 1) / P);
  });
}

// out[n, c, :] += bias[c] over planes of `plane` elements.
template <typename T>
void add_bias(T* out, const T* bias, int64_t channels, int64_t plane) {
  for (int64_t c = 0; c < channels; ++c) {
    const T b = bias[c];
    T* o = out + c * plane;
    for (int64_t i = 0; i < plane; ++i) o[i] += b;
  }
}

}  // namespace

void conv2d_kernel(const Tensor& y, const Tensor& x, const Tensor& w, const Tensor& bias, const ConvGeometry& g) {
  const Blocks b = blocks_of(g);
  if (g.N == 0 || g.O == 0 || b.L == 0) return;
  const int64_t P = batch_parts(g);
  std::vector<Tensor> cols;
  if (!b.direct)
    for (int64_t p = 0; p < P; ++p) cols.push_back(Tensor::empty({b.CgK, b.L}, x.dtype(), x.device()));
  dispatch_floating(x.dtype(), [&](auto tag) {
    using T = TG_TYPE(tag);
    split_batch(g, [&](int64_t p, int64_t n0, int64_t n1) {
      for (int64_t n = n0; n < n1; ++n) {
        for (int64_t gr = 0; gr < g.groups; ++gr) {
          const int64_t x_at = (n * g.C + gr * b.Cg) * b.HW;
          Tensor rhs;
          if (b.direct) {
            rhs = mat(x, x_at, b.Cg, b.L);
          } else {
            im2col(x.data<T>() + x_at, cols[p].data<T>(), g, b.Cg);
            rhs = cols[p];
          }
          gemm_strided(mat(y, (n * g.O + gr * b.Og) * b.L, b.Og, b.L), mat(w, gr * b.Og * b.CgK, b.Og, b.CgK), rhs, 1.0,
                       0.0);
        }
        if (bias.defined()) add_bias(y.data<T>() + n * g.O * b.L, bias.data<T>(), g.O, b.L);
      }
    });
  });
}

void conv2d_input_grad_kernel(const Tensor& gx, const Tensor& gy, const Tensor& w, const Tensor& bias,
                              const ConvGeometry& g) {
  const Blocks b = blocks_of(g);
  if (g.N == 0 || g.C == 0 || b.HW == 0) return;
  const int64_t P = batch_parts(g);
  std::vector<Tensor> cols;
  if (!b.direct)
    for (int64_t p = 0; p < P; ++p) cols.push_back(Tensor::empty({b.CgK, b.L}, gx.dtype(), gx.device()));
  dispatch_floating(gx.dtype(), [&](auto tag) {
    using T = TG_TYPE(tag);
    split_batch(g, [&](int64_t p, int64_t n0, int64_t n1) {
      for (int64_t n = n0; n < n1; ++n) {
        for (int64_t gr = 0; gr < g.groups; ++gr) {
          const int64_t x_at = (n * g.C + gr * b.Cg) * b.HW;
          Tensor lhs = mat_t(w, gr * b.Og * b.CgK, b.Og, b.CgK);       // [CgK, Og]
          Tensor rhs = mat(gy, (n * g.O + gr * b.Og) * b.L, b.Og, b.L);  // [Og, L]
          if (b.direct) {
            gemm_strided(mat(gx, x_at, b.Cg, b.L), lhs, rhs, 1.0, 0.0);
          } else if (b.Og == 0 || b.L == 0) {
            std::fill(gx.data<T>() + x_at, gx.data<T>() + x_at + b.Cg * b.HW, T(0));
          } else {
            gemm_strided(cols[p], lhs, rhs, 1.0, 0.0);
            col2im(cols[p].data<T>(), gx.data<T>() + x_at, g, b.Cg);
          }
        }
        if (bias.defined()) add_bias(gx.data<T>() + n * g.C * b.HW, bias.data<T>(), g.C, b.HW);
      }
    });
  });
}

// Each batch part accumulates the transpose of gw, [groups][CgK, Og], as cols @ gy^T: OpenBLAS
// runs that pair faster than gy @ cols^T, whose B operand is the transposed column matrix (as
// mm of those layouts, one thread: 0.62x the time at 32 x 144 x 1024, the bench's 3x3 conv of
// 16 channels; 0.87-1.03x at six other layer shapes). The parts' small transposes are summed
// into gw in part order at the end, so the result does not depend on timing.
void conv2d_weight_grad_kernel(const Tensor& gw, const Tensor& x, const Tensor& gy, const ConvGeometry& g) {
  const Blocks b = blocks_of(g);
  if (gw.numel() == 0) return;
  const int64_t P = batch_parts(g);
  std::vector<Tensor> cols, acc;
  for (int64_t p = 0; p < P; ++p) {
    if (!b.direct) cols.push_back(Tensor::empty({b.CgK, b.L}, x.dtype(), x.device()));
    acc.push_back(Tensor::empty({g.groups * b.CgK * b.Og}, gw.dtype(), gw.device()));
  }
  dispatch_floating(x.dtype(), [&](auto tag) {
    using T = TG_TYPE(tag);
    split_batch(g, [&](int64_t p, int64_t n0, int64_t n1) {
      std::fill(acc[p].data<T>(), acc[p].data<T>() + acc[p].numel(), T(0));
      for (int64_t n = n0; n < n1; ++n) {
        for (int64_t gr = 0; gr < g.groups; ++gr) {
          const int64_t x_at = (n * g.C + gr * b.Cg) * b.HW;
          Tensor col;  // [CgK, L]
          if (b.direct) {
            col = mat(x, x_at, b.Cg, b.L);
          } else {
            im2col(x.data<T>() + x_at, cols[p].data<T>(), g, b.Cg);
            col = cols[p];
          }
          gemm_strided(mat(acc[p], gr * b.CgK * b.Og, b.CgK, b.Og), col, mat_t(gy, (n * g.O + gr * b.Og) * b.L, b.Og, b.L),
                       1.0, 1.0);
        }
      }
    });
    T* out = gw.data<T>();  // [groups][Og, CgK]
    for (int64_t gr = 0; gr < g.groups; ++gr)
      for (int64_t o = 0; o < b.Og; ++o)
        for (int64_t k = 0; k < b.CgK; ++k) {
          const int64_t at = (gr * b.CgK + k) * b.Og + o;
          T sum = acc[0].data<T>()[at];
          for (int64_t p = 1; p < P; ++p) sum += acc[p].data<T>()[at];
          out[(gr * b.Og + o) * b.CgK + k] = sum;
        }
  });
}

}  // namespace cpu
}  // namespace tg

// CPU normalization kernels; see norm_kernels.h. Moments are two-pass (the mean, then the
// squared deviations from it), so a large mean does not cancel the variance; each row is
// summed in 16 lanes of the tensor's dtype and rows are added up in double. The row loops
// live in cpu/norm_rows.inc, compiled per ISA level.
// Channels (batch norm), rows (group norm) and planes (the affine pass) split over the
// thread pool.
#include "cpu/norm_kernels.h"
#include <algorithm>
#include <cstring>
#include <vector>
#include "core/error.h"
#include "cpu/parallel.h"
#include "cpu/vec.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define TG_X86_MULTI_ISA 1
#endif

namespace tg {
namespace cpu {
namespace {

// The row loops (cpu/norm_rows.inc), compiled once per ISA level; rows<T>() is the level
// the vector kernels run at (vec().isa, which TENSORGRAD_ISA can cap).
template <typename T>
struct NormRows {
  double (*sum)(const T* x, int64_t S);
  double (*sq_dev)(const T* x, T mu, int64_t S);  // sum of (x - mu)^2
  // sum_g = sum of g, sum_gx = sum of g (x - mu)
  void (*grad_sums)(const T* g, const T* x, T mu, int64_t S, double& sum_g, double& sum_gx);
  void (*layer_norm_row)(const T* x, T* y, T k, T c, const T* w, const T* b, int64_t S);
  void (*layer_norm_grad_row)(const T* g, const T* x, const T* w, T m, T k, int64_t S, T* gx, T* pw, T* pb);
};

namespace isa_base {
#include "cpu/norm_rows.inc"
}  // namespace isa_base
#ifdef TG_X86_MULTI_ISA
#pragma GCC push_options
#pragma GCC target("avx2,fma")
namespace isa_avx2 {
#include "cpu/norm_rows.inc"
}  // namespace isa_avx2
#pragma GCC pop_options
#pragma GCC push_options
#pragma GCC target("avx512f,avx512dq,avx512vl,avx512bw,avx2,fma")
namespace isa_avx512 {
#include "cpu/norm_rows.inc"
}  // namespace isa_avx512
#pragma GCC pop_options
#endif

template <typename T>
NormRows<T> select_rows() {
#ifdef TG_X86_MULTI_ISA
  if (std::strcmp(vec().isa, "avx512") == 0) return isa_avx512::rows_table<T>();
  if (std::strcmp(vec().isa, "avx2") == 0) return isa_avx2::rows_table<T>();
#endif
  return isa_base::rows_table<T>();
}

template <typename T>
const NormRows<T>& rows() {
  static const NormRows<T> r = select_rows<T>();
  return r;
}

// The data of a normalization backward's operands, null where a tensor is undefined.
template <typename T>
struct GradOperands {
  const T *g, *x, *mean, *rstd, *w;
  T* gx;
  GradOperands(const Tensor& g_, const Tensor& x_, const Tensor& mean_, const Tensor& rstd_, const Tensor& w_,
               const Tensor& gx_)
      : g(g_.data<T>()), x(x_.data<T>()), mean(mean_.data<T>()), rstd(rstd_.data<T>()),
        w(w_.defined() ? w_.data<T>() : nullptr), gx(gx_.defined() ? gx_.data<T>() : nullptr) {}
};

}  // namespace

void norm_moments_kernel(const Tensor& mean, const Tensor& var, const Tensor& x, bool across_batch) {
  const Shape& s = x.sizes();
  const int64_t N = s[0], C = s[1], S = s[2];
  dispatch_floating(x.dtype(), [&](auto tag) {
    using T = TG_TYPE(tag);
    const T* xp = x.data<T>();
    T* mp = mean.data<T>();
    T* vp = var.data<T>();
    if (across_batch) {
      const double count = static_cast<double>(N * S);
      parallel_for(0, C, grain_per_item(2 * N * S), [&](int64_t b, int64_t e) {
        for (int64_t c = b; c < e; ++c) {
          double sum = 0;
          for (int64_t n = 0; n < N; ++n) sum += rows<T>().sum(xp + (n * C + c) * S, S);
          const double mu = count > 0 ? sum / count : 0;
          double sq = 0;
          for (int64_t n = 0; n < N; ++n) sq += rows<T>().sq_dev(xp + (n * C + c) * S, static_cast<T>(mu), S);
          mp[c] = static_cast<T>(mu);
          vp[c] = static_cast<T>(count > 0 ? sq / count : 0);
        }
      });
    } else {
      parallel_for(0, N * C, grain_per_item(2 * S), [&](int64_t b, int64_t e) {
        for (int64_t r = b; r < e; ++r) {
          const T* row = xp + r * S;
          const double mu = S > 0 ? rows<T>().sum(row, S) / static_cast<double>(S) : 0;
          const double sq = rows<T>().sq_dev(row, static_cast<T>(mu), S);
          mp[r] = static_cast<T>(mu);
          vp[r] = static_cast<T>(S > 0 ? sq / static_cast<double>(S) : 0);
        }
      });
    }
  });
}

void plane_affine_kernel(const Tensor& out, const Tensor& x, const Tensor& scale, const Tensor& shift) {
  const int64_t P = x.size(0), S = x.size(1);
  dispatch_floating(x.dtype(), [&](auto tag) {
    using T = TG_TYPE(tag);
    const T* xp = x.data<T>();
    const T* a = scale.data<T>();
    const T* b = shift.data<T>();
    T* y = out.data<T>();
    parallel_for(0, P, grain_per_item(S), [&](int64_t lo, int64_t hi) {
      for (int64_t p = lo; p < hi; ++p) {
        const T ap = a[p], bp = b[p];
        const T* xr = xp + p * S;
        T* yr = y + p * S;
        for (int64_t i = 0; i < S; ++i) yr[i] = xr[i] * ap + bp;  // vectorizes: one scale per plane
      }
    });
  });
}

void batch_norm_backward_kernel(const Tensor& gx, const Tensor& gw, const Tensor& gb, const Tensor& g, const Tensor& x,
                                const Tensor& mean, const Tensor& rstd, const Tensor& weight, bool training) {
  const Shape& s = x.sizes();
  const int64_t N = s[0], C = s[1], S = s[2];
  const double count = static_cast<double>(N * S);
  dispatch_floating(x.dtype(), [&](auto tag) {
    using T = TG_TYPE(tag);
    const GradOperands<T> o(g, x, mean, rstd, weight, gx);
    const T *gp = o.g, *xp = o.x, *mp = o.mean, *rp = o.rstd, *wp = o.w;
    T* gxp = o.gx;
    T* gwp = gw.defined() ? gw.data<T>() : nullptr;
    T* gbp = gb.defined() ? gb.data<T>() : nullptr;
    parallel_for(0, C, grain_per_item(3 * N * S), [&](int64_t lo, int64_t hi) {
      for (int64_t c = lo; c < hi; ++c) {
        const T mu = mp[c], r = rp[c], w = wp ? wp[c] : T(1);
        double sum_g = 0, sum_gx = 0;
        if (gwp || gbp || (gxp && training)) {
          for (int64_t n = 0; n < N; ++n) {
            double plane_g, plane_gx;
            rows<T>().grad_sums(gp + (n * C + c) * S, xp + (n * C + c) * S, mu, S, plane_g, plane_gx);
            sum_g += plane_g, sum_gx += plane_gx;
          }
        }
        if (gbp) gbp[c] = static_cast<T>(sum_g);
        if (gwp) gwp[c] = static_cast<T>(sum_gx * r);
        if (!gxp) continue;
        const T k = w * r;
        const T a = training && count > 0 ? static_cast<T>(sum_g / count) : T(0);
        const T b = training && count > 0 ? static_cast<T>(sum_gx / count * r * r) : T(0);
        for (int64_t n = 0; n < N; ++n) {
          const T* gr = gp + (n * C + c) * S;
          const T* xr = xp + (n * C + c) * S;
          T* out = gxp + (n * C + c) * S;
          for (int64_t i = 0; i < S; ++i) out[i] = k * (gr[i] - a - (xr[i] - mu) * b);
        }
      }
    });
  });
}

void layer_norm_rows_kernel(const Tensor& out, const Tensor& x, const Tensor& mean, const Tensor& rstd,
                            const Tensor& weight, const Tensor& bias) {
  const int64_t R = x.size(0), S = x.size(1);
  dispatch_floating(x.dtype(), [&](auto tag) {
    using T = TG_TYPE(tag);
    const T* xp = x.data<T>();
    const T* mp = mean.data<T>();
    const T* rp = rstd.data<T>();
    const T* wp = weight.defined() ? weight.data<T>() : nullptr;
    const T* bp = bias.defined() ? bias.data<T>() : nullptr;
    T* y = out.data<T>();
    parallel_for(0, R, grain_per_item(S), [&](int64_t lo, int64_t hi) {
      for (int64_t r = lo; r < hi; ++r) rows<T>().layer_norm_row(xp + r * S, y + r * S, rp[r], -mp[r] * rp[r], wp, bp, S);
    });
  });
}

void layer_norm_backward_kernel(const Tensor& gx, const Tensor& gw, const Tensor& gb, const Tensor& g, const Tensor& x,
                                const Tensor& mean, const Tensor& rstd, const Tensor& weight) {
  const int64_t R = x.size(0), S = x.size(1);
  // One pass over the rows, split into at most one chunk per thread (and a grain's worth of
  // rows each); a chunk adds its rows' g xhat and g into partial column sums of its own, in
  // T as PyTorch does, and the partials are added in double at the end.
  const int64_t chunks = std::max<int64_t>(1, std::min<int64_t>(get_num_threads(), R / grain_per_item(3 * S)));
  const bool columns = gw.defined() || gb.defined();
  dispatch_floating(x.dtype(), [&](auto tag) {
    using T = TG_TYPE(tag);
    const GradOperands<T> o(g, x, mean, rstd, weight, gx);
    const T *gp = o.g, *xp = o.x, *mp = o.mean, *rp = o.rstd, *wp = o.w;
    T* gxp = o.gx;
    std::vector<T> partial(columns ? static_cast<size_t>(2 * chunks * S) : 0, T(0));
    parallel_for(0, chunks, 1, [&](int64_t lo, int64_t hi) {
      for (int64_t chunk = lo; chunk < hi; ++chunk) {
        T* pw = columns ? partial.data() + 2 * chunk * S : nullptr;
        T* pb = columns ? pw + S : nullptr;
        for (int64_t r = chunk * R / chunks; r < (chunk + 1) * R / chunks; ++r)
          rows<T>().layer_norm_grad_row(gp + r * S, xp + r * S, wp, mp[r], rp[r], S, gxp ? gxp + r * S : nullptr, pw, pb);
      }
    });
    if (!columns) return;
    for (int64_t i = 0; i < S; ++i) {
      double sw = 0, sb = 0;
      for (int64_t chunk = 0; chunk < chunks; ++chunk) sw += partial[2 * chunk * S + i], sb += partial[(2 * chunk + 1) * S + i];
      if (gw.defined()) gw.data<T>()[i] = static_cast<T>(sw);
      if (gb.defined()) gb.data<T>()[i] = static_cast<T>(sb);
    }
  });
}

}  // namespace cpu
}  // namespace tg

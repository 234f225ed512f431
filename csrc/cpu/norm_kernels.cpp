// CPU normalization kernels; see norm_kernels.h. Moments are two-pass (the mean, then the
// squared deviations from it), so a large mean does not cancel the variance; each row is
// summed in 16 lanes of the tensor's dtype and rows are added up in double.
// Channels (batch norm), rows (group norm) and planes (the affine pass) split over the
// thread pool.
#include "cpu/norm_kernels.h"
#include <algorithm>
#include <vector>
#include "core/error.h"
#include "cpu/parallel.h"

namespace tg {
namespace cpu {
namespace {

// The sum of a row and the sum of its squared deviations from mu, each in kLanes independent
// accumulators (so the loops vectorize without reassociating one sum), added up in double.
template <typename T>
double row_sum(const T* x, int64_t S) {
  constexpr int kLanes = 16;
  T a[kLanes] = {};
  int64_t i = 0;
  for (; i + kLanes <= S; i += kLanes)
    for (int j = 0; j < kLanes; ++j) a[j] += x[i + j];
  double s = 0;
  for (int j = 0; j < kLanes; ++j) s += a[j];
  for (; i < S; ++i) s += x[i];
  return s;
}
template <typename T>
double row_sq_dev(const T* x, T mu, int64_t S) {
  constexpr int kLanes = 16;
  T a[kLanes] = {};
  int64_t i = 0;
  for (; i + kLanes <= S; i += kLanes)
    for (int j = 0; j < kLanes; ++j) a[j] += (x[i + j] - mu) * (x[i + j] - mu);
  double s = 0;
  for (int j = 0; j < kLanes; ++j) s += a[j];
  for (; i < S; ++i) s += static_cast<double>(x[i] - mu) * (x[i] - mu);
  return s;
}

// Sums of g and of g * (x - mu) over one plane, in kLanes independent accumulators so the
// loop vectorizes without reassociating a single sum.
template <typename T>
void plane_grad_sums(const T* g, const T* x, T mu, int64_t S, double& sum_g, double& sum_gx) {
  constexpr int kLanes = 16;
  T a[kLanes] = {}, b[kLanes] = {};
  int64_t i = 0;
  for (; i + kLanes <= S; i += kLanes) {
    for (int j = 0; j < kLanes; ++j) {
      const T gv = g[i + j];
      a[j] += gv;
      b[j] += gv * (x[i + j] - mu);
    }
  }
  double sa = 0, sb = 0;
  for (int j = 0; j < kLanes; ++j) sa += a[j], sb += b[j];
  for (; i < S; ++i) sa += g[i], sb += static_cast<double>(g[i]) * (x[i] - mu);
  sum_g += sa;
  sum_gx += sb;
}

// The sums of gh and of gh * (x - mu) over one row, gh = g * w (HasW; else g), in kLanes
// independent accumulators as above.
template <bool HasW, typename T>
void row_grad_sums(const T* g, const T* w, const T* x, T mu, int64_t S, double& sum_gh, double& sum_ghx) {
  constexpr int kLanes = 16;
  T a[kLanes] = {}, b[kLanes] = {};
  int64_t i = 0;
  for (; i + kLanes <= S; i += kLanes) {
    for (int j = 0; j < kLanes; ++j) {
      const T gh = HasW ? g[i + j] * w[i + j] : g[i + j];
      a[j] += gh;
      b[j] += gh * (x[i + j] - mu);
    }
  }
  double sa = 0, sb = 0;
  for (int j = 0; j < kLanes; ++j) sa += a[j], sb += b[j];
  for (; i < S; ++i) {
    const T gh = HasW ? g[i] * w[i] : g[i];
    sa += gh, sb += static_cast<double>(gh) * (x[i] - mu);
  }
  sum_gh = sa;
  sum_ghx = sb;
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
          for (int64_t n = 0; n < N; ++n) sum += row_sum(xp + (n * C + c) * S, S);
          const double mu = count > 0 ? sum / count : 0;
          double sq = 0;
          for (int64_t n = 0; n < N; ++n) sq += row_sq_dev(xp + (n * C + c) * S, static_cast<T>(mu), S);
          mp[c] = static_cast<T>(mu);
          vp[c] = static_cast<T>(count > 0 ? sq / count : 0);
        }
      });
    } else {
      parallel_for(0, N * C, grain_per_item(2 * S), [&](int64_t b, int64_t e) {
        for (int64_t r = b; r < e; ++r) {
          const T* row = xp + r * S;
          const double mu = S > 0 ? row_sum(row, S) / static_cast<double>(S) : 0;
          const double sq = row_sq_dev(row, static_cast<T>(mu), S);
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
          for (int64_t n = 0; n < N; ++n) plane_grad_sums(gp + (n * C + c) * S, xp + (n * C + c) * S, mu, S, sum_g, sum_gx);
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
      for (int64_t r = lo; r < hi; ++r) {
        const T k = rp[r], c = -mp[r] * rp[r];
        const T* xr = xp + r * S;
        T* yr = y + r * S;
        if (wp && bp) for (int64_t i = 0; i < S; ++i) yr[i] = (xr[i] * k + c) * wp[i] + bp[i];
        else if (wp) for (int64_t i = 0; i < S; ++i) yr[i] = (xr[i] * k + c) * wp[i];
        else if (bp) for (int64_t i = 0; i < S; ++i) yr[i] = (xr[i] * k + c) + bp[i];
        else for (int64_t i = 0; i < S; ++i) yr[i] = xr[i] * k + c;
      }
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
        for (int64_t r = chunk * R / chunks; r < (chunk + 1) * R / chunks; ++r) {
          const T* gr = gp + r * S;
          const T* xr = xp + r * S;
          const T m = mp[r], k = rp[r];
          if (columns)
            for (int64_t i = 0; i < S; ++i) pw[i] += gr[i] * ((xr[i] - m) * k), pb[i] += gr[i];
          if (!gxp) continue;
          // gx = rstd gh + b (x - mean) + c, b = -rstd^3 mean(gh (x - mean)), c = -rstd mean(gh),
          // from centred sums (PyTorch sums gh x and subtracts mean sum(gh), which cancels
          // when the mean is large against the spread).
          double sum_gh = 0, sum_ghx = 0;
          if (wp) row_grad_sums<true>(gr, wp, xr, m, S, sum_gh, sum_ghx);
          else row_grad_sums<false>(gr, wp, xr, m, S, sum_gh, sum_ghx);
          const double kd = k, n = static_cast<double>(S);
          const T b = static_cast<T>(-sum_ghx * kd * kd * kd / n), c = static_cast<T>(-sum_gh * kd / n);
          T* out = gxp + r * S;
          if (wp) for (int64_t i = 0; i < S; ++i) out[i] = k * (gr[i] * wp[i]) + b * (xr[i] - m) + c;
          else for (int64_t i = 0; i < S; ++i) out[i] = k * gr[i] + b * (xr[i] - m) + c;
        }
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

// CPU normalization kernels; see norm_kernels.h. Moments are two-pass (the mean, then the
// squared deviations from it) in double, so a large mean does not cancel the variance.
// Channels (batch norm), rows (group norm) and planes (the affine pass) split over the
// thread pool.
#include "cpu/norm_kernels.h"
#include <algorithm>
#include "core/error.h"
#include "cpu/parallel.h"

namespace tg {
namespace cpu {
namespace {

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
          for (int64_t n = 0; n < N; ++n) {
            const T* row = xp + (n * C + c) * S;
            for (int64_t i = 0; i < S; ++i) sum += row[i];
          }
          const double mu = count > 0 ? sum / count : 0;
          double sq = 0;
          for (int64_t n = 0; n < N; ++n) {
            const T* row = xp + (n * C + c) * S;
            for (int64_t i = 0; i < S; ++i) sq += (row[i] - mu) * (row[i] - mu);
          }
          mp[c] = static_cast<T>(mu);
          vp[c] = static_cast<T>(count > 0 ? sq / count : 0);
        }
      });
    } else {
      parallel_for(0, N * C, grain_per_item(2 * S), [&](int64_t b, int64_t e) {
        for (int64_t r = b; r < e; ++r) {
          const T* row = xp + r * S;
          double sum = 0;
          for (int64_t i = 0; i < S; ++i) sum += row[i];
          const double mu = S > 0 ? sum / static_cast<double>(S) : 0;
          double sq = 0;
          for (int64_t i = 0; i < S; ++i) sq += (row[i] - mu) * (row[i] - mu);
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

}  // namespace cpu
}  // namespace tg

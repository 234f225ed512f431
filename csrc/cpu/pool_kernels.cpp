// CPU pooling kernels; see pool_kernels.h. One task per run of planes (P = N * C), with a
// grain that keeps about kElementwiseGrain / 4 reads per task, so small inputs stay on the
// calling thread. Averages accumulate in double.
#include "cpu/pool_kernels.h"
#include <algorithm>
#include <cmath>
#include <limits>
#include <type_traits>
#include "core/error.h"
#include "cpu/parallel.h"
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

// Note [empty max windows]: with dilation a window can miss the input entirely (every
// position in the padding). Its value is -inf and, as in PyTorch, its index is the position
// the window would start at, which may lie outside the plane. Such an index carries no
// gradient: the scatter skips it and the gather reads 0 there. Indices only ever come from
// pool_max_kernel, so nothing else can be out of range.

namespace tg {
namespace cpu {
namespace {

int64_t window_reads(const PoolAxis& h, const PoolAxis& w) {
  int64_t sh = 0, sw = 0;
  for (int64_t c : h.count) sh += c;
  for (int64_t c : w.count) sw += c;
  return sh * sw;
}

double divisor(const PoolAxis& h, const PoolAxis& w, int64_t oh, int64_t ow, double override_) {
  return override_ > 0 ? override_ : h.factor[oh] * w.factor[ow];
}

int64_t planes_of(const Tensor& t, int64_t plane) { return plane == 0 ? 0 : t.numel() / plane; }

// True when every window of the axis is the 2 positions 2o, 2o + 1 (kernel 2, stride 2, no
// padding or dilation): the usual max pool, which gets a branch-light loop.
bool pairs_axis(const PoolAxis& a) {
  if (a.step != 1) return false;
  for (int64_t o = 0; o < a.size(); ++o)
    if (a.count[o] != 2 || a.begin[o] != 2 * o) return false;
  return true;
}

// The max of a 2x2 window and its flat index, scanning in row-major order with PyTorch's
// rule: a larger value or a NaN takes over.
template <typename T>
inline void max2x2(const T* r0, const T* r1, int64_t at0, int64_t W, T& best_out, int64_t& at_out) {
  T best = r0[0];
  int64_t at = at0;
  if (r0[1] > best || std::isnan(r0[1])) best = r0[1], at = at0 + 1;
  if (r1[0] > best || std::isnan(r1[0])) best = r1[0], at = at0 + W;
  if (r1[1] > best || std::isnan(r1[1])) best = r1[1], at = at0 + W + 1;
  best_out = best;
  at_out = at;
}

// One output row of 2x2 max pooling. On real data each compare above is a coin flip and its
// branch mispredicts half the time, so float rows go four windows at a time through SSE2
// selects (same scan order and NaN rule), the rest through max2x2.
template <typename T>
void max2x2_row(const T* r0, const T* r1, int64_t row_at, int64_t W, int64_t OW, T* y, int64_t* ix) {
  int64_t ow = 0;
#if defined(__SSE2__)
  if constexpr (std::is_same<T, float>::value) {
    for (; ow + 4 <= OW; ow += 4) {
      const __m128 t0 = _mm_loadu_ps(r0 + 2 * ow), t1 = _mm_loadu_ps(r0 + 2 * ow + 4);
      const __m128 b0 = _mm_loadu_ps(r1 + 2 * ow), b1 = _mm_loadu_ps(r1 + 2 * ow + 4);
      // Even lanes are the windows' left columns, odd lanes their right columns.
      const __m128 tl = _mm_shuffle_ps(t0, t1, _MM_SHUFFLE(2, 0, 2, 0)), tr = _mm_shuffle_ps(t0, t1, _MM_SHUFFLE(3, 1, 3, 1));
      const __m128 bl = _mm_shuffle_ps(b0, b1, _MM_SHUFFLE(2, 0, 2, 0)), br = _mm_shuffle_ps(b0, b1, _MM_SHUFFLE(3, 1, 3, 1));
      __m128 best = tl;
      __m128i off = _mm_setzero_si128();  // 0: top-left, 1: top-right, 2: bottom-left, 3: bottom-right
      const __m128 cand[3] = {tr, bl, br};
      for (int k = 0; k < 3; ++k) {
        const __m128 v = cand[k];
        const __m128 take = _mm_or_ps(_mm_cmpgt_ps(v, best), _mm_cmpunord_ps(v, v));
        best = _mm_or_ps(_mm_and_ps(take, v), _mm_andnot_ps(take, best));
        const __m128i ti = _mm_castps_si128(take);
        off = _mm_or_si128(_mm_and_si128(ti, _mm_set1_epi32(k + 1)), _mm_andnot_si128(ti, off));
      }
      _mm_storeu_ps(y + ow, best);
      alignas(16) int32_t o[4];
      _mm_store_si128(reinterpret_cast<__m128i*>(o), off);
      for (int j = 0; j < 4; ++j) ix[ow + j] = row_at + 2 * (ow + j) + (o[j] >> 1) * W + (o[j] & 1);
    }
  }
#endif
  for (; ow < OW; ++ow) max2x2(r0 + 2 * ow, r1 + 2 * ow, row_at + 2 * ow, W, y[ow], ix[ow]);
}

}  // namespace

void pool_max_kernel(const Tensor& out, const Tensor& indices, const Tensor& in, const PoolAxis& h, const PoolAxis& w) {
  const Shape& s = in.sizes();
  const int64_t H = s[s.size() - 2], W = s[s.size() - 1], OH = h.size(), OW = w.size();
  const int64_t P = planes_of(in, H * W);
  dispatch_floating(in.dtype(), [&](auto tag) {
    using T = TG_TYPE(tag);
    const T* x = in.data<T>();
    T* y = out.data<T>();
    int64_t* ix = indices.data<int64_t>();
    const bool pairs = pairs_axis(h) && pairs_axis(w);
    parallel_for(0, P, grain_per_item(window_reads(h, w)), [&](int64_t b, int64_t e) {
      for (int64_t p = b; p < e; ++p) {
        const T* xp = x + p * H * W;
        T* yp = y + p * OH * OW;
        int64_t* ip = ix + p * OH * OW;
        if (pairs) {
          for (int64_t oh = 0; oh < OH; ++oh) {
            const T* r0 = xp + 2 * oh * W;
            max2x2_row(r0, r0 + W, 2 * oh * W, W, OW, yp + oh * OW, ip + oh * OW);
          }
          continue;
        }
        for (int64_t oh = 0; oh < OH; ++oh) {
          for (int64_t ow = 0; ow < OW; ++ow) {
            T best = -std::numeric_limits<T>::infinity();
            int64_t at = h.begin[oh] * W + w.begin[ow];
            for (int64_t i = 0, r = h.begin[oh]; i < h.count[oh]; ++i, r += h.step) {
              for (int64_t j = 0, c = w.begin[ow]; j < w.count[ow]; ++j, c += w.step) {
                const T v = xp[r * W + c];
                if (v > best || std::isnan(v)) {
                  best = v;
                  at = r * W + c;  // a later NaN takes over, as in PyTorch
                }
              }
            }
            yp[oh * OW + ow] = best;
            ip[oh * OW + ow] = at;
          }
        }
      }
    });
  });
}

void pool_avg_kernel(const Tensor& out, const Tensor& in, const PoolAxis& h, const PoolAxis& w, double divisor_override) {
  const Shape& s = in.sizes();
  const int64_t H = s[s.size() - 2], W = s[s.size() - 1], OH = h.size(), OW = w.size();
  const int64_t P = planes_of(in, H * W);
  dispatch_floating(in.dtype(), [&](auto tag) {
    using T = TG_TYPE(tag);
    const T* x = in.data<T>();
    T* y = out.data<T>();
    parallel_for(0, P, grain_per_item(window_reads(h, w)), [&](int64_t b, int64_t e) {
      for (int64_t p = b; p < e; ++p) {
        const T* xp = x + p * H * W;
        T* yp = y + p * OH * OW;
        for (int64_t oh = 0; oh < OH; ++oh) {
          for (int64_t ow = 0; ow < OW; ++ow) {
            if (h.count[oh] == 0 || w.count[ow] == 0) {
              yp[oh * OW + ow] = T(0);
              continue;
            }
            double acc = 0;
            for (int64_t r = h.begin[oh], re = r + h.count[oh]; r < re; ++r) {
              const T* row = xp + r * W;
              for (int64_t c = w.begin[ow], ce = c + w.count[ow]; c < ce; ++c) acc += row[c];
            }
            yp[oh * OW + ow] = static_cast<T>(acc / divisor(h, w, oh, ow, divisor_override));
          }
        }
      }
    });
  });
}

void pool_avg_backward_kernel(const Tensor& grad_in, const Tensor& grad, const PoolAxis& h, const PoolAxis& w,
                              double divisor_override) {
  const Shape& s = grad_in.sizes();
  const int64_t H = s[s.size() - 2], W = s[s.size() - 1], OH = h.size(), OW = w.size();
  const int64_t P = planes_of(grad_in, H * W);
  dispatch_floating(grad_in.dtype(), [&](auto tag) {
    using T = TG_TYPE(tag);
    const T* g = grad.data<T>();
    T* gi = grad_in.data<T>();
    parallel_for(0, P, grain_per_item(window_reads(h, w)), [&](int64_t b, int64_t e) {
      for (int64_t p = b; p < e; ++p) {
        T* gp = gi + p * H * W;
        const T* go = g + p * OH * OW;
        std::fill(gp, gp + H * W, T(0));
        for (int64_t oh = 0; oh < OH; ++oh) {
          for (int64_t ow = 0; ow < OW; ++ow) {
            if (h.count[oh] == 0 || w.count[ow] == 0) continue;
            const T v = static_cast<T>(go[oh * OW + ow] / divisor(h, w, oh, ow, divisor_override));
            for (int64_t r = h.begin[oh], re = r + h.count[oh]; r < re; ++r) {
              T* row = gp + r * W;
              for (int64_t c = w.begin[ow], ce = c + w.count[ow]; c < ce; ++c) row[c] += v;
            }
          }
        }
      }
    });
  });
}

void pool_scatter_add_kernel(const Tensor& grad_in, const Tensor& grad, const Tensor& indices) {
  const int64_t S = grad_in.sizes().back(), M = indices.sizes().back();
  const int64_t P = planes_of(indices, M);
  const int64_t* ix = indices.data<int64_t>();
  dispatch_floating(grad_in.dtype(), [&](auto tag) {
    using T = TG_TYPE(tag);
    const T* g = grad.data<T>();
    T* gi = grad_in.data<T>();
    parallel_for(0, P, grain_per_item(S + M), [&](int64_t b, int64_t e) {
      for (int64_t p = b; p < e; ++p) {
        T* gp = gi + p * S;
        std::fill(gp, gp + S, T(0));
        for (int64_t j = 0; j < M; ++j) {
          const int64_t k = ix[p * M + j];
          if (k >= 0 && k < S) gp[k] += g[p * M + j];  // see Note [empty max windows]
        }
      }
    });
  });
}

void pool_gather_kernel(const Tensor& out, const Tensor& in, const Tensor& indices) {
  const int64_t S = in.sizes().back(), M = indices.sizes().back();
  const int64_t P = planes_of(indices, M);
  const int64_t* ix = indices.data<int64_t>();
  dispatch_floating(in.dtype(), [&](auto tag) {
    using T = TG_TYPE(tag);
    const T* x = in.data<T>();
    T* y = out.data<T>();
    parallel_for(0, P, grain_per_item(M), [&](int64_t b, int64_t e) {
      for (int64_t p = b; p < e; ++p) {
        for (int64_t j = 0; j < M; ++j) {
          const int64_t k = ix[p * M + j];
          y[p * M + j] = k >= 0 && k < S ? x[p * S + k] : T(0);
        }
      }
    });
  });
}

}  // namespace cpu
}  // namespace tg

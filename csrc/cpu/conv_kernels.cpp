#include "cpu/conv_kernels.h"

#include <algorithm>
#include <cstring>
#include <vector>
#include "core/dtype.h"
#include "cpu/gemm.h"
#include "cpu/parallel.h"
#include "cpu/vec.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define TG_CONV_IMPLICIT 1
#include <immintrin.h>
#endif

namespace tg {
namespace cpu {
namespace {

#ifdef TG_CONV_IMPLICIT
#pragma GCC push_options
#pragma GCC target("avx512f,avx512dq,avx512vl,avx512bw,avx2,fma")
#include "cpu/conv_kernels.inc"
#pragma GCC pop_options
#endif

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
// Rows [i0, i0 + rows) and columns [j0, j0 + cols) of the matrix view m.
Tensor block(const Tensor& m, int64_t i0, int64_t rows, int64_t j0, int64_t cols) {
  return Tensor::view_of(m, {rows, cols}, {m.stride(0), m.stride(1)},
                         m.impl()->offset() + i0 * m.stride(0) + j0 * m.stride(1));
}

// Note [Conv products]: the column matrix of one sample is often wider than the direct gemm
// takes (Note [Direct gemm]: B under 512 KiB and N <= 512): the bench's 3x3 conv of 16
// channels multiplies W[32, 144] by cols[144, 1024], and OpenBLAS then packs all of cols again
// on every call, a second copy of what im2col just wrote (with the weight gradient's packing,
// 13% of a forward + backward step on one Zen 4 core). So the float32 products of a sample
// run in the fewest near-equal blocks (of N for the forward and the input gradient, of K for
// the weight gradient), each a multiple of 32 wide but the last, that the direct gemm takes;
// when no block size fits, or for float64, it is one gemm_strided call as before. Blocks of N
// split no sum; blocks of K accumulate in block order, so the result does not depend on timing.
//
// The length of those blocks along `extent` (takes(len) says whether the direct gemm takes a
// block of that length), or extent itself for one block.
template <typename Takes>
int64_t direct_block(int64_t extent, Takes takes) {
  if (extent <= 32 || takes(extent)) return extent;
  for (int64_t parts = 2;; ++parts) {
    const int64_t len = ((extent + parts - 1) / parts + 31) / 32 * 32;
    if (len < extent && takes(len)) return len;
    if (len <= 32) return extent;
  }
}

// c = a @ b in blocks of columns (Note [Conv products]); b has unit-stride rows.
void product(const Tensor& c, const Tensor& a, const Tensor& b) {
  const int64_t M = a.size(0), K = a.size(1), N = b.size(1);
  const int64_t nb = c.dtype() != DType::Float32 ? N : direct_block(N, [&](int64_t n) { return gemm_direct_takes(M, n, K); });
  for (int64_t j0 = 0; j0 < N; j0 += nb) {
    const int64_t w = std::min(nb, N - j0);
    gemm_strided(block(c, 0, M, j0, w), a, block(b, 0, K, j0, w), 1.0, 0.0);
  }
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

// dst[j, i] = src[i, j]: a row-major [rows, cols] matrix into a row-major [cols, rows] one.
// Runs only where the direct gemm's AVX-512 tiles do (the gy^T operand of the float32 weight
// gradient), so the register transpose of cpu/conv_kernels.inc; a plain loop elsewhere.
void transpose(const float* src, float* dst, int64_t rows, int64_t cols) {
#ifdef TG_CONV_IMPLICIT
  conv_tile::transpose(src, dst, rows, cols);
#else
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < cols; ++j) dst[j * rows + i] = src[i * cols + j];
#endif
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


// Note [Implicit conv]: a stride-1 float32 convolution on a CPU running the direct gemm's
// AVX-512 tiles skips im2col and col2im: the rows of its column matrix are shifted rows of the
// zero-padded image, so the tile of cpu/conv_kernels.inc reads them there through a table of
// offsets. Per sample that copies the image into its padded buffer (16 x 34 x 34 values for
// the bench's 32x32 images of 16 channels) where im2col wrote the 144 x 1024 column matrix,
// and the product needs no repacking either (Note [Conv products]):
//   forward       y[:, oh, :]  = W @ (rows oh + i dh of the padded x, shifted j dw)   per oh
//   input grad    gx[:, ih, :] = W' @ (the same of gy padded by d (k - 1) - p)       per ih
//                 (the transposed convolution is the convolution with the flipped, transposed
//                 kernel W'[c, (o, i, j)] = W[o, c, kh-1-i, kw-1-j], for p <= d (k - 1))
//   weight grad   gw^T += (taps of the padded x, runs of Wo per output row) @ gy^T
// Each result element is one pass over its k in order, so the forward and the input gradient
// have the same bits on any number of threads (the weight gradient sums per-part partials in
// part order, as the im2col path does). The tile's columns are 16-lane vectors (of output
// columns, or of gw's output channels), so the path is taken only where 3/4 of the lanes carry
// data (N = 12..16, 24..32, 36..48, ...). 1x1 convs without padding keep the plain product
// (their input is its own column matrix), strided ones im2col (their taps are not contiguous).
// Measured on the bench's step (32x16x32x32, 32 3x3 filters, forward + backward), one Zen 4
// core: 15.3 -> 10.4 ms, the tile running its 0.9 GFLOP at about 110 GFLOP/s (peak ~115),
// where OpenBLAS's packing, im2col and col2im had cost 4.6 ms; 0.67x the time on two threads.
//
// Note [Tap matrices]: on CPUs running the packed AVX2 gemm (Note [Packed AVX2 gemm] in
// gemm.cpp: AVX2 without AVX-512) the same three stride-1 products run on that gemm, which
// packs its panels of the column matrix straight from the padded image (TapMatrix in
// cpu/vec.h, pack_b_taps and pack_a_taps in cpu/gemm_packed.inc): a B panel is 16 positions
// of each tap, one or two runs of an output row (masked loads where a panel crosses into the
// next row); an A panel (the weight gradient's) is 8 positions of 6 taps, transposed in
// registers. The gemm packs every operand anyway, so reading the image there costs what
// packing the column matrix did, and im2col's pass over that matrix (144 x 1024 values a
// sample for the bench's conv, written then read from L3), col2im's, and the zeroing of the
// input gradient go. Unlike the implicit tile it needs no minimum width: edges are the gemm's.
// Measured on the bench's step (32x16x32x32, 32 3x3 filters, forward + backward), one Zen 3
// core (bench/ab.js, old build against new, 8 rounds): 20.6 -> 15.3 ms (0.75x), two threads
// 11.8 -> 8.8 ms; PyTorch (oneDNN) takes 22-27 and 17-19 ms on that host.

// Whether n columns fill 3/4 of the implicit tile's 16-lane vectors (Note [Implicit conv]).
bool lanes_ok(int64_t n) { return n > 0 && 4 * n >= 3 * 16 * ((n + 15) / 16); }

// `planes` planes [h, w] of src copied into dst's planes [hp, wp] at row `top`, column `left`.
// dst's border is zeroed by zeroed_buffers and never written here.
void pad_into(const float* src, float* dst, int64_t planes, int64_t h, int64_t w, int64_t hp, int64_t wp, int64_t top,
              int64_t left) {
  for (int64_t c = 0; c < planes; ++c)
    for (int64_t r = 0; r < h; ++r)
      std::memcpy(dst + (c * hp + top + r) * wp + left, src + (c * h + r) * w, static_cast<size_t>(w) * sizeof(float));
}

// One zeroed [n] float32 buffer per batch part.
std::vector<Tensor> zeroed_buffers(int64_t parts, int64_t n, Device dev) {
  std::vector<Tensor> v;
  for (int64_t p = 0; p < parts; ++p) {
    v.push_back(Tensor::empty({n}, DType::Float32, dev));
    std::fill(v.back().data<float>(), v.back().data<float>() + n, 0.0f);
  }
  return v;
}

// Offsets of the taps (c, i, j) of `planes` planes [hp, wp]: c hp wp + i dh wp + j dw, with
// i and j counted backwards (the flipped kernel) when `flip`.
std::vector<int64_t> tap_offsets(const ConvGeometry& g, int64_t planes, int64_t hp, int64_t wp, bool flip) {
  std::vector<int64_t> off;
  for (int64_t c = 0; c < planes; ++c)
    for (int64_t i = 0; i < g.kh; ++i)
      for (int64_t j = 0; j < g.kw; ++j) {
        const int64_t ii = flip ? g.kh - 1 - i : i, jj = flip ? g.kw - 1 - j : j;
        off.push_back(c * hp * wp + ii * g.dh * wp + jj * g.dw);
      }
  return off;
}

// 0, step, 2 step, ... (n values): the row offsets of a row-major matrix.
std::vector<int64_t> strided_offsets(int64_t n, int64_t step) {
  std::vector<int64_t> off(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) off[static_cast<size_t>(i)] = i * step;
  return off;
}

#ifdef TG_CONV_IMPLICIT
// out rows [0, rows) of `width` columns, row r at out + r * row_step (r = an output row of the
// image), each out[., :] = a @ (the taps at b + r * b_row): the forward and input-grad form.
void implicit_rows(const float* a, const std::vector<int64_t>& aoff, int64_t K, const float* b,
                   const std::vector<int64_t>& boff, int64_t b_row, int64_t rows, int64_t width, float* out,
                   int64_t ldc) {
  for (int64_t r = 0; r < rows; ++r) {
    const conv_tile::Implicit p{a, aoff.data(), 0, 1, K, b + r * b_row, boff.data()};
    conv_tile::implicit_gemm(p, static_cast<int64_t>(aoff.size()), width, out + r * width, ldc, false);
  }
}
#endif

// gw [groups][Og, CgK] = the sum, in part order, of the parts' transposes acc[p] [groups][CgK, Og].
template <typename T>
void sum_parts(const Tensor& gw, const std::vector<Tensor>& acc, const ConvGeometry& g) {
  const Blocks b = blocks_of(g);
  T* out = gw.data<T>();
  for (int64_t gr = 0; gr < g.groups; ++gr)
    for (int64_t o = 0; o < b.Og; ++o)
      for (int64_t k = 0; k < b.CgK; ++k) {
        const int64_t at = (gr * b.CgK + k) * b.Og + o;
        T sum = acc[0].data<T>()[at];
        for (size_t p = 1; p < acc.size(); ++p) sum += acc[p].data<T>()[at];
        out[(gr * b.Og + o) * b.CgK + k] = sum;
      }
}

// The three paths that read the padded image in place (Notes [Implicit conv] and [Tap
// matrices]): `how` says which product runs, the caller checked that it may.
enum class Padded { Implicit, Taps };

// out[M, width * rows] = a[M, K] (row-major; a_rows = strided_offsets(M, K), which the
// implicit tile reads, made once per call) @ the tap matrix of `taps`, `pitch` and `width` over
// the padded image b: the forward and input-grad product of either path.
void padded_product(Padded how, const float* a, const std::vector<int64_t>& a_rows, int64_t K, const float* b,
                    const std::vector<int64_t>& taps, int64_t pitch, int64_t rows, int64_t width, float* out) {
  const int64_t M = static_cast<int64_t>(a_rows.size());
  if (how == Padded::Taps) {
    vec().gemm_taps_f32(true, M, rows * width, K, a, K, TapMatrix{b, taps.data(), pitch, width}, 0.0f, out, rows * width);
    return;
  }
#ifdef TG_CONV_IMPLICIT
  implicit_rows(a, a_rows, K, b, taps, pitch, rows, width, out, rows * width);
#endif
}

void conv2d_padded(Padded how, const Tensor& y, const Tensor& x, const Tensor& w, const Tensor& bias,
                   const ConvGeometry& g) {
  const Blocks b = blocks_of(g);
  const int64_t hp = g.H + 2 * g.ph, wp = g.W + 2 * g.pw;
  std::vector<Tensor> xp = zeroed_buffers(batch_parts(g), b.Cg * hp * wp, x.device());
  const std::vector<int64_t> a_rows = strided_offsets(b.Og, b.CgK), taps = tap_offsets(g, b.Cg, hp, wp, false);
  const float *xd = x.data<float>(), *wd = w.data<float>();
  float* yd = y.data<float>();
  split_batch(g, [&](int64_t p, int64_t n0, int64_t n1) {
    float* pad = xp[p].data<float>();
    for (int64_t n = n0; n < n1; ++n)
      for (int64_t gr = 0; gr < g.groups; ++gr) {
        pad_into(xd + (n * g.C + gr * b.Cg) * b.HW, pad, b.Cg, g.H, g.W, hp, wp, g.ph, g.pw);
        float* out = yd + (n * g.O + gr * b.Og) * b.L;
        padded_product(how, wd + gr * b.Og * b.CgK, a_rows, b.CgK, pad, taps, wp, g.Ho, g.Wo, out);
        if (bias.defined()) add_bias(out, bias.data<float>() + gr * b.Og, b.Og, b.L);
      }
  });
}

void conv2d_input_grad_padded(Padded how, const Tensor& gx, const Tensor& gy, const Tensor& w, const Tensor& bias,
                              const ConvGeometry& g) {
  const Blocks b = blocks_of(g);
  const int64_t top = g.dh * (g.kh - 1) - g.ph, left = g.dw * (g.kw - 1) - g.pw;
  const int64_t hq = g.Ho + 2 * top, wq = g.Wo + 2 * left, OgK = b.Og * b.K;
  std::vector<Tensor> gyp = zeroed_buffers(batch_parts(g), b.Og * hq * wq, gx.device());
  // W'[gr][c, (o, i, j)] = W[gr Og + o, c, i, j]; the taps' offsets flip i and j.
  std::vector<float> wt(static_cast<size_t>(g.groups * b.Cg * OgK));
  const float* wd = w.data<float>();
  for (int64_t gr = 0; gr < g.groups; ++gr)
    for (int64_t c = 0; c < b.Cg; ++c)
      for (int64_t o = 0; o < b.Og; ++o)
        for (int64_t k = 0; k < b.K; ++k)
          wt[static_cast<size_t>((gr * b.Cg + c) * OgK + o * b.K + k)] = wd[((gr * b.Og + o) * b.Cg + c) * b.K + k];
  const std::vector<int64_t> a_rows = strided_offsets(b.Cg, OgK), taps = tap_offsets(g, b.Og, hq, wq, true);
  const float* gyd = gy.data<float>();
  float* gxd = gx.data<float>();
  split_batch(g, [&](int64_t p, int64_t n0, int64_t n1) {
    float* pad = gyp[p].data<float>();
    for (int64_t n = n0; n < n1; ++n)
      for (int64_t gr = 0; gr < g.groups; ++gr) {
        pad_into(gyd + (n * g.O + gr * b.Og) * b.L, pad, b.Og, g.Ho, g.Wo, hq, wq, top, left);
        float* out = gxd + (n * g.C + gr * b.Cg) * b.HW;
        padded_product(how, wt.data() + gr * b.Cg * OgK, a_rows, OgK, pad, taps, wq, g.H, g.W, out);
        if (bias.defined()) add_bias(out, bias.data<float>() + gr * b.Cg, b.Cg, b.HW);
      }
  });
}

// acc[p] [groups][CgK, Og] += the part's gw^T: (taps of the padded x) @ gy^T. The implicit
// tile reads gy^T with unit-stride rows, so it is transposed first; the packed gemm packs gy
// as it lies.
void conv2d_weight_grad_padded(Padded how, const std::vector<Tensor>& acc, const Tensor& x, const Tensor& gy,
                               const ConvGeometry& g) {
  const Blocks b = blocks_of(g);
  const int64_t hp = g.H + 2 * g.ph, wp = g.W + 2 * g.pw, P = batch_parts(g);
  std::vector<Tensor> xp = zeroed_buffers(P, b.Cg * hp * wp, x.device());
  const bool implicit = how == Padded::Implicit;
  std::vector<Tensor> gyt = implicit ? zeroed_buffers(P, b.L * b.Og, x.device()) : std::vector<Tensor>{};
  const std::vector<int64_t> gyt_rows = implicit ? strided_offsets(b.L, b.Og) : std::vector<int64_t>{};
  const std::vector<int64_t> taps = tap_offsets(g, b.Cg, hp, wp, false);
  const float *xd = x.data<float>(), *gyd = gy.data<float>();
  split_batch(g, [&](int64_t p, int64_t n0, int64_t n1) {
    float* pad = xp[p].data<float>();
    for (int64_t n = n0; n < n1; ++n)
      for (int64_t gr = 0; gr < g.groups; ++gr) {
        pad_into(xd + (n * g.C + gr * b.Cg) * b.HW, pad, b.Cg, g.H, g.W, hp, wp, g.ph, g.pw);
        float* out = acc[p].data<float>() + gr * b.CgK * b.Og;
        const float* gyn = gyd + (n * g.O + gr * b.Og) * b.L;
        if (!implicit) {
          vec().gemm_taps_f32(false, b.CgK, b.Og, b.L, gyn, b.L, TapMatrix{pad, taps.data(), wp, g.Wo}, 1.0f, out, b.Og);
          continue;
        }
#ifdef TG_CONV_IMPLICIT
        float* gt = gyt[p].data<float>();
        transpose(gyn, gt, b.Og, b.L);
        // A(tap, oh, ow) = padded x at the tap's offset + oh wp + ow; B(oh Wo + ow, o) = gy^T.
        const conv_tile::Implicit op{pad, taps.data(), wp, g.Ho, g.Wo, gt, gyt_rows.data()};
        conv_tile::implicit_gemm(op, b.CgK, b.Og, out, b.Og, true);
#endif
      }
  });
}

// Which padded path a convolution takes, if any: the implicit tile on CPUs running the direct
// gemm (its 16-lane columns must be 3/4 full: lanes_ok(lanes)), the packed gemm's tap matrices
// on those running the packed AVX2 gemm. Both need a float32, stride-1 convolution whose input
// is not its own column matrix, with taps (a product over none is left to the zero-filling
// general path).
bool padded_path(const ConvGeometry& g, DType dt, int64_t lanes, Padded* how) {
  const Blocks b = blocks_of(g);
  if (dt != DType::Float32 || b.direct || g.sh != 1 || g.sw != 1 || b.CgK == 0) return false;
#ifdef TG_CONV_IMPLICIT
  if (gemm_direct_enabled()) {
    *how = Padded::Implicit;
    return lanes_ok(lanes);
  }
#endif
  *how = Padded::Taps;
  return gemm_packed_enabled() && vec().gemm_taps_f32 != nullptr;
}

}  // namespace

void conv2d_kernel(const Tensor& y, const Tensor& x, const Tensor& w, const Tensor& bias, const ConvGeometry& g) {
  const Blocks b = blocks_of(g);
  if (g.N == 0 || g.O == 0 || b.L == 0) return;
  Padded how;
  if (padded_path(g, x.dtype(), g.Wo, &how)) return conv2d_padded(how, y, x, w, bias, g);
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
          product(mat(y, (n * g.O + gr * b.Og) * b.L, b.Og, b.L), mat(w, gr * b.Og * b.CgK, b.Og, b.CgK), rhs);
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
  Padded how;
  if (padded_path(g, gx.dtype(), g.W, &how) && b.Og > 0 && g.ph <= g.dh * (g.kh - 1) && g.pw <= g.dw * (g.kw - 1))
    return conv2d_input_grad_padded(how, gx, gy, w, bias, g);
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
            product(mat(gx, x_at, b.Cg, b.L), lhs, rhs);
          } else if (b.Og == 0 || b.L == 0) {
            std::fill(gx.data<T>() + x_at, gx.data<T>() + x_at + b.Cg * b.HW, T(0));
          } else {
            product(cols[p], lhs, rhs);
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
// 16 channels; 0.87-1.03x at six other layer shapes). Where the direct gemm takes that product
// in blocks of L (Note [Conv products]), gy's block is first transposed into a row-major
// [L, Og] buffer, the B operand it reads in place (Og * L values against the product's
// CgK * Og * L multiply-adds). The parts' small transposes are summed into gw in part order at
// the end, so the result does not depend on timing.
void conv2d_weight_grad_kernel(const Tensor& gw, const Tensor& x, const Tensor& gy, const ConvGeometry& g) {
  const Blocks b = blocks_of(g);
  if (gw.numel() == 0) return;
  const int64_t P = batch_parts(g);
  Padded how;
  if (padded_path(g, x.dtype(), b.Og, &how) && b.L > 0) {
    const std::vector<Tensor> acc = zeroed_buffers(P, g.groups * b.CgK * b.Og, gw.device());
    conv2d_weight_grad_padded(how, acc, x, gy, g);
    return sum_parts<float>(gw, acc, g);
  }
  const bool f32 = x.dtype() == DType::Float32;
  const int64_t kb = f32 ? direct_block(b.L, [&](int64_t k) { return gemm_direct_takes(b.CgK, b.Og, k); }) : b.L;
  const bool direct = f32 && b.L > 0 && gemm_direct_takes(b.CgK, b.Og, kb);
  std::vector<Tensor> cols, acc, gyt;
  for (int64_t p = 0; p < P; ++p) {
    if (!b.direct) cols.push_back(Tensor::empty({b.CgK, b.L}, x.dtype(), x.device()));
    if (direct) gyt.push_back(Tensor::empty({b.L, b.Og}, x.dtype(), x.device()));
    acc.push_back(Tensor::empty({g.groups * b.CgK * b.Og}, gw.dtype(), gw.device()));
  }
  dispatch_floating(x.dtype(), [&](auto tag) {
    using T = TG_TYPE(tag);
    split_batch(g, [&](int64_t p, int64_t n0, int64_t n1) {
      std::fill(acc[p].data<T>(), acc[p].data<T>() + acc[p].numel(), T(0));
      for (int64_t n = n0; n < n1; ++n) {
        for (int64_t gr = 0; gr < g.groups; ++gr) {
          const int64_t x_at = (n * g.C + gr * b.Cg) * b.HW, gy_at = (n * g.O + gr * b.Og) * b.L;
          Tensor col;  // [CgK, L]
          if (b.direct) {
            col = mat(x, x_at, b.Cg, b.L);
          } else {
            im2col(x.data<T>() + x_at, cols[p].data<T>(), g, b.Cg);
            col = cols[p];
          }
          const Tensor out = mat(acc[p], gr * b.CgK * b.Og, b.CgK, b.Og);
          if (!direct) {
            gemm_strided(out, col, mat_t(gy, gy_at, b.Og, b.L), 1.0, 1.0);
            continue;
          }
          transpose(gy.data<float>() + gy_at, gyt[p].data<float>(), b.Og, b.L);  // direct: float32
          for (int64_t k0 = 0; k0 < b.L; k0 += kb) {
            const int64_t len = std::min(kb, b.L - k0);
            gemm_strided(out, block(col, 0, b.CgK, k0, len), mat(gyt[p], k0 * b.Og, len, b.Og), 1.0, 1.0);
          }
        }
      }
    });
    sum_parts<T>(gw, acc, g);
  });
}

}  // namespace cpu
}  // namespace tg

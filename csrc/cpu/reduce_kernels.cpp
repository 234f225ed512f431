// Kernels of the reduction family (see reduce_kernels.h). Every tensor is contiguous; scans run
// along any dim, the rest along rows (the last dim); indices are checked before any element is
// written.
#include "cpu/reduce_kernels.h"
#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>
#include "core/error.h"
#include "cpu/parallel.h"
#include "cpu/vec.h"

namespace tg {
namespace cpu {
namespace {

template <typename F>
void dispatch(DType t, F&& f) {
  switch (t) {
    case DType::Bool: f(bool{}); break;
    case DType::UInt8: f(uint8_t{}); break;
    case DType::Int32: f(int32_t{}); break;
    case DType::Int64: f(int64_t{}); break;
    case DType::Float32: f(float{}); break;
    case DType::Float64: f(double{}); break;
  }
}

template <typename T> bool is_nan(T v) {
  if constexpr (std::is_floating_point_v<T>) return std::isnan(v);
  else return false;
}

int64_t row_len(const Tensor& t) { return t.dim() == 0 ? 1 : t.size(t.dim() - 1); }

void check_contig(const Tensor& t) { TG_CHECK(t.is_contiguous(), "reduction kernel: expected a contiguous tensor"); }

void check_index(const Tensor& index, int64_t n) {
  const int64_t* ix = index.data<int64_t>();
  for (int64_t i = 0; i < index.numel(); ++i)
    TG_CHECK_INDEX(ix[i] >= 0 && ix[i] < n, "index ", ix[i], " is out of bounds for dimension with size ", n);
}

}  // namespace

namespace {

// The most columns per block of the scans down a dim that is not last, and the rows per task
// of the scans along rows (a multiple of every ISA level's rows at once, vec_argscan.inc).
constexpr int64_t kScanColumns = 4096;
constexpr int64_t kScanRowGroup = 8;

// The scan of kind along n rows `stride` apart, of w <= kScanColumns contiguous columns (a
// row scan is one column). Sums and products accumulate in double for floats, as PyTorch's
// do; cummax (cummin) takes v unless it is below (above) the running value, so ties move the
// index to the last occurrence, and a NaN sticks.
template <typename T>
void scan_block(int kind, const T* x, T* y, int64_t* ix, int64_t n, int64_t stride, int64_t w) {
  if (kind == 0 || kind == 1) {
    using Acc = std::conditional_t<std::is_floating_point_v<T>, double, int64_t>;
    Acc acc[kScanColumns];
    std::fill(acc, acc + w, kind == 0 ? Acc(0) : Acc(1));
    for (int64_t i = 0; i < n; ++i)
      for (int64_t j = 0; j < w; ++j) {
        acc[j] = kind == 0 ? Acc(acc[j] + Acc(x[i * stride + j])) : Acc(acc[j] * Acc(x[i * stride + j]));
        y[i * stride + j] = static_cast<T>(acc[j]);
      }
    return;
  }
  for (int64_t j = 0; j < w; ++j) {
    y[j] = x[j];
    if (ix) ix[j] = 0;
  }
  for (int64_t i = 1; i < n; ++i)
    for (int64_t j = 0; j < w; ++j) {
      const T v = x[i * stride + j], best = y[(i - 1) * stride + j];
      const bool take = is_nan(v) || (!is_nan(best) && (kind == 2 ? !(v < best) : !(v > best)));
      y[i * stride + j] = take ? v : best;
      if (ix) ix[i * stride + j] = take ? i : ix[(i - 1) * stride + j];
    }
}

// cummax (is_max) or cummin along `rows` contiguous rows of n, as scan_block takes values (v
// is taken when NaN or not beyond the running value, which a NaN running value never is), with
// the running value and index in registers: scan_block's row chain read each element's result
// back from y (1024 x 1024 float32 cummax(1), one thread: 2.75 -> 0.8 ms; PyTorch 2.13: 1.0).
template <bool is_max, typename T>
void scan_rows_extreme(const T* x, T* y, int64_t* ix, int64_t rows, int64_t n) {
  for (int64_t r = 0; r < rows; ++r, x += n, y += n) {
    T best = x[0];
    int64_t at = 0;
    for (int64_t i = 0; i < n; ++i) {
      const T v = x[i];
      const bool take = is_nan(v) || (is_max ? v >= best : v <= best);
      if constexpr (std::is_floating_point_v<T>) {
        if (take) best = v, at = i;  // a branch: float selects would go through integer registers
      } else {
        // Masks, not a branch (which GCC emits even for `take ? v : best`): with ties (few
        // distinct values) take is a coin toss. 1024 x 1024 int64 in [0, 3): 3.0 -> 1.5 ms.
        const int64_t keep = static_cast<int64_t>(take) - 1;  // 0 when taking, else all ones
        best = static_cast<T>((static_cast<int64_t>(best) & keep) | (static_cast<int64_t>(v) & ~keep));
        at = (at & keep) | (i & ~keep);
      }
      y[i] = best;
      if (ix) ix[i] = at;
    }
    if (ix) ix += n;
  }
}

}  // namespace

// Note [Scan layouts]: the input is [outer, n, inner] with the scanned dim in the middle.
// Rows (inner = 1) go over the pool in groups; float32 sums and products take the vector
// kernel, which runs several rows at once (Note [Running sums] in vec_argscan.inc). Otherwise
// each outer slice is walked row by row, updating blocks of kScanColumns per-column running
// values, so memory is read in order and nothing is transposed.
void scan(int kind, const Tensor& out, const Tensor& indices, const Tensor& in, int64_t dim) {
  check_contig(out);
  check_contig(in);
  const int64_t n = in.dim() == 0 ? 1 : in.size(dim);
  int64_t inner = 1;
  for (int64_t d = dim + 1; d < in.dim(); ++d) inner *= in.size(d);
  const int64_t outer = in.numel() == 0 ? 0 : in.numel() / (n * inner);
  const bool vec_f32 = in.dtype() == DType::Float32 && (kind == 0 || kind == 1);
  dispatch(in.dtype(), [&](auto zero) {
    using T = decltype(zero);
    const T* x = in.data<T>();
    T* y = out.data<T>();
    int64_t* ix = indices.defined() ? indices.data<int64_t>() : nullptr;
    if (inner == 1) {
      // Groups of kScanRowGroup rows, so that only the last group can be short of the
      // vector kernel's rows at once.
      parallel_for(0, (outer + kScanRowGroup - 1) / kScanRowGroup, grain_per_item(kScanRowGroup * n),
                   [&](int64_t b, int64_t e) {
        const int64_t r0 = b * kScanRowGroup, r1 = std::min(outer, e * kScanRowGroup);
        if constexpr (std::is_same_v<T, float>) {
          if (vec_f32) return vec().scan_rows_f32(x + r0 * n, y + r0 * n, r1 - r0, n, kind == 1);
        }
        if (kind >= 2 && n > 0) {
          int64_t* rix = ix ? ix + r0 * n : nullptr;
          if (kind == 2) scan_rows_extreme<true>(x + r0 * n, y + r0 * n, rix, r1 - r0, n);
          else scan_rows_extreme<false>(x + r0 * n, y + r0 * n, rix, r1 - r0, n);
          return;
        }
        for (int64_t r = r0; r < r1; ++r) scan_block(kind, x + r * n, y + r * n, ix ? ix + r * n : nullptr, n, 1, 1);
      });
      return;
    }
    // Blocks as wide as possible (each row's run read in order), but one per thread at least.
    int64_t width = std::min(inner, kScanColumns);
    const int64_t threads = get_num_threads();
    if (outer * ((inner + width - 1) / width) < threads) width = std::max<int64_t>(16, (inner + threads - 1) / threads);
    const int64_t blocks = (inner + width - 1) / width;
    parallel_for(0, outer * blocks, grain_per_item(n * width), [&](int64_t b, int64_t e) {
      for (int64_t it = b; it < e; ++it) {
        const int64_t c0 = it % blocks * width, off = it / blocks * n * inner + c0;
        const int64_t w = std::min(width, inner - c0);
        if constexpr (std::is_same_v<T, float>) {
          if (vec_f32) {
            vec().scan_cols_f32(x + off, y + off, n, inner, w, kind == 1);
            continue;
          }
        }
        scan_block(kind, x + off, y + off, ix ? ix + off : nullptr, n, inner, w);
      }
    });
  });
}

void gather_last(const Tensor& out, const Tensor& in, const Tensor& index) {
  check_contig(out);
  check_contig(in);
  check_contig(index);
  const int64_t n = row_len(in), m = row_len(index), rows = m == 0 ? 0 : index.numel() / m;
  check_index(index, n);
  const size_t es = dtype_size(in.dtype());
  const char* x = static_cast<const char*>(in.impl()->data());
  char* y = static_cast<char*>(out.impl()->data());
  const int64_t* ix = index.data<int64_t>();
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t j = 0; j < m; ++j)
      std::memcpy(y + (r * m + j) * es, x + (r * n + ix[r * m + j]) * es, es);
}

void scatter_add_last(const Tensor& out, const Tensor& index, const Tensor& src) {
  check_contig(out);
  check_contig(src);
  check_contig(index);
  const int64_t n = row_len(out), m = row_len(index), rows = m == 0 ? 0 : index.numel() / m;
  check_index(index, n);
  const int64_t* ix = index.data<int64_t>();
  dispatch(out.dtype(), [&](auto zero) {
    using T = decltype(zero);
    if constexpr (std::is_same_v<T, bool>) {
      TG_CHECK(false, "scatter_add: bool is not supported");
    } else {
      T* y = out.data<T>();
      const T* s = src.data<T>();
      for (int64_t r = 0; r < rows; ++r)
        for (int64_t j = 0; j < m; ++j) y[r * n + ix[r * m + j]] += s[r * m + j];
    }
  });
}

}  // namespace cpu
}  // namespace tg

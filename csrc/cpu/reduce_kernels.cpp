// Row kernels of the reduction family (see reduce_kernels.h). Every tensor is contiguous and
// rows are the last dim; indices are checked before any element is written.
#include "cpu/reduce_kernels.h"
#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>
#include "core/error.h"

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

void scan_last(int kind, const Tensor& out, const Tensor& indices, const Tensor& in) {
  check_contig(out);
  check_contig(in);
  const int64_t n = row_len(in), rows = n == 0 ? 0 : in.numel() / n;
  dispatch(in.dtype(), [&](auto zero) {
    using T = decltype(zero);
    const T* x = in.data<T>();
    T* y = out.data<T>();
    int64_t* ix = indices.defined() ? indices.data<int64_t>() : nullptr;
    for (int64_t r = 0; r < rows; ++r) {
      const T* xr = x + r * n;
      T* yr = y + r * n;
      if (kind == 0 || kind == 1) {
        using Acc = std::conditional_t<std::is_floating_point_v<T>, T, int64_t>;
        Acc acc = kind == 0 ? Acc(0) : Acc(1);
        for (int64_t j = 0; j < n; ++j) {
          acc = kind == 0 ? Acc(acc + Acc(xr[j])) : Acc(acc * Acc(xr[j]));
          yr[j] = static_cast<T>(acc);
        }
      } else {
        T best = xr[0];
        int64_t bi = 0;
        for (int64_t j = 0; j < n; ++j) {
          T v = xr[j];
          bool take = j == 0 || is_nan(v) ||
                      (!is_nan(best) && (kind == 2 ? !(v < best) : !(v > best)));
          if (take) { best = v; bi = j; }
          yr[j] = best;
          if (ix) ix[r * n + j] = bi;
        }
      }
    }
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

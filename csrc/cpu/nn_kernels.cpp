// CPU kernels of the nn family; see nn_kernels.h. Softmax is numerically stable (the max is
// subtracted before exp), sums in double, and uses the vectorized float32 exp (cpu/vec.h)
// along memory: whole rows when dim is the last, blocks of adjacent columns otherwise.
// Rows and blocks split over the thread pool.
#include "cpu/nn_kernels.h"
#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <vector>
#include "core/error.h"
#include "cpu/parallel.h"
#include "cpu/vec.h"

namespace tg {
namespace cpu {
namespace {

struct Geometry {
  int64_t outer = 1, size = 1, inner = 1;
};

Geometry geometry(const Shape& sizes, int64_t dim) {
  Geometry g;
  if (sizes.empty()) return g;
  for (int64_t d = 0; d < dim; ++d) g.outer *= sizes[d];
  g.size = sizes[dim];
  for (size_t d = static_cast<size_t>(dim) + 1; d < sizes.size(); ++d) g.inner *= sizes[d];
  return g;
}

// Grain in rows so that one chunk handles about kElementwiseGrain / 4 elements.

// exp over n contiguous elements: the vectorized kernel for float32, libm for float64.
inline void exp_run(const float* x, float* y, int64_t n) { vec().unary_f32(VecUnary::Exp, x, y, n, VecMem::Cached, 0, 0); }
inline void exp_run(const double* x, double* y, int64_t n) {
  for (int64_t i = 0; i < n; ++i) y[i] = std::exp(x[i]);
}

// One contiguous softmax row. A NaN anywhere, or a row whose max is infinite, gives NaN
// (x - max is NaN there), as in PyTorch. float32 rows run the vector kernels (Note [Softmax
// rows]); float64 rows these loops, summing in double.
void softmax_row(float* o, const float* x, int64_t n, bool log) { vec().softmax_row_f32(o, x, n, log); }
void softmax_row(double* o, const double* x, int64_t n, bool log) {
  double mx = -std::numeric_limits<double>::infinity();
  for (int64_t i = 0; i < n && mx == mx; ++i) mx = x[i] != x[i] || x[i] > mx ? x[i] : mx;
  for (int64_t i = 0; i < n; ++i) o[i] = x[i] - mx;
  double sum = 0;
  if (log) {
    for (int64_t i = 0; i < n; ++i) sum += std::exp(o[i]);
    const double ls = std::log(sum);
    for (int64_t i = 0; i < n; ++i) o[i] -= ls;
  } else {
    exp_run(o, o, n);
    for (int64_t i = 0; i < n; ++i) sum += o[i];
    const double inv = 1.0 / sum;
    for (int64_t i = 0; i < n; ++i) o[i] *= inv;
  }
}

void softmax_backward_row(float* gi, const float* g, const float* y, int64_t n, bool log) {
  vec().softmax_backward_row_f32(gi, g, y, n, log);
}
void softmax_backward_row(double* gi, const double* g, const double* y, int64_t n, bool log) {
  double s = 0;
  if (log) {
    for (int64_t i = 0; i < n; ++i) s += g[i];
    exp_run(y, gi, n);
    for (int64_t i = 0; i < n; ++i) gi[i] = g[i] - gi[i] * s;
  } else {
    for (int64_t i = 0; i < n; ++i) s += g[i] * y[i];
    for (int64_t i = 0; i < n; ++i) gi[i] = y[i] * (g[i] - s);
  }
}

// Softmax over a dim that is not the last: a block of w adjacent columns (contiguous in
// memory) across the `size` rows at stride `inner`, so every pass runs along memory.
constexpr int64_t kColumns = 256;

template <typename T>
void softmax_columns(T* o, const T* x, int64_t size, int64_t inner, int64_t w, bool log) {
  T mx[kColumns], buf[kColumns];
  double sum[kColumns];
  for (int64_t c = 0; c < w; ++c) { mx[c] = x[c]; sum[c] = 0; }
  for (int64_t d = 1; d < size; ++d) {
    const T* r = x + d * inner;
    for (int64_t c = 0; c < w; ++c) mx[c] = (r[c] != r[c] || r[c] > mx[c]) ? r[c] : mx[c];
  }
  for (int64_t d = 0; d < size; ++d) {
    const T* r = x + d * inner;
    T* orow = o + d * inner;
    for (int64_t c = 0; c < w; ++c) orow[c] = r[c] - mx[c];
    T* e = log ? buf : orow;
    exp_run(orow, e, w);
    for (int64_t c = 0; c < w; ++c) sum[c] += e[c];
  }
  for (int64_t c = 0; c < w; ++c) buf[c] = static_cast<T>(log ? std::log(sum[c]) : 1.0 / sum[c]);
  for (int64_t d = 0; d < size; ++d) {
    T* orow = o + d * inner;
    if (log) for (int64_t c = 0; c < w; ++c) orow[c] -= buf[c];
    else for (int64_t c = 0; c < w; ++c) orow[c] *= buf[c];
  }
}

template <typename T>
void softmax_backward_columns(T* gi, const T* g, const T* y, int64_t size, int64_t inner, int64_t w, bool log) {
  double acc[kColumns];
  T s[kColumns];
  for (int64_t c = 0; c < w; ++c) acc[c] = 0;
  for (int64_t d = 0; d < size; ++d) {
    const T* gr = g + d * inner;
    const T* yr = y + d * inner;
    if (log) for (int64_t c = 0; c < w; ++c) acc[c] += gr[c];
    else for (int64_t c = 0; c < w; ++c) acc[c] += static_cast<double>(gr[c]) * yr[c];
  }
  for (int64_t c = 0; c < w; ++c) s[c] = static_cast<T>(acc[c]);
  for (int64_t d = 0; d < size; ++d) {
    const T* gr = g + d * inner;
    const T* yr = y + d * inner;
    T* out = gi + d * inner;
    if (log) {
      exp_run(yr, out, w);
      for (int64_t c = 0; c < w; ++c) out[c] = gr[c] - out[c] * s[c];
    } else {
      for (int64_t c = 0; c < w; ++c) out[c] = yr[c] * (gr[c] - s[c]);
    }
  }
}

// Runs f(base_offset, width) over every row (inner == 1: width 0 marks a full row) or column
// block of the [outer, size, inner] layout, split over the pool.
template <typename F>
void for_each_softmax_block(const Geometry& g, F f) {
  if (g.inner == 1) {
    parallel_for(0, g.outer, grain_per_item(g.size), [&](int64_t b, int64_t e) {
      for (int64_t r = b; r < e; ++r) f(r * g.size, int64_t(0));
    });
    return;
  }
  const int64_t blocks = (g.inner + kColumns - 1) / kColumns;
  parallel_for(0, g.outer * blocks, grain_per_item(g.size * std::min(g.inner, kColumns)), [&](int64_t b, int64_t e) {
    for (int64_t r = b; r < e; ++r) {
      const int64_t o = r / blocks, c0 = (r % blocks) * kColumns;
      f(o * g.size * g.inner + c0, std::min(kColumns, g.inner - c0));
    }
  });
}

void check_float(const Tensor& t, const char* op) {
  TG_CHECK_DTYPE(t.dtype() == DType::Float32 || t.dtype() == DType::Float64, op, ": expected a floating tensor");
  TG_CHECK(t.is_contiguous(), op, ": kernel expects contiguous operands");
}

}  // namespace

void softmax_kernel(const Tensor& out, const Tensor& in, int64_t dim, bool log) {
  check_float(in, "softmax");
  check_float(out, "softmax");
  Geometry g = geometry(in.sizes(), dim);
  if (in.numel() == 0) return;
  dispatch_floating(in.dtype(), [&](auto tag) {
    using T = TG_TYPE(tag);
    const T* x = in.data<T>();
    T* o = out.data<T>();
    for_each_softmax_block(g, [&](int64_t base, int64_t w) {
      if (w == 0) softmax_row(o + base, x + base, g.size, log);
      else softmax_columns<T>(o + base, x + base, g.size, g.inner, w, log);
    });
  });
}

void softmax_backward_kernel(const Tensor& grad_in, const Tensor& grad, const Tensor& out, int64_t dim, bool log) {
  check_float(grad_in, "softmax_backward");
  check_float(grad, "softmax_backward");
  check_float(out, "softmax_backward");
  Geometry g = geometry(out.sizes(), dim);
  if (out.numel() == 0) return;
  dispatch_floating(out.dtype(), [&](auto tag) {
    using T = TG_TYPE(tag);
    const T* gp = grad.data<T>();
    const T* y = out.data<T>();
    T* gi = grad_in.data<T>();
    for_each_softmax_block(g, [&](int64_t base, int64_t w) {
      if (w == 0) softmax_backward_row(gi + base, gp + base, y + base, g.size, log);
      else softmax_backward_columns<T>(gi + base, gp + base, y + base, g.size, g.inner, w, log);
    });
  });
}

namespace {
// Validates every target before any input element is read.
void check_targets(const int64_t* t, int64_t n, int64_t classes, int64_t ignore_index) {
  for (int64_t i = 0; i < n; ++i) {
    if (t[i] == ignore_index) continue;
    TG_CHECK_INDEX(t[i] >= 0 && t[i] < classes, "Target ", t[i], " is out of bounds.");
  }
}
}  // namespace

void nll_loss_kernel(const Tensor& out, const Tensor& total_weight, const Tensor& input, const Tensor& target,
                     const Tensor& weight, int64_t reduction, int64_t ignore_index) {
  check_float(input, "nll_loss");
  TG_CHECK_DTYPE(target.dtype() == DType::Int64 && target.is_contiguous(), "nll_loss: kernel expects contiguous int64 targets");
  const int64_t N = input.dim() > 0 ? input.size(0) : 1;
  const int64_t C = input.dim() > 1 ? input.size(1) : 1;
  const int64_t S = input.dim() > 2 ? input.size(2) : 1;
  TG_CHECK(target.numel() == N * S, "nll_loss: kernel expects target of N * S elements");
  const int64_t* t = target.data<int64_t>();
  check_targets(t, N * S, C, ignore_index);
  dispatch_floating(input.dtype(), [&](auto tag) {
    using T = TG_TYPE(tag);
    const T* x = input.data<T>();
    const T* w = weight.defined() ? weight.data<T>() : nullptr;
    T* o = out.data<T>();
    double total = 0, wsum = 0;
    for (int64_t n = 0; n < N; ++n) {
      for (int64_t s = 0; s < S; ++s) {
        const int64_t k = n * S + s;
        const int64_t c = t[k];
        if (c == ignore_index) {
          if (reduction == 0) o[k] = T(0);
          continue;
        }
        const T wc = w ? w[c] : T(1);
        const T v = -wc * x[(n * C + c) * S + s];
        if (reduction == 0) o[k] = v;
        total += v;
        wsum += wc;
      }
    }
    if (reduction == 1) o[0] = static_cast<T>(total / wsum);  // 0/0 = NaN when every target is ignored
    else if (reduction == 2) o[0] = static_cast<T>(total);
    total_weight.data<T>()[0] = static_cast<T>(wsum);
  });
}

void nll_loss_backward_kernel(const Tensor& grad_in, const Tensor& grad, const Tensor& target, const Tensor& weight,
                              int64_t reduction, int64_t ignore_index, const Tensor& total_weight) {
  check_float(grad_in, "nll_loss_backward");
  const int64_t N = grad_in.dim() > 0 ? grad_in.size(0) : 1;
  const int64_t C = grad_in.dim() > 1 ? grad_in.size(1) : 1;
  const int64_t S = grad_in.dim() > 2 ? grad_in.size(2) : 1;
  const int64_t* t = target.data<int64_t>();
  check_targets(t, N * S, C, ignore_index);
  dispatch_floating(grad_in.dtype(), [&](auto tag) {
    using T = TG_TYPE(tag);
    T* gi = grad_in.data<T>();
    std::memset(static_cast<void*>(gi), 0, static_cast<size_t>(grad_in.numel()) * sizeof(T));
    const T* w = weight.defined() ? weight.data<T>() : nullptr;
    const T* g = grad.data<T>();
    T scale = reduction == 1 ? T(1) / total_weight.data<T>()[0] : T(1);
    for (int64_t n = 0; n < N; ++n) {
      for (int64_t s = 0; s < S; ++s) {
        const int64_t k = n * S + s;
        const int64_t c = t[k];
        if (c == ignore_index) continue;
        const T gk = reduction == 0 ? g[k] : g[0] * scale;
        gi[(n * C + c) * S + s] = -(w ? w[c] : T(1)) * gk;
      }
    }
  });
}

}  // namespace cpu
}  // namespace tg

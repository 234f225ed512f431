// Gathers/scatters along one dim, nonzero and searchsorted (see index_kernels.h). Every
// tensor is read through its own strides by one odometer over the index's shape; index
// values are checked against the indexed dim (no negative wrapping, as in PyTorch) before any element is touched.
#include "cpu/index_kernels.h"
#include <algorithm>
#include <array>
#include <vector>
#include <cstring>
#include "core/error.h"
#include "cpu/parallel.h"

namespace tg {
namespace cpu {
namespace {

// Visits every position of `sizes`, passing the element offset of each of K tensors.
template <size_t K, typename Visit>
void walk_n(const Shape& sizes, const std::array<const Shape*, K>& strides, Visit&& visit) {
  const int nd = static_cast<int>(sizes.size());
  int64_t numel = 1;
  for (int64_t s : sizes) numel *= s;
  if (numel == 0) return;
  std::vector<int64_t> idx(nd, 0);
  std::array<int64_t, K> off{};
  for (int64_t i = 0; i < numel; ++i) {
    visit(off, idx);
    for (int d = nd - 1; d >= 0; --d) {
      if (++idx[d] < sizes[d]) {
        for (size_t k = 0; k < K; ++k) off[k] += (*strides[k])[d];
        break;
      }
      for (size_t k = 0; k < K; ++k) off[k] -= (sizes[d] - 1) * (*strides[k])[d];
      idx[d] = 0;
    }
  }
}

void check_index_values(const Tensor& index, int64_t size, int64_t dim) {
  const int64_t* ix = index.data<int64_t>();
  Shape st = index.strides();
  walk_n<1>(index.sizes(), {&st}, [&](const std::array<int64_t, 1>& o, const std::vector<int64_t>&) {
    int64_t v = ix[o[0]];
    TG_CHECK_INDEX(v >= 0 && v < size, "index ", v, " is out of bounds for dimension ", dim, " with size ", size);
  });
}

}  // namespace

void gather_dim(const Tensor& out, const Tensor& in, int64_t dim, const Tensor& index) {
  check_index_values(index, in.size(dim), dim);
  const int64_t* ix = index.data<int64_t>();
  const int64_t sd = in.stride(dim);
  Shape so = out.strides(), si = in.strides(), sx = index.strides();
  si[dim] = 0;
  dispatch_all(out.dtype(), [&](auto tag) {
    using T = TG_TYPE(tag);
    T* o = out.data<T>();
    const T* s = in.data<T>();
    walk_n<3>(index.sizes(), {&so, &si, &sx}, [&](const std::array<int64_t, 3>& off, const std::vector<int64_t>&) {
      int64_t v = ix[off[2]];
      o[off[0]] = s[off[1] + v * sd];
    });
  });
}

void scatter_dim(const Tensor& out, int64_t dim, const Tensor& index, const Tensor& src, ScatterMode mode) {
  check_index_values(index, out.size(dim), dim);
  const int64_t* ix = index.data<int64_t>();
  const int64_t sd = out.stride(dim);
  Shape so = out.strides(), ss = src.strides(), sx = index.strides();
  so[dim] = 0;
  dispatch_all(out.dtype(), [&](auto tag) {
    using T = TG_TYPE(tag);
    T* o = out.data<T>();
    const T* s = src.data<T>();
    walk_n<3>(index.sizes(), {&so, &ss, &sx}, [&](const std::array<int64_t, 3>& off, const std::vector<int64_t>&) {
      int64_t v = ix[off[2]];
      T& dst = o[off[0] + v * sd];
      const T x = s[off[1]];
      switch (mode) {
        case ScatterMode::Assign: dst = x; break;
        case ScatterMode::Add: dst = static_cast<T>(dst + x); break;
        case ScatterMode::Mul: dst = static_cast<T>(dst * x); break;
        // NaN wins, as in PyTorch's scatter_reduce amax/amin.
        case ScatterMode::Max: if (x != x || x > dst) dst = x; break;
        case ScatterMode::Min: if (x != x || x < dst) dst = x; break;
      }
    });
  });
}

Tensor nonzero(const Tensor& in) {
  std::vector<int64_t> coords;
  const int64_t nd = in.dim();
  Shape st = in.strides();
  int64_t n = 0;
  dispatch_all(in.dtype(), [&](auto tag) {
    using T = TG_TYPE(tag);
    const T* s = in.data<T>();
    walk_n<1>(in.sizes(), {&st}, [&](const std::array<int64_t, 1>& o, const std::vector<int64_t>& idx) {
      if (s[o[0]] != T(0)) {
        coords.insert(coords.end(), idx.begin(), idx.end());
        ++n;
      }
    });
  });
  Tensor out = Tensor::empty({n, nd}, DType::Int64, in.device());
  if (!coords.empty()) std::memcpy(out.data<int64_t>(), coords.data(), coords.size() * sizeof(int64_t));
  return out;
}

void searchsorted(const Tensor& out, const Tensor& sorted, const Tensor& values, bool right) {
  // sorted, values, out are contiguous and of one dtype (out int64).
  const int64_t len = sorted.dim() == 0 ? 1 : sorted.size(sorted.dim() - 1);
  const int64_t nv = values.dim() == 0 ? 1 : values.size(values.dim() - 1);
  const bool one_d = sorted.dim() <= 1;
  int64_t* o = out.data<int64_t>();
  dispatch_all(sorted.dtype(), [&](auto tag) {
    using T = TG_TYPE(tag);
    const T* s = sorted.data<T>();
    const T* v = values.data<T>();
    for (int64_t i = 0; i < values.numel(); ++i) {
      const T* row = one_d ? s : s + (i / std::max<int64_t>(nv, 1)) * len;
      const T* pos = right ? std::upper_bound(row, row + len, v[i]) : std::lower_bound(row, row + len, v[i]);
      o[i] = pos - row;
    }
  });
}

}  // namespace cpu
}  // namespace tg

// Gathers and scatter-adds of slices along one dim (see movement_kernels.h). The dims other
// than `dim` are walked by an odometer with each tensor's own strides, so inputs and outputs
// may be non-contiguous views; indices are checked before any element is touched.
#include "cpu/movement_kernels.h"
#include <algorithm>
#include "core/error.h"
#include "cpu/parallel.h"

namespace tg {
namespace cpu {
namespace {

// The dims of a (and b, same sizes) other than `dim`, with both tensors' strides.
struct RestPlan {
  Shape sizes, a_strides, b_strides;
  int64_t numel = 1;
};

RestPlan rest_of(const Tensor& a, const Tensor& b, int64_t dim) {
  RestPlan p;
  for (int64_t d = 0; d < a.dim(); ++d) {
    if (d == dim) continue;
    p.sizes.push_back(a.size(d));
    p.a_strides.push_back(a.stride(d));
    p.b_strides.push_back(b.stride(d));
    p.numel *= a.size(d);
  }
  return p;
}

// Calls visit(offset in a, offset in b) for every position of the rest dims.
template <typename Visit>
void walk(const RestPlan& p, Visit&& visit) {
  const int nd = static_cast<int>(p.sizes.size());
  if (nd == 0) {
    visit(int64_t{0}, int64_t{0});
    return;
  }
  if (nd == 1) {
    for (int64_t i = 0; i < p.sizes[0]; ++i) visit(i * p.a_strides[0], i * p.b_strides[0]);
    return;
  }
  int64_t idx[64] = {0};
  int64_t oa = 0, ob = 0;
  for (int64_t i = 0; i < p.numel; ++i) {
    visit(oa, ob);
    for (int d = nd - 1; d >= 0; --d) {
      if (++idx[d] < p.sizes[d]) {
        oa += p.a_strides[d];
        ob += p.b_strides[d];
        break;
      }
      oa -= (p.sizes[d] - 1) * p.a_strides[d];
      ob -= (p.sizes[d] - 1) * p.b_strides[d];
      idx[d] = 0;
    }
  }
}

void check_indices(const Tensor& index, int64_t size) {
  const int64_t* ix = index.data<int64_t>();
  for (int64_t j = 0; j < index.numel(); ++j)
    TG_CHECK_INDEX(ix[j] >= 0 && ix[j] < size, "index out of range in self");
}

}  // namespace

void select_indices(const Tensor& out, const Tensor& in, int64_t dim, const Tensor& index) {
  TG_CHECK(out.dim() <= 64 && index.numel() == out.size(dim), "select_indices: bad geometry");
  check_indices(index, in.size(dim));
  RestPlan p = rest_of(out, in, dim);
  const int64_t n = index.numel();
  if (p.numel == 0 || n == 0) return;
  const int64_t so = out.stride(dim), si = in.stride(dim);
  const int64_t* ix = index.data<int64_t>();
  dispatch_all(out.dtype(), [&](auto tag) {
    using T = TG_TYPE(tag);
    T* o = out.data<T>();
    const T* s = in.data<T>();
    const int64_t grain = std::max<int64_t>(1, 32768 / p.numel);
    parallel_for(0, n, grain, [&](int64_t b, int64_t e) {
      for (int64_t j = b; j < e; ++j) {
        T* oj = o + j * so;
        const T* sj = s + ix[j] * si;
        walk(p, [&](int64_t oa, int64_t ob) { oj[oa] = sj[ob]; });
      }
    });
  });
}

void add_indices(const Tensor& out, int64_t dim, const Tensor& index, const Tensor& src) {
  TG_CHECK(out.dim() <= 64 && index.numel() == src.size(dim), "add_indices: bad geometry");
  check_indices(index, out.size(dim));
  RestPlan p = rest_of(out, src, dim);
  const int64_t n = index.numel();
  if (p.numel == 0 || n == 0) return;
  const int64_t so = out.stride(dim), ss = src.stride(dim);
  const int64_t* ix = index.data<int64_t>();
  dispatch_all(out.dtype(), [&](auto tag) {
    using T = TG_TYPE(tag);
    T* o = out.data<T>();
    const T* s = src.data<T>();
    // Sequential: repeated indices write the same elements.
    for (int64_t j = 0; j < n; ++j) {
      T* oj = o + ix[j] * so;
      const T* sj = s + j * ss;
      walk(p, [&](int64_t oa, int64_t ob) { oj[oa] = static_cast<T>(oj[oa] + sj[ob]); });
    }
  });
}

}  // namespace cpu
}  // namespace tg

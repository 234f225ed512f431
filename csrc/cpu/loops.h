// Strided iteration for elementwise kernels: operands share one shape, each with its own
// byte strides. Dims are coalesced first so contiguous tensors become one flat run, and the
// inner callback sees (pointers, inner byte strides, run length).
#pragma once
#include <array>
#include <cstdint>
#include <algorithm>
#include "core/tensor_impl.h"
#include "cpu/parallel.h"

namespace tg {
namespace cpu {

template <int N>
struct LoopPlan {
  int ndim = 0;                                 // after coalescing, >= 1
  int64_t sizes[16];
  int64_t strides[N][16];                       // bytes
};

template <int N>
LoopPlan<N> make_plan(const Shape& sizes, const std::array<const Tensor*, N>& ops) {
  LoopPlan<N> p;
  // Collect non-trivial dims, innermost last.
  int nd = 0;
  for (size_t d = 0; d < sizes.size(); ++d) {
    if (sizes[d] == 1) continue;
    TG_CHECK(nd < 16, "tensors with more than 16 non-trivial dims are not supported");
    p.sizes[nd] = sizes[d];
    for (int k = 0; k < N; ++k)
      p.strides[k][nd] = ops[k]->strides()[d] * static_cast<int64_t>(dtype_size(ops[k]->dtype()));
    ++nd;
  }
  if (nd == 0) {
    p.ndim = 1;
    p.sizes[0] = 1;
    for (int k = 0; k < N; ++k) p.strides[k][0] = 0;
    return p;
  }
  // Coalesce from the inside out: dim d-1 merges into d when every operand's stride allows.
  int out = nd - 1;
  int64_t cs[16];
  int64_t cst[N][16];
  cs[out] = p.sizes[nd - 1];
  for (int k = 0; k < N; ++k) cst[k][out] = p.strides[k][nd - 1];
  for (int d = nd - 2; d >= 0; --d) {
    bool merge = true;
    for (int k = 0; k < N; ++k)
      if (p.strides[k][d] != cst[k][out] * cs[out]) { merge = false; break; }
    if (merge) {
      cs[out] *= p.sizes[d];
    } else {
      --out;
      cs[out] = p.sizes[d];
      for (int k = 0; k < N; ++k) cst[k][out] = p.strides[k][d];
    }
  }
  p.ndim = nd - out;
  for (int i = 0; i < p.ndim; ++i) {
    p.sizes[i] = cs[out + i];
    for (int k = 0; k < N; ++k) p.strides[k][i] = cst[k][out + i];
  }
  return p;
}

// Calls inner(ptrs, inner_strides, n) for every innermost run of the elements with linear
// (row-major) index in [begin, end); runs cut by the range boundaries come out shorter.
template <int N, typename F>
void for_each_run_range(const LoopPlan<N>& p, const std::array<char*, N>& base, int64_t begin, int64_t end, F& inner) {
  const int last = p.ndim - 1;
  const int64_t L = p.sizes[last];
  std::array<int64_t, N> inner_strides;
  for (int k = 0; k < N; ++k) inner_strides[k] = p.strides[k][last];
  // Position of `begin`: the outer odometer and the offset within the innermost run.
  int64_t idx[16] = {0};
  int64_t pos_in_run = begin % L;
  int64_t outer = begin / L;
  std::array<char*, N> ptr = base;
  for (int d = last - 1; d >= 0; --d) {
    idx[d] = outer % p.sizes[d];
    outer /= p.sizes[d];
    for (int k = 0; k < N; ++k) ptr[k] += idx[d] * p.strides[k][d];
  }
  int64_t pos = begin;
  while (pos < end) {
    int64_t n = std::min(L - pos_in_run, end - pos);
    std::array<char*, N> run = ptr;
    for (int k = 0; k < N; ++k) run[k] += pos_in_run * inner_strides[k];
    inner(run, inner_strides, n);
    pos += n;
    pos_in_run = 0;
    for (int d = last - 1; d >= 0; --d) {
      if (++idx[d] < p.sizes[d]) {
        for (int k = 0; k < N; ++k) ptr[k] += p.strides[k][d];
        break;
      }
      for (int k = 0; k < N; ++k) ptr[k] -= p.strides[k][d] * (p.sizes[d] - 1);
      idx[d] = 0;
    }
  }
}

// Calls inner(ptrs, inner_strides, n) for every innermost run, on the thread pool when the
// tensor is large enough. `inner` must only touch the elements it is given.
template <int N, typename F>
void for_each_run(const Shape& sizes, const std::array<const Tensor*, N>& ops, F&& inner) {
  const int64_t numel = numel_of(sizes);
  if (numel == 0) return;
  auto plan = make_plan<N>(sizes, ops);
  std::array<char*, N> base;
  for (int k = 0; k < N; ++k) base[k] = static_cast<char*>(ops[k]->impl()->data());
  if (numel < 2 * kElementwiseGrain) {
    for_each_run_range<N>(plan, base, 0, numel, inner);
    return;
  }
  parallel_for(0, numel, kElementwiseGrain,
               [&](int64_t b, int64_t e) { for_each_run_range<N>(plan, base, b, e, inner); });
}

}  // namespace cpu
}  // namespace tg

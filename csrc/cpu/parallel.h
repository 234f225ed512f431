// A persistent thread pool for CPU kernels. parallel_for splits [begin, end) into chunks of
// at least `grain` iterations, so small tensors stay on the calling thread; the caller
// always works on a chunk too. setNumThreads also sets OpenBLAS's thread count, so BLAS
// and the pool never oversubscribe the cores together.
#pragma once
#include <algorithm>
#include <cstdint>
#include <functional>

namespace tg {
namespace cpu {

int get_num_threads();
void set_num_threads(int n);

// Runs f(chunk_begin, chunk_end) over disjoint chunks covering [begin, end).
void parallel_for(int64_t begin, int64_t end, int64_t grain, const std::function<void(int64_t, int64_t)>& f);

// Elementwise kernels parallelise from twice this many elements (~400 KB of float32). On 2
// cores, 100K-200K-element add, relu and tanh take 0.54-0.67x the one-thread time; at 64K a
// second thread gains nothing (the per-region handoff is a few microseconds once the caller
// spins for the worker, Note [Pool jobs]).
constexpr int64_t kElementwiseGrain = 49152;
// The grain for loops whose items (rows, planes, channels) each cost `work_per_item` element
// reads: about a quarter of an elementwise grain of work per chunk.
inline int64_t grain_per_item(int64_t work_per_item) {
  return std::max<int64_t>(1, kElementwiseGrain / 4 / std::max<int64_t>(1, work_per_item));
}

}  // namespace cpu
}  // namespace tg

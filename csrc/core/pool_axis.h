// PoolAxis: the windows of a pooling op along one spatial dim, precomputed once per call so
// that every pooling kernel (max, average, adaptive) walks the same description. Output
// position o reads the `count[o]` input positions begin[o], begin[o] + step, ... (already
// clipped to the input: padding never appears here), and, for averages, divides by the
// product of the two axes' `factor[o]` (PyTorch's divisor is separable per dim).
#pragma once
#include <cstdint>
#include <vector>

namespace tg {

struct PoolAxis {
  std::vector<int64_t> begin, count;
  std::vector<double> factor;  // average pooling only
  int64_t step = 1;            // the dilation
  int64_t size() const { return static_cast<int64_t>(begin.size()); }
};

}  // namespace tg

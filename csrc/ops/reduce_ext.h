// The reduction family beyond sum/mean/max/min (csrc/ops/reduce_ext.cpp): prod, amax/amin,
// var/std, logsumexp, norm, all/any, count_nonzero, cumulative scans, sort and the ops
// built on it (argsort, topk, kthvalue, median, mode). An empty dims list means all dims.
#pragma once
#include <optional>
#include <tuple>
#include <utility>
#include <vector>
#include "ops/ops.h"

namespace tg {

Tensor prod(const Tensor& a);
Tensor prod(const Tensor& a, int64_t dim, bool keepdim);
Tensor amax(const Tensor& a, const std::vector<int64_t>& dims, bool keepdim);
Tensor amin(const Tensor& a, const std::vector<int64_t>& dims, bool keepdim);
Tensor var(const Tensor& a, const std::vector<int64_t>& dims, double correction, bool keepdim);
Tensor std_(const Tensor& a, const std::vector<int64_t>& dims, double correction, bool keepdim);
Tensor logsumexp(const Tensor& a, const std::vector<int64_t>& dims, bool keepdim);
Tensor norm(const Tensor& a, double p, const std::vector<int64_t>& dims, bool keepdim,
            const char* node_name = "LinalgVectorNormBackward0");
Tensor all(const Tensor& a, const std::vector<int64_t>& dims, bool keepdim);
Tensor any(const Tensor& a, const std::vector<int64_t>& dims, bool keepdim);
Tensor count_nonzero(const Tensor& a, const std::vector<int64_t>& dims);
Tensor cumsum(const Tensor& a, int64_t dim);
Tensor cumprod(const Tensor& a, int64_t dim);
std::pair<Tensor, Tensor> cummax(const Tensor& a, int64_t dim);
std::pair<Tensor, Tensor> cummin(const Tensor& a, int64_t dim);
std::pair<Tensor, Tensor> sort(const Tensor& a, int64_t dim, bool descending, bool stable);
Tensor argsort(const Tensor& a, int64_t dim, bool descending, bool stable);
std::pair<Tensor, Tensor> topk(const Tensor& a, int64_t k, int64_t dim, bool largest, bool sorted);
std::pair<Tensor, Tensor> kthvalue(const Tensor& a, int64_t k, int64_t dim, bool keepdim);
Tensor median(const Tensor& a);
std::pair<Tensor, Tensor> median_dim(const Tensor& a, int64_t dim, bool keepdim);
std::pair<Tensor, Tensor> mode(const Tensor& a, int64_t dim, bool keepdim);
// The sorted distinct values of the flattened input, the inverse indices (input's shape)
// and the counts. No gradient.
std::tuple<Tensor, Tensor, Tensor> unique(const Tensor& a);

}  // namespace tg

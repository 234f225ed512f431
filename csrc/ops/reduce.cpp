// Reductions. Backward expands the incoming gradient back over the reduced dims.
#include <algorithm>
#include "autograd/function.h"
#include "autograd/grad_mode.h"
#include "ops/helpers.h"

namespace tg {
namespace {

// The gradient of a reduction, its reduced dims re-inserted and expanded back to the input's shape.
Tensor expand_grad(const Tensor& g, const Shape& in_shape, uint64_t mask, bool keepdim) {
  return expand(keep_grad(g, in_shape, mask, keepdim), in_shape);
}

TensorList sum_backward(OpNode& n, const TensorList& g) {
  uint64_t mask = n.ints.empty() ? ~uint64_t(0) : static_cast<uint64_t>(n.ints[0]);
  return {expand_grad(g[0], n.shape, mask, n.flag || n.ints.empty())};
}

TensorList mean_backward(OpNode& n, const TensorList& g) {
  uint64_t mask = n.ints.empty() ? ~uint64_t(0) : static_cast<uint64_t>(n.ints[0]);
  return {div(expand_grad(g[0], n.shape, mask, n.flag || n.ints.empty()), Scalar(n.scalar))};
}

// max()/min() over all elements: ties share the gradient evenly (spec Q).
TensorList extreme_all_backward(OpNode& n, const TensorList& g) {
  Tensor in = n.saved(0), result = n.saved(1);
  Tensor mask = to_dtype(compare(BinaryOp::Eq, in, result), g[0].dtype());
  return {mask * div(g[0], sum(mask))};
}

DType sum_dtype(DType t) { return is_floating(t) ? t : DType::Int64; }

void check_mean_dtype(const Tensor& a) {
  TG_CHECK_DTYPE(is_floating(a.dtype()),
                 "mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. "
                 "Got: ", dtype_legacy_name(a.dtype()));
}

}  // namespace

Tensor sum(const Tensor& a) {
  check_defined("sum", a);
  Tensor out = reduce_raw(ReduceOp::Sum, a, dims_mask({}, a.dim(), "sum"), false, sum_dtype(a.dtype()));
  if (auto n = record("SumBackward0", sum_backward, {&a}, {&out})) n->shape = a.sizes();
  return out;
}

Tensor sum(const Tensor& a, const std::vector<int64_t>& dims, bool keepdim) {
  check_defined("sum", a);
  uint64_t mask = dims_mask(dims, a.dim(), "sum");
  Tensor out = reduce_raw(ReduceOp::Sum, a, mask, keepdim, sum_dtype(a.dtype()));
  if (auto n = record("SumBackward1", sum_backward, {&a}, {&out})) {
    n->shape = a.sizes();
    n->ints = {static_cast<int64_t>(mask)};
    n->flag = keepdim;
  }
  return out;
}

Tensor mean(const Tensor& a) {
  check_defined("mean", a);
  check_mean_dtype(a);
  Tensor out = reduce_raw(ReduceOp::Mean, a, dims_mask({}, a.dim(), "mean"), false, a.dtype());
  if (auto n = record("MeanBackward0", mean_backward, {&a}, {&out})) {
    n->shape = a.sizes();
    n->scalar = static_cast<double>(a.numel());
  }
  return out;
}

Tensor mean(const Tensor& a, const std::vector<int64_t>& dims, bool keepdim) {
  check_defined("mean", a);
  check_mean_dtype(a);
  uint64_t mask = dims_mask(dims, a.dim(), "mean");
  Tensor out = reduce_raw(ReduceOp::Mean, a, mask, keepdim, a.dtype());
  if (auto n = record("MeanBackward1", mean_backward, {&a}, {&out})) {
    n->shape = a.sizes();
    n->ints = {static_cast<int64_t>(mask)};
    n->flag = keepdim;
    int64_t count = 1;
    for (int64_t d = 0; d < a.dim(); ++d)
      if (mask >> d & 1) count *= a.size(d);
    n->scalar = static_cast<double>(count);
  }
  return out;
}

Tensor sum_to(const Tensor& a, const Shape& shape) {
  if (a.sizes() == shape) return a;
  TG_CHECK_SHAPE(is_expandable_to(shape, a.sizes()), "sum_to: shape ", shape_str(shape), " is not expandable to ",
                 shape_str(a.sizes()));
  const int64_t lead = a.dim() - static_cast<int64_t>(shape.size());
  std::vector<int64_t> dims;
  for (int64_t d = 0; d < a.dim(); ++d)
    if (d < lead || (shape[d - lead] == 1 && a.size(d) != 1)) dims.push_back(d);
  Tensor r = dims.empty() ? a : sum(a, dims, true);
  return r.sizes() == shape ? r : view(r, shape);
}

static Tensor extreme_all(const Tensor& a, bool is_max) {
  const char* name = is_max ? "max" : "min";
  check_defined(name, a);
  TG_CHECK_INDEX(a.numel() > 0, name, "(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.");
  Tensor out = reduce_raw(is_max ? ReduceOp::Max : ReduceOp::Min, a, dims_mask({}, a.dim(), name), false, a.dtype());
  if (auto n = record(is_max ? "MaxBackward1" : "MinBackward1", extreme_all_backward, {&a}, {&out})) {
    n->save({a});
    n->save_output(out);
  }
  return out;
}

Tensor amax_all(const Tensor& a) { return extreme_all(a, true); }

namespace {

// The gradient of the selected element: g placed at each row's index along dim, by
// comparing an arange along dim with the indices (differentiable in g).
TensorList extreme_dim_backward(OpNode& n, const TensorList& g) {
  const int64_t dim = n.ints[0];
  Tensor idx = n.saved(0);  // keepdim shape
  Tensor gk = n.flag ? g[0] : unsqueeze(g[0], dim);
  Shape pos_shape(n.shape.size(), 1);
  pos_shape[dim] = n.shape[dim];
  Tensor pos = view(arange(0, static_cast<double>(n.shape[dim]), 1, DType::Int64, g[0].device()), pos_shape);
  Tensor hit = compare(BinaryOp::Eq, pos, idx);
  return {where(hit, expand(gk, n.shape), zeros({}, g[0].dtype(), g[0].device()))};
}

std::pair<Tensor, Tensor> extreme_dim(const Tensor& a, int64_t dim, bool keepdim, bool is_max) {
  const char* name = is_max ? "max" : "min";
  check_defined(name, a);
  int64_t d = wrap_dim(dim, a.dim(), name);
  if (a.dim() == 0) {
    Tensor v = alias(a);
    return {v, zeros({}, DType::Int64, a.device())};
  }
  TG_CHECK_INDEX(a.size(d) > 0, name, "(): Expected reduction dim ", d, " to have non-zero size.");
  Shape kd = a.sizes();
  kd[d] = 1;
  Tensor values = Tensor::empty(kd, a.dtype(), a.device());
  Tensor indices = Tensor::empty(kd, DType::Int64, a.device());
  if (values.numel() > 0) backend_of(a).reduce_arg(is_max ? ReduceOp::Max : ReduceOp::Min, values, indices, a, d);
  Tensor kept_indices = indices;
  if (!keepdim) {
    Shape sq = a.sizes();
    sq.erase(sq.begin() + d);
    values = Tensor::view_of(values, sq, contiguous_strides(sq), 0);
    indices = Tensor::view_of(indices, sq, contiguous_strides(sq), 0);
  }
  if (auto n = record(is_max ? "MaxBackward0" : "MinBackward0", extreme_dim_backward, {&a}, {&values})) {
    n->ints = {d};
    n->flag = keepdim;
    n->shape = a.sizes();
    n->save({kept_indices});
  }
  return {values, indices};
}

Tensor arg_extreme(const Tensor& a, std::optional<int64_t> dim, bool keepdim, bool is_max) {
  const char* name = is_max ? "argmax" : "argmin";
  check_defined(name, a);
  if (!dim) {
    TG_CHECK_INDEX(a.numel() > 0, name, "(): Expected reduction dim to be specified for input.numel() == 0.");
    Tensor flat = Tensor::view_of(contiguous_raw(a), {a.numel()}, {1}, 0);
    auto r = extreme_dim(flat, 0, false, is_max).second;
    if (keepdim) r = Tensor::view_of(r, Shape(a.dim(), 1), Shape(a.dim(), 1), 0);
    return r;
  }
  AutoGradMode off(false);
  return extreme_dim(a, *dim, keepdim, is_max).second;
}

}  // namespace

std::pair<Tensor, Tensor> max_dim(const Tensor& a, int64_t dim, bool keepdim) { return extreme_dim(a, dim, keepdim, true); }
std::pair<Tensor, Tensor> min_dim(const Tensor& a, int64_t dim, bool keepdim) { return extreme_dim(a, dim, keepdim, false); }
Tensor argmax(const Tensor& a, std::optional<int64_t> dim, bool keepdim) { return arg_extreme(a, dim, keepdim, true); }
Tensor argmin(const Tensor& a, std::optional<int64_t> dim, bool keepdim) { return arg_extreme(a, dim, keepdim, false); }
Tensor amin_all(const Tensor& a) { return extreme_all(a, false); }

}  // namespace tg

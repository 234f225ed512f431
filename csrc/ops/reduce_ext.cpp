// The reduction family beyond the foundation's sum/mean/max/min. Forwards run the reduce
// kernel or the row kernels (scan/sort/select/gather/scatter-add along the last dim of a
// contiguous copy); each op records one node named as in PyTorch whose formula is written in
// differentiable ops, so double backward works. Gradients at non-differentiable points
// follow spec Q: ties of amax/amin/median() share the gradient evenly, norm's gradient is 0
// at the zero vector, prod's gradient is exact with zeros in the input.
#include "ops/reduce_ext.h"
#include <algorithm>
#include <cmath>
#include <limits>
#include <tuple>
#include "autograd/function.h"
#include "autograd/grad_mode.h"
#include "ops/helpers.h"
#include "ops/movement.h"

namespace tg {
namespace {


int64_t count_of(const Shape& in, uint64_t mask) {
  int64_t c = 1;
  for (size_t d = 0; d < in.size(); ++d)
    if (mask >> d & 1) c *= in[d];
  return c;
}

Tensor reshape_raw(const Tensor& t, const Shape& s) {
  Tensor c = contiguous_raw(t);
  return Tensor::view_of(c, s, contiguous_strides(s), c.impl()->offset());
}

// ---- row kernels through a permuted contiguous copy
Tensor permuted_raw(const Tensor& t, const std::vector<int64_t>& perm) {
  Shape s, st;
  for (int64_t p : perm) {
    s.push_back(t.size(p));
    st.push_back(t.stride(p));
  }
  return Tensor::view_of(t, s, st, t.impl()->offset());
}

std::vector<int64_t> to_last_perm(int64_t nd, int64_t d) {
  std::vector<int64_t> p;
  for (int64_t i = 0; i < nd; ++i)
    if (i != d) p.push_back(i);
  p.push_back(d);
  return p;
}

std::vector<int64_t> from_last_perm(int64_t nd, int64_t d) {
  std::vector<int64_t> p;
  for (int64_t i = 0, j = 0; i < nd; ++i) p.push_back(i == d ? nd - 1 : j++);
  return p;
}

Tensor fresh_copy(const Tensor& v) {
  Tensor out = Tensor::empty(v.sizes(), v.dtype(), v.device());
  if (v.numel() > 0) backend_of(v).copy(out, v);
  return out;
}

// A contiguous copy of t with dim d moved last (0-d becomes [1]).
Tensor to_last(const Tensor& t, int64_t d) {
  if (t.dim() == 0) return reshape_raw(t, {1});
  return contiguous_raw(permuted_raw(t, to_last_perm(t.dim(), d)));
}

// The inverse of to_last for a fresh contiguous tensor t (a kernel's output) of rank nd: a
// fresh contiguous tensor, t itself when d is already last.
Tensor from_last(const Tensor& t, int64_t d, int64_t nd) {
  if (nd == 0) return fresh_copy(reshape_raw(t, {}));
  if (d == nd - 1) return t;
  return fresh_copy(permuted_raw(t, from_last_perm(nd, d)));
}

// ---- gather / scatter-add along a dim with an index of the output's shape
Tensor scatter_add_op(const Tensor& src, int64_t dim, const Tensor& index, const Shape& shape);

TensorList gather_backward(OpNode& n, const TensorList& g) { return {scatter_add_op(g[0], n.offset, n.saved(0), n.shape)}; }

Tensor gather_op(const Tensor& a, int64_t dim, const Tensor& index) {
  Tensor al = to_last(a, dim), il = to_last(index, dim);
  Tensor ol = Tensor::empty(il.sizes(), a.dtype(), a.device());
  if (ol.numel() > 0) backend_of(a).gather_last(ol, al, il);
  Tensor out = from_last(ol, dim, a.dim());
  if (auto n = record("GatherBackward0", gather_backward, {&a}, {&out})) {
    n->offset = dim;
    n->shape = a.sizes();
    n->save({index});
  }
  return out;
}

TensorList scatter_add_backward(OpNode& n, const TensorList& g) { return {gather_op(g[0], n.offset, n.saved(0))}; }

// zeros(shape) with src added at index along dim (the adjoint of gather_op).
Tensor scatter_add_op(const Tensor& src, int64_t dim, const Tensor& index, const Shape& shape) {
  Tensor z = zeros(shape, src.dtype(), src.device());
  Tensor zl = to_last(z, dim), sl = to_last(src, dim), il = to_last(index, dim);
  if (sl.numel() > 0) backend_of(src).scatter_add_last(zl, il, sl);
  Tensor out = from_last(zl, dim, static_cast<int64_t>(shape.size()));
  if (auto n = record("ScatterAddBackward0", scatter_add_backward, {&src}, {&out})) {
    n->offset = dim;
    n->save({index});
  }
  return out;
}

// The backward of ops that pick elements by index along dim (sort, topk, kthvalue, ...):
// n.saved(0) = indices (keepdim form), n.offset = dim, n.flag = keepdim, n.shape = input.
TensorList indexed_backward(OpNode& n, const TensorList& g) {
  Tensor gk = n.flag || n.shape.empty() ? g[0] : unsqueeze(g[0], n.offset);
  if (n.shape.empty()) return {reshape(gk, {})};
  return {scatter_add_op(gk, n.offset, n.saved(0), n.shape)};
}

std::shared_ptr<OpNode> record_indexed(const char* name, const Tensor& a, const Tensor& values, const Tensor& kept_idx,
                                       int64_t dim, bool keepdim) {
  auto n = record(name, indexed_backward, {&a}, {&values});
  if (n) {
    n->offset = dim;
    n->flag = keepdim;
    n->shape = a.sizes();
    n->save({kept_idx});
  }
  return n;
}

// Values and int64 indices of m elements per row along d, written by kernel(values, indices,
// input) on a contiguous copy of a with d last; returned fresh in a's layout.
template <typename Kernel>
std::pair<Tensor, Tensor> select_raw(const Tensor& a, int64_t d, int64_t m, const Kernel& kernel) {
  Tensor al = to_last(a, d);
  Shape s = al.sizes();
  s.back() = m;
  Tensor vl = Tensor::empty(s, a.dtype(), a.device()), il = Tensor::empty(s, DType::Int64, a.device());
  if (vl.numel() > 0) kernel(vl, il, al);
  return {from_last(vl, d, a.dim()), from_last(il, d, a.dim())};
}

// Sorted values and indices along d (fresh, input's layout).
std::pair<Tensor, Tensor> sort_raw(const Tensor& a, int64_t d, bool descending, bool stable) {
  const int64_t n = a.dim() == 0 ? 1 : a.size(d);
  return select_raw(a, d, n, [&](const Tensor& vl, const Tensor& il, const Tensor& al) {
    backend_of(a).sort_last(vl, il, al, descending, stable);
  });
}

Tensor squeeze_raw(const Tensor& t, int64_t d) {
  if (t.dim() == 0) return t;
  Shape s = t.sizes();
  s.erase(s.begin() + d);
  return reshape_raw(t, s);
}

}  // namespace

// ---- prod
namespace {
// For each j, the product of the other elements along d: exclusive cumprods from both
// sides, exact (to every order) with zeros in the input.
Tensor prod_others(const Tensor& x, int64_t d) {
  const int64_t n = x.size(d);
  Shape os = x.sizes();
  os[d] = 1;
  if (n <= 1) return ones(x.sizes(), x.dtype(), x.device());
  Tensor one = ones(os, x.dtype(), x.device());
  Tensor left = cumprod(cat({one, narrow(x, d, 0, n - 1)}, d), d);
  Tensor right = flip(cumprod(flip(cat({narrow(x, d, 1, n - 1), one}, d), {d}), d), {d});
  return left * right;
}

bool has_zero(const Tensor& x) {
  AutoGradMode off(false);
  Tensor z = any(compare(BinaryOp::Eq, x, Scalar(0.0)), {}, false);
  bool v = false;
  backend_of(z).to_host(&v, z);
  return v;
}

// result / x without zeros; otherwise the product of the others (PyTorch's two paths).
TensorList prod_backward(OpNode& n, const TensorList& g) {
  Tensor x = n.saved(0);
  const uint64_t mask = static_cast<uint64_t>(n.ints[0]);
  Tensor gk = keep_grad(g[0], x.sizes(), mask, n.flag);
  if (x.dim() == 0) return {gk};
  if (x.numel() == 0) return {zeros(x.sizes(), g[0].dtype(), g[0].device())};
  const bool all_dims = n.ints.size() < 2;
  if (!has_zero(x)) {
    Tensor p = all_dims ? view(prod(x), keepdim_shape(x.sizes(), mask)) : prod(x, n.ints[1], true);
    return {gk * div(p, x)};
  }
  if (all_dims) return {gk * reshape(prod_others(reshape(x, {x.numel()}), 0), x.sizes())};
  return {gk * prod_others(x, n.ints[1])};
}

DType prod_dtype(DType t) { return is_floating(t) ? t : DType::Int64; }
}  // namespace

Tensor prod(const Tensor& a) {
  check_defined("prod", a);
  uint64_t mask = dims_mask({}, a.dim(), "prod");
  Tensor out = reduce_raw(ReduceOp::Prod, a, mask, false, prod_dtype(a.dtype()));
  if (auto n = record("ProdBackward0", prod_backward, {&a}, {&out})) {
    n->save({a});
    n->ints = {static_cast<int64_t>(mask)};
    n->flag = false;
  }
  return out;
}

Tensor prod(const Tensor& a, int64_t dim, bool keepdim) {
  check_defined("prod", a);
  uint64_t mask = dims_mask({dim}, a.dim(), "prod");
  Tensor out = reduce_raw(ReduceOp::Prod, a, mask, keepdim, prod_dtype(a.dtype()));
  if (auto n = record("ProdBackward1", prod_backward, {&a}, {&out})) {
    n->save({a});
    n->ints = {static_cast<int64_t>(mask), wrap_dim(dim, a.dim(), "prod")};
    n->flag = keepdim;
  }
  return out;
}

// ---- amax / amin: ties share the gradient evenly
namespace {
TensorList amax_backward(OpNode& n, const TensorList& g) {
  Tensor x = n.saved(0), out = n.saved(1);
  const uint64_t mask = static_cast<uint64_t>(n.ints[0]);
  std::vector<int64_t> dims;
  for (int64_t d = 0; d < x.dim(); ++d)
    if (mask >> d & 1) dims.push_back(d);
  Tensor hit = to_dtype(compare(BinaryOp::Eq, x, keep_grad(out, x.sizes(), mask, n.flag)), g[0].dtype());
  Tensor cnt = dims.empty() ? hit : sum(hit, dims, true);
  return {hit * div(keep_grad(g[0], x.sizes(), mask, n.flag), cnt)};
}

Tensor extreme(const Tensor& a, const std::vector<int64_t>& dims, bool keepdim, bool is_max) {
  const char* name = is_max ? "amax" : "amin";
  check_defined(name, a);
  uint64_t mask = dims_mask(dims, a.dim(), name);
  if (a.numel() == 0) {
    for (int64_t d = 0; d < a.dim(); ++d)
      TG_CHECK_INDEX(!(mask >> d & 1) || a.size(d) > 0, name, "(): Expected reduction dim ", d,
                     " to have non-zero size.");
  }
  Tensor out = reduce_raw(is_max ? ReduceOp::Max : ReduceOp::Min, a, mask, keepdim, a.dtype());
  if (auto n = record(is_max ? "AmaxBackward0" : "AminBackward0", amax_backward, {&a}, {&out})) {
    n->save({a});
    n->save_output(out);
    n->ints = {static_cast<int64_t>(mask)};
    n->flag = keepdim;
  }
  return out;
}
}  // namespace

Tensor amax(const Tensor& a, const std::vector<int64_t>& dims, bool keepdim) { return extreme(a, dims, keepdim, true); }
Tensor amin(const Tensor& a, const std::vector<int64_t>& dims, bool keepdim) { return extreme(a, dims, keepdim, false); }

// ---- var / std
namespace {
std::vector<int64_t> dims_list(uint64_t mask, int64_t nd) {
  std::vector<int64_t> dims;
  for (int64_t d = 0; d < nd; ++d)
    if (mask >> d & 1) dims.push_back(d);
  return dims;
}

Tensor centered(const Tensor& x, uint64_t mask) {
  if (x.dim() == 0) return x - x;
  return x - mean(x, dims_list(mask, x.dim()), true);
}

// n.scalar = max(N - correction, 0).
TensorList var_backward(OpNode& n, const TensorList& g) {
  Tensor x = n.saved(0);
  const uint64_t mask = static_cast<uint64_t>(n.ints[0]);
  return {keep_grad(g[0], x.sizes(), mask, n.flag) * centered(x, mask) * (2.0 / n.scalar)};
}

TensorList std_backward(OpNode& n, const TensorList& g) {
  Tensor x = n.saved(0), out = keep_grad(n.saved(1), x.sizes(), n.ints[0], n.flag);
  const uint64_t mask = static_cast<uint64_t>(n.ints[0]);
  Tensor gk = keep_grad(g[0], x.sizes(), mask, n.flag);
  Tensor safe = where(compare(BinaryOp::Eq, out, Scalar(0.0)), ones({}, out.dtype(), out.device()), out);
  Tensor gs = where(compare(BinaryOp::Eq, out, Scalar(0.0)), zeros({}, gk.dtype(), gk.device()), div(gk, safe));
  return {gs * centered(x, mask) * (1.0 / n.scalar)};
}

Tensor var_std(const Tensor& a, const std::vector<int64_t>& dims, double correction, bool keepdim, bool is_std) {
  const char* name = is_std ? "std" : "var";
  check_defined(name, a);
  TG_CHECK_DTYPE(is_floating(a.dtype()), "std and var only support floating point and complex dtypes");
  uint64_t mask = dims_mask(dims, a.dim(), name);
  const double denom = std::max(0.0, static_cast<double>(count_of(a.sizes(), mask)) - correction);
  Tensor out;
  {
    AutoGradMode off(false);
    Tensor c = centered(a, mask);
    Tensor ss = a.dim() == 0 ? c * c : sum(c * c, dims_list(mask, a.dim()), keepdim);
    out = div(ss, Scalar(denom));
    if (is_std) out = sqrt(out);
    out = fresh_copy(out);
  }
  if (auto n = record(is_std ? "StdBackward0" : "VarBackward0", is_std ? std_backward : var_backward, {&a}, {&out})) {
    n->save({a});
    if (is_std) n->save_output(out);
    n->ints = {static_cast<int64_t>(mask)};
    n->flag = keepdim;
    n->scalar = denom;
  }
  return out;
}
}  // namespace

Tensor var(const Tensor& a, const std::vector<int64_t>& dims, double correction, bool keepdim) {
  return var_std(a, dims, correction, keepdim, false);
}
Tensor std_(const Tensor& a, const std::vector<int64_t>& dims, double correction, bool keepdim) {
  return var_std(a, dims, correction, keepdim, true);
}

// ---- logsumexp
namespace {
TensorList logsumexp_backward(OpNode& n, const TensorList& g) {
  Tensor x = n.saved(0), out = n.saved(1);
  const uint64_t mask = static_cast<uint64_t>(n.ints[0]);
  return {keep_grad(g[0], x.sizes(), mask, n.flag) * exp(x - keep_grad(out, x.sizes(), mask, n.flag))};
}
}  // namespace

Tensor logsumexp(const Tensor& a0, const std::vector<int64_t>& dims, bool keepdim) {
  check_defined("logsumexp", a0);
  Tensor a = is_floating(a0.dtype()) ? a0 : to_dtype(a0, kDefaultFloat);
  uint64_t mask = dims_mask(dims, a.dim(), "logsumexp");
  Tensor out;
  {
    AutoGradMode off(false);
    Tensor m = a.numel() == 0 ? zeros(keepdim_shape(a.sizes(), mask), a.dtype(), a.device())
                              : reduce_raw(ReduceOp::Max, a, mask, true, a.dtype());
    Tensor inf = compare(BinaryOp::Eq, abs(m), Scalar(std::numeric_limits<double>::infinity()));
    m = where(inf, zeros({}, a.dtype(), a.device()), m);
    Tensor e = exp(a - m);
    Tensor s = a.dim() == 0 ? e : sum(e, dims_list(mask, a.dim()), true);
    Tensor r = log(s) + m;
    out = keepdim ? fresh_copy(r) : fresh_copy(reshape_raw(r, squeezed_shape(a.sizes(), mask)));
  }
  if (auto n = record("LogsumexpBackward0", logsumexp_backward, {&a}, {&out})) {
    n->save({a});
    n->save_output(out);
    n->ints = {static_cast<int64_t>(mask)};
    n->flag = keepdim;
  }
  return out;
}

// ---- norm (torch.linalg.vector_norm semantics)
namespace {
TensorList norm_backward(OpNode& n, const TensorList& g) {
  Tensor x = n.saved(0);
  const uint64_t mask = static_cast<uint64_t>(n.ints[0]);
  Tensor out = keep_grad(n.saved(1), x.sizes(), mask, n.flag);
  Tensor gk = keep_grad(g[0], x.sizes(), mask, n.flag);
  const double p = n.scalar;
  Tensor zero = zeros({}, x.dtype(), x.device()), one = ones({}, x.dtype(), x.device());
  if (p == 0) return {x * 0.0};
  if (p == 1) return {gk * sign(x)};
  if (std::isinf(p)) {
    Tensor hit = to_dtype(compare(BinaryOp::Eq, abs(x), out), x.dtype());
    std::vector<int64_t> dims = dims_list(mask, x.dim());
    Tensor cnt = dims.empty() ? hit : sum(hit, dims, true);
    return {sign(x) * hit * div(gk, cnt)};
  }
  Tensor is0 = compare(BinaryOp::Eq, out, Scalar(0.0));
  Tensor safe = where(is0, one, out);
  if (p == 2) return {x * where(is0, zero, div(gk, safe))};
  // g * x |x|^(p-2) / out^(p-1)
  Tensor scale = where(is0, zero, div(gk, pow(safe, Scalar(p - 1))));
  return {x * pow(abs(x), Scalar(p - 2)) * scale};
}
}  // namespace

Tensor norm(const Tensor& a, double p, const std::vector<int64_t>& dims, bool keepdim, const char* node_name) {
  check_defined("norm", a);
  TG_CHECK_DTYPE(is_floating(a.dtype()), "linalg.vector_norm: Expected a floating point or complex tensor as input. Got ",
                 dtype_legacy_name(a.dtype()));
  uint64_t mask = dims_mask(dims, a.dim(), "linalg.vector_norm");
  if (p < 0 || std::isinf(p)) {
    for (int64_t d = 0; d < a.dim(); ++d)
      TG_CHECK_INDEX(!(mask >> d & 1) || a.size(d) > 0, "linalg.vector_norm cannot compute the ", p,
                     " norm on an empty tensor because the operation does not have an identity");
  }
  Tensor out;
  {
    AutoGradMode off(false);
    Tensor r;
    if (std::isinf(p)) r = reduce_raw(p > 0 ? ReduceOp::Max : ReduceOp::Min, abs(a), mask, keepdim, a.dtype());
    else if (p == 0) r = reduce_raw(ReduceOp::Sum, to_dtype(compare(BinaryOp::Ne, a, Scalar(0.0)), a.dtype()), mask, keepdim, a.dtype());
    else if (p == 1) r = reduce_raw(ReduceOp::Sum, abs(a), mask, keepdim, a.dtype());
    else if (p == 2) r = sqrt(reduce_raw(ReduceOp::SumSquares, a, mask, keepdim, a.dtype()));  // one pass, no |x|^2 tensor
    else r = pow(reduce_raw(ReduceOp::Sum, pow(abs(a), Scalar(p)), mask, keepdim, a.dtype()), Scalar(1.0 / p));
    out = fresh_copy(r);
  }
  if (auto n = record(node_name, norm_backward, {&a}, {&out})) {
    n->save({a});
    n->save_output(out);
    n->ints = {static_cast<int64_t>(mask)};
    n->flag = keepdim;
    n->scalar = p;
  }
  return out;
}

// ---- all / any / count_nonzero (no gradient)
namespace {
Tensor logical_reduce(const Tensor& a, const std::vector<int64_t>& dims, bool keepdim, bool is_all) {
  const char* name = is_all ? "all" : "any";
  check_defined(name, a);
  uint64_t mask = dims_mask(dims, a.dim(), name);
  Tensor b = a.dtype() == DType::Bool ? a : compare(BinaryOp::Ne, detach(a), Scalar(0.0));
  Tensor out = reduce_raw(is_all ? ReduceOp::All : ReduceOp::Any, b, mask, keepdim, DType::Bool);
  if (a.numel() == 0) backend_of(out).fill(out, Scalar(is_all ? 1.0 : 0.0));
  return a.dtype() == DType::UInt8 ? cast_raw(out, DType::UInt8) : out;
}
}  // namespace

Tensor all(const Tensor& a, const std::vector<int64_t>& dims, bool keepdim) { return logical_reduce(a, dims, keepdim, true); }
Tensor any(const Tensor& a, const std::vector<int64_t>& dims, bool keepdim) { return logical_reduce(a, dims, keepdim, false); }

Tensor count_nonzero(const Tensor& a, const std::vector<int64_t>& dims) {
  check_defined("count_nonzero", a);
  uint64_t mask = dims_mask(dims, a.dim(), "count_nonzero");
  Tensor nz = compare(BinaryOp::Ne, detach(a), Scalar(0.0));
  return reduce_raw(ReduceOp::Sum, nz, mask, false, DType::Int64);
}

// ---- cumulative scans
namespace {
Tensor scan_raw(int kind, const Tensor& a, int64_t d, DType dtype, Tensor* indices) {
  Tensor ac = contiguous_raw(cast_raw(a, dtype));
  Tensor out = Tensor::empty(ac.sizes(), dtype, a.device());
  Tensor il;
  if (indices) il = Tensor::empty(ac.sizes(), DType::Int64, a.device());
  if (ac.numel() > 0) backend_of(a).scan(kind, out, il, ac, d);
  if (indices) *indices = il;
  return out;
}

TensorList cumsum_backward(OpNode& n, const TensorList& g) {
  if (g[0].dim() == 0) return {g[0]};
  return {flip(cumsum(flip(g[0], {n.offset}), n.offset), {n.offset})};
}

// Exact with zeros: for each i, sum over k >= i of g_k * prod_{j <= k, j != i} x_j, written
// as a sum over the n shifted masks (O(n^2)), used when the slice holds a zero.
TensorList cumprod_backward(OpNode& n, const TensorList& g) {
  Tensor x = n.saved(0), out = n.saved(1);
  const int64_t d = n.offset;
  if (x.dim() == 0) return {g[0]};
  Tensor z = compare(BinaryOp::Eq, x, Scalar(0.0));
  Tensor one = ones({}, x.dtype(), x.device()), zero = zeros({}, x.dtype(), x.device());
  Tensor xs = where(z, one, x);
  // No zero anywhere: reverse cumsum(g * out) / x.
  Tensor rc = flip(cumsum(flip(g[0] * out, {d}), d), {d});
  Tensor fast = div(rc, xs);
  if (!has_zero(x)) return {fast};
  // General: for each position i, cumprod of x with x_i replaced by 1, masked to k >= i.
  const int64_t len = x.size(d);
  TensorList parts;
  for (int64_t i = 0; i < len; ++i) {
    Shape ps(x.dim(), 1);
    ps[d] = len;
    std::vector<double> sel(static_cast<size_t>(len), 0.0), after(static_cast<size_t>(len), 0.0);
    sel[static_cast<size_t>(i)] = 1.0;
    for (int64_t k = i; k < len; ++k) after[static_cast<size_t>(k)] = 1.0;
    Tensor selt = to_dtype(from_host(sel.data(), ps, DType::Float64, x.device()), x.dtype());
    Tensor aftt = to_dtype(from_host(after.data(), ps, DType::Float64, x.device()), x.dtype());
    Tensor xi = where(compare(BinaryOp::Eq, selt, Scalar(1.0)), one, x);
    Tensor c = cumprod(xi, d) * aftt * g[0];
    parts.push_back(sum(c, {d}, true));
  }
  return {cat(parts, d)};
}
}  // namespace

Tensor cumsum(const Tensor& a, int64_t dim) {
  check_defined("cumsum", a);
  int64_t d = wrap_dim(dim, a.dim(), "cumsum");
  Tensor out = scan_raw(0, a, d, is_floating(a.dtype()) ? a.dtype() : DType::Int64, nullptr);
  if (auto n = record("CumsumBackward0", cumsum_backward, {&a}, {&out})) n->offset = d;
  return out;
}

Tensor cumprod(const Tensor& a, int64_t dim) {
  check_defined("cumprod", a);
  int64_t d = wrap_dim(dim, a.dim(), "cumprod");
  Tensor out = scan_raw(1, a, d, is_floating(a.dtype()) ? a.dtype() : DType::Int64, nullptr);
  if (auto n = record("CumprodBackward0", cumprod_backward, {&a}, {&out})) {
    n->offset = d;
    n->save({a});
    n->save_output(out);
  }
  return out;
}

namespace {
std::pair<Tensor, Tensor> cum_extreme(const Tensor& a, int64_t dim, bool is_max) {
  const char* name = is_max ? "cummax" : "cummin";
  check_defined(name, a);
  int64_t d = wrap_dim(dim, a.dim(), name);
  Tensor idx;
  Tensor out = scan_raw(is_max ? 2 : 3, a, d, a.dtype(), &idx);
  if (a.dim() == 0) idx = zeros({}, DType::Int64, a.device());
  record_indexed(is_max ? "CummaxBackward0" : "CumminBackward0", a, out, idx, d, true);
  return {out, idx};
}
}  // namespace

std::pair<Tensor, Tensor> cummax(const Tensor& a, int64_t dim) { return cum_extreme(a, dim, true); }
std::pair<Tensor, Tensor> cummin(const Tensor& a, int64_t dim) { return cum_extreme(a, dim, false); }

// ---- sort and friends
std::pair<Tensor, Tensor> sort(const Tensor& a, int64_t dim, bool descending, bool stable) {
  check_defined("sort", a);
  int64_t d = wrap_dim(dim, a.dim(), "sort");
  auto [v, i] = sort_raw(a, d, descending, stable);
  record_indexed("SortBackward0", a, v, i, d, true);
  return {v, i};
}

Tensor argsort(const Tensor& a, int64_t dim, bool descending, bool stable) {
  check_defined("argsort", a);
  int64_t d = wrap_dim(dim, a.dim(), "argsort");
  return sort_raw(a, d, descending, stable).second;
}

std::pair<Tensor, Tensor> topk(const Tensor& a, int64_t k, int64_t dim, bool largest, bool sorted) {
  check_defined("topk", a);
  int64_t d = wrap_dim(dim, a.dim(), "topk");
  const int64_t n = a.dim() == 0 ? 1 : a.size(d);
  TG_CHECK_INDEX(k >= 0 && k <= n, "selected index k out of range");
  TG_CHECK_DTYPE(a.dtype() != DType::Bool, "topk does not support bool dtypes on CPU");
  const int64_t m = a.dim() == 0 ? 1 : k;  // a 0-d input gives itself for k = 0 too, as in PyTorch
  auto [v, i] = select_raw(a, d, m, [&](const Tensor& vl, const Tensor& il, const Tensor& al) {
    backend_of(a).topk_last(vl, il, al, m, largest, sorted);
  });
  record_indexed("TopkBackward0", a, v, i, d, true);
  return {v, i};
}

namespace {
// The element at sorted position pos along d and its index (kth_last: kthvalue's choice
// among ties, or median's), keepdim or not.
std::pair<Tensor, Tensor> pick_sorted(const Tensor& a, int64_t d, int64_t pos, bool keepdim, const char* node,
                                      bool median) {
  TG_CHECK_KIND(ErrorKind::NotImplemented, a.dtype() != DType::Bool, "\"", median ? "median_out" : "kthvalue_cpu",
                "\" not implemented for 'Bool'");
  auto [vk, ik] = select_raw(a, d, 1, [&](const Tensor& vl, const Tensor& il, const Tensor& al) {
    backend_of(a).kth_last(vl, il, al, pos, median);
  });
  Tensor kept = ik;
  if (!keepdim) {
    vk = fresh_copy(squeeze_raw(vk, d));
    ik = fresh_copy(squeeze_raw(ik, d));
  }
  record_indexed(node, a, vk, kept, d, keepdim);
  return {vk, ik};
}
}  // namespace

std::pair<Tensor, Tensor> kthvalue(const Tensor& a, int64_t k, int64_t dim, bool keepdim) {
  check_defined("kthvalue", a);
  int64_t d = wrap_dim(dim, a.dim(), "kthvalue");
  const int64_t n = a.dim() == 0 ? 1 : a.size(d);
  TG_CHECK_INDEX(k >= 1 && k <= n, "kthvalue(): selected number k out of range for dimension ", d);
  return pick_sorted(a, d, k - 1, keepdim, "KthvalueBackward0", false);
}

std::pair<Tensor, Tensor> median_dim(const Tensor& a, int64_t dim, bool keepdim) {
  check_defined("median", a);
  int64_t d = wrap_dim(dim, a.dim(), "median");
  const int64_t n = a.dim() == 0 ? 1 : a.size(d);
  TG_CHECK_INDEX(n > 0, "median(): Expected reduction dim ", d, " to have non-zero size.");
  return pick_sorted(a, d, (n - 1) / 2, keepdim, "MedianBackward1", true);
}

namespace {
// median(): ties with the result share the gradient evenly (spec Q).
TensorList median_all_backward(OpNode& n, const TensorList& g) {
  Tensor x = n.saved(0), out = n.saved(1);
  Tensor hit = to_dtype(compare(BinaryOp::Eq, x, out), g[0].dtype());
  return {hit * div(g[0], sum(hit))};
}
}  // namespace

Tensor median(const Tensor& a) {
  check_defined("median", a);
  TG_CHECK_KIND(ErrorKind::NotImplemented, a.dtype() != DType::Bool, "\"median_cpu\" not implemented for 'Bool'");
  Tensor flat = reshape_raw(a, {a.numel()});
  Tensor out;
  if (a.numel() == 0) {
    out = full({}, Scalar(std::nan("")), a.dtype(), a.device());
  } else {
    AutoGradMode off(false);
    out = fresh_copy(reshape_raw(pick_sorted(flat, 0, (a.numel() - 1) / 2, true, "MedianBackward1", true).first, {}));
  }
  if (auto n = record("MedianBackward0", median_all_backward, {&a}, {&out})) {
    n->save({a});
    n->save_output(out);
  }
  return out;
}

std::pair<Tensor, Tensor> mode(const Tensor& a, int64_t dim, bool keepdim) {
  check_defined("mode", a);
  int64_t d = wrap_dim(dim, a.dim(), "mode");
  Tensor al = to_last(a, d);
  const int64_t n = al.dim() == 0 ? 1 : al.size(al.dim() - 1);
  TG_CHECK_INDEX(n > 0, "mode(): Expected reduction dim ", d, " to have non-zero size.");
  const int64_t rows = al.numel() / n;
  Tensor sv = Tensor::empty(al.sizes(), a.dtype(), a.device()), si = Tensor::empty(al.sizes(), DType::Int64, a.device());
  backend_of(a).sort_last(sv, si, al, false, true);
  // Runs of equal sorted values, compared as float64 on the host: the longest run (the
  // smallest value among equally long runs); its index is the run's last source index.
  Tensor svd = cast_raw(sv, DType::Float64);
  std::vector<double> vals(static_cast<size_t>(al.numel()));
  std::vector<int64_t> ids(static_cast<size_t>(al.numel()));
  if (!vals.empty()) {
    backend_of(a).to_host(vals.data(), contiguous_raw(svd));
    backend_of(a).to_host(ids.data(), si);
  }
  std::vector<int64_t> pick_pos(static_cast<size_t>(rows)), pick_idx(static_cast<size_t>(rows));
  for (int64_t r = 0; r < rows; ++r) {
    int64_t best_len = 0, best_pos = 0;
    for (int64_t j = 0; j < n;) {
      int64_t k = j;
      int64_t last_idx = ids[static_cast<size_t>(r * n + j)];
      while (k + 1 < n && vals[static_cast<size_t>(r * n + k + 1)] == vals[static_cast<size_t>(r * n + j)]) {
        ++k;
        last_idx = std::max(last_idx, ids[static_cast<size_t>(r * n + k)]);
      }
      if (k - j + 1 > best_len) {
        best_len = k - j + 1;
        best_pos = j;
        pick_idx[static_cast<size_t>(r)] = last_idx;
      }
      j = k + 1;
    }
    pick_pos[static_cast<size_t>(r)] = best_pos;
  }
  Shape ks = al.sizes();
  ks.back() = 1;
  Tensor idx_l = from_host(pick_idx.data(), ks, DType::Int64, a.device());
  Tensor vals_l = Tensor::empty(ks, a.dtype(), a.device());
  if (rows > 0) backend_of(a).gather_last(vals_l, al, idx_l);
  Tensor v = from_last(vals_l, d, a.dim()), i = from_last(idx_l, d, a.dim());
  Tensor kept = i;
  if (!keepdim) {
    v = fresh_copy(squeeze_raw(v, d));
    i = fresh_copy(squeeze_raw(i, d));
  }
  record_indexed("ModeBackward0", a, v, kept, d, keepdim);
  return {v, i};
}

// ---- unique (over the flattened input; always sorted, as PyTorch's CPU kernel)
namespace {
template <typename T>
void unique_runs(const Tensor& sorted, std::vector<int64_t>& starts, std::vector<int64_t>& run_of) {
  std::vector<T> v(static_cast<size_t>(sorted.numel()));
  if (!v.empty()) backend_of(sorted).to_host(v.data(), sorted);
  for (size_t k = 0; k < v.size(); ++k) {
    if (k == 0 || !(v[k] == v[k - 1])) starts.push_back(static_cast<int64_t>(k));
    run_of[k] = static_cast<int64_t>(starts.size()) - 1;
  }
}
}  // namespace

std::tuple<Tensor, Tensor, Tensor> unique(const Tensor& a) {
  check_defined("unique", a);
  const int64_t n = a.numel();
  Tensor flat = reshape_raw(a, {n});
  auto [v, i] = sort_raw(flat, 0, false, true);
  std::vector<int64_t> starts, run_of(static_cast<size_t>(n));
  if (is_floating(a.dtype())) unique_runs<double>(contiguous_raw(cast_raw(v, DType::Float64)), starts, run_of);
  else unique_runs<int64_t>(contiguous_raw(cast_raw(v, DType::Int64)), starts, run_of);
  const int64_t u = static_cast<int64_t>(starts.size());
  std::vector<int64_t> ids(static_cast<size_t>(n)), inverse(static_cast<size_t>(n)), counts(static_cast<size_t>(u));
  if (n > 0) backend_of(a).to_host(ids.data(), i);
  for (int64_t k = 0; k < n; ++k) {
    inverse[static_cast<size_t>(ids[static_cast<size_t>(k)])] = run_of[static_cast<size_t>(k)];
    counts[static_cast<size_t>(run_of[static_cast<size_t>(k)])] += 1;
  }
  Tensor start_t = from_host(starts.data(), {u}, DType::Int64, a.device());
  Tensor values = Tensor::empty({u}, a.dtype(), a.device());
  if (u > 0) backend_of(a).gather_last(values, v, start_t);
  Tensor inv = from_host(inverse.data(), a.sizes(), DType::Int64, a.device());
  Tensor cnt = from_host(counts.data(), {u}, DType::Int64, a.device());
  return {values, inv, cnt};
}

}  // namespace tg

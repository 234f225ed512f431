// linalg.vector_norm: one node named LinalgVectorNormBackward0 whose formula (written in
// differentiable ops) gives 0 where the norm is 0 and splits the gradient evenly among
// ties for +-inf, as PyTorch does.
#include "ops/linalg_ext.h"
#include <algorithm>
#include <cmath>
#include "autograd/function.h"
#include "autograd/grad_mode.h"
#include "core/shape.h"
#include "ops/helpers.h"
#include "ops/indexing.h"

namespace tg {
namespace {

std::vector<int64_t> norm_dims(const std::vector<int64_t>& dims, int64_t ndim) {
  std::vector<int64_t> out;
  if (dims.empty()) {
    for (int64_t d = 0; d < ndim; ++d) out.push_back(d);
    return out;
  }
  for (int64_t d : dims) {
    int64_t w = wrap_dim(d, std::max<int64_t>(ndim, 1), "linalg.vector_norm");
    TG_CHECK(std::find(out.begin(), out.end(), w) == out.end(), "linalg.vector_norm: dim ", w, " appears multiple times in the list of dims");
    out.push_back(w);
  }
  std::sort(out.begin(), out.end());
  return out;
}

// Max/min over several dims (keepdim), unrecorded.
Tensor extreme(const Tensor& a, const std::vector<int64_t>& dims, bool is_max) {
  uint64_t mask = 0;
  for (int64_t d : dims) mask |= uint64_t(1) << d;
  Shape kd = a.sizes();
  for (int64_t d : dims) kd[d] = 1;
  Tensor out = Tensor::empty(kd, a.dtype(), a.device());
  if (out.numel() > 0) backend_of(a).reduce(is_max ? ReduceOp::Max : ReduceOp::Min, out, a, mask);
  return out;
}

// The norm with keepdim shape (unrecorded).
Tensor norm_keepdim(const Tensor& a, double ord, const std::vector<int64_t>& dims) {
  AutoGradMode no_grad(false);
  Tensor x = abs(a);
  if (dims.empty()) x = reshape(x, {1});  // 0-d: one element
  const std::vector<int64_t> ds = dims.empty() ? std::vector<int64_t>{0} : dims;
  if (std::isinf(ord)) return extreme(x, ds, ord > 0);
  if (ord == 0) return sum(to_dtype(compare(BinaryOp::Ne, x, Scalar::integer(0)), a.dtype()), ds, true);
  if (ord == 1) return sum(x, ds, true);
  if (ord == 2) return sqrt(sum(mul(x, x), ds, true));
  return pow(sum(pow(x, Scalar(ord)), ds, true), Scalar(1.0 / ord));
}

// n.scalar = ord, n.ints = dims (sorted; empty for a 0-d input), n.flag = keepdim; saved:
// input. The norm is recomputed here in recorded ops so that double backward sees it.
TensorList vector_norm_backward(OpNode& n, const TensorList& g) {
  Tensor x = n.saved(0);
  Tensor nrm = vector_norm(x, n.scalar, n.ints, true);
  const double ord = n.scalar;
  Tensor gk = g[0];
  if (!n.flag) {
    for (int64_t d : n.ints) gk = unsqueeze(gk, d);
  }
  if (x.dim() == 0) {
    gk = reshape(gk, {});
    nrm = reshape(nrm, {});
  }
  if (ord == 0) return {zeros_like(x)};
  Tensor zero = compare(BinaryOp::Eq, nrm, Scalar::integer(0));
  Tensor s;
  if (std::isinf(ord)) {
    Tensor tie = to_dtype(compare(BinaryOp::Eq, abs(x), nrm), x.dtype());
    Tensor cnt = x.dim() == 0 ? tie : sum(tie, n.ints, true);
    s = div(mul(sign(x), tie), cnt);
  } else if (ord == 1) {
    s = sign(x);
  } else if (ord == 2) {
    s = masked_fill(div(x, nrm), zero, Scalar::integer(0));
  } else {
    // sign(x) |x|^(ord-1) / norm^(ord-1)
    s = masked_fill(div(mul(sign(x), pow(abs(x), Scalar(ord - 1))), pow(nrm, Scalar(ord - 1))), zero, Scalar::integer(0));
  }
  return {mul(s, gk)};
}

// ---- addmm / addmv / baddbmm: beta * input + alpha * prod(m1, m2), one node each.
// n.scalar = beta, n.scalar2 = alpha; saved: m1, m2.
enum class Affine { MM, MV, BMM };

TensorList addmm_backward(OpNode& n, const TensorList& g) {
  Tensor m1 = n.saved(0), m2 = n.saved(1);
  return {mul(g[0], Scalar(n.scalar)), mul(mm(g[0], t(m2)), Scalar(n.scalar2)), mul(mm(t(m1), g[0]), Scalar(n.scalar2))};
}
TensorList addmv_backward(OpNode& n, const TensorList& g) {
  Tensor m = n.saved(0), v = n.saved(1);
  return {mul(g[0], Scalar(n.scalar)), mul(mul(unsqueeze(g[0], 1), unsqueeze(v, 0)), Scalar(n.scalar2)),
          mul(mv(t(m), g[0]), Scalar(n.scalar2))};
}
TensorList baddbmm_backward(OpNode& n, const TensorList& g) {
  Tensor m1 = n.saved(0), m2 = n.saved(1);
  return {mul(g[0], Scalar(n.scalar)), mul(bmm(g[0], transpose(m2, 1, 2)), Scalar(n.scalar2)),
          mul(bmm(transpose(m1, 1, 2), g[0]), Scalar(n.scalar2))};
}

Tensor affine(Affine kind, const Tensor& input, const Tensor& m1, const Tensor& m2, Scalar beta, Scalar alpha) {
  static const char* names[] = {"AddmmBackward0", "AddmvBackward0", "BaddbmmBackward0"};
  static const OpNode::Formula formulas[] = {addmm_backward, addmv_backward, baddbmm_backward};
  Tensor out;
  {
    AutoGradMode no_grad(false);
    Tensor p = kind == Affine::MM ? mm(m1, m2) : kind == Affine::MV ? mv(m1, m2) : bmm(m1, m2);
    if (alpha.value != 1) p = mul(p, alpha);
    if (beta.value == 0) {
      broadcast_shapes(input.sizes(), p.sizes(), names[static_cast<int>(kind)]);
      out = p;
    } else {
      Tensor in = beta.value == 1 ? input : mul(input, beta);
      out = add(in, p);
    }
    TG_CHECK_SHAPE(out.sizes() == p.sizes(), "The expanded size of the tensor must match the existing size: input ",
                   shape_str(input.sizes()), " cannot be broadcast to ", shape_str(p.sizes()));
  }
  if (auto n = record(names[static_cast<int>(kind)], formulas[static_cast<int>(kind)], {&input, &m1, &m2}, {&out})) {
    n->scalar = beta.value;
    n->scalar2 = alpha.value;
    n->save({m1, m2});
  }
  return out;
}

// ---- cross: n.offset = dim; saved a, b (broadcast views).
TensorList cross_backward(OpNode& n, const TensorList& g) {
  Tensor a = n.saved(0), b = n.saved(1);
  return {linalg_cross(b, g[0], n.offset), linalg_cross(g[0], a, n.offset)};
}

}  // namespace

Tensor linalg_cross(const Tensor& a, const Tensor& b, int64_t dim) {
  check_defined("linalg.cross", a);
  check_defined("linalg.cross", b);
  TG_CHECK_SHAPE(a.dim() == b.dim(), "linalg.cross: inputs must have the same number of dimensions.");
  Shape shape = broadcast_shapes(a.sizes(), b.sizes(), "linalg.cross");
  const int64_t given = dim;
  dim = wrap_dim(dim, static_cast<int64_t>(shape.size()), "linalg.cross");
  TG_CHECK_SHAPE(a.size(dim) == 3 && b.size(dim) == 3, "linalg.cross: inputs dimension ", given, " must have length 3. Got ",
                 a.size(dim), " and ", b.size(dim));
  Tensor out;
  {
    AutoGradMode no_grad(false);
    const int64_t i1v[3] = {1, 2, 0}, i2v[3] = {2, 0, 1};
    Tensor i1 = from_host(i1v, {3}, DType::Int64, a.device()), i2 = from_host(i2v, {3}, DType::Int64, a.device());
    Tensor ea = expand(a, shape), eb = expand(b, shape);
    out = sub(mul(index_select(ea, dim, i1), index_select(eb, dim, i2)), mul(index_select(ea, dim, i2), index_select(eb, dim, i1)));
  }
  if (auto n = record("LinalgCrossBackward0", cross_backward, {&a, &b}, {&out})) {
    n->offset = dim;
    n->save({a, b});
  }
  return out;
}

Tensor addmm(const Tensor& input, const Tensor& m1, const Tensor& m2, Scalar beta, Scalar alpha) {
  TG_CHECK_SHAPE(m1.dim() == 2, "mat1 must be a matrix, got ", m1.dim(), "-D tensor");
  TG_CHECK_SHAPE(m2.dim() == 2, "mat2 must be a matrix, got ", m2.dim(), "-D tensor");
  return affine(Affine::MM, input, m1, m2, beta, alpha);
}
Tensor addmv(const Tensor& input, const Tensor& mat, const Tensor& vec, Scalar beta, Scalar alpha) {
  TG_CHECK_SHAPE(mat.dim() == 2 && vec.dim() == 1, "vector + matrix @ vector expected, got ", input.dim(), ", ", mat.dim(), ", ",
                 vec.dim());
  return affine(Affine::MV, input, mat, vec, beta, alpha);
}
Tensor baddbmm(const Tensor& input, const Tensor& b1, const Tensor& b2, Scalar beta, Scalar alpha) {
  TG_CHECK_SHAPE(b1.dim() == 3, "batch1 must be a 3D tensor");
  TG_CHECK_SHAPE(b2.dim() == 3, "batch2 must be a 3D tensor");
  return affine(Affine::BMM, input, b1, b2, beta, alpha);
}

Tensor vector_norm(const Tensor& a, double ord, const std::vector<int64_t>& dims_in, bool keepdim) {
  check_defined("linalg.vector_norm", a);
  TG_CHECK_DTYPE(is_floating(a.dtype()), "linalg.vector_norm: Expected a floating point or complex tensor as input. Got ",
                 dtype_legacy_name(a.dtype()));
  std::vector<int64_t> dims = norm_dims(dims_in, a.dim());
  if (a.dim() == 0) dims.clear();
  if (ord < 0 || std::isinf(ord)) {
    for (int64_t d : dims) {
      TG_CHECK_INDEX(a.size(d) > 0, "linalg.vector_norm cannot compute the ", ord, " norm on the dimension ", d,
                     "because this dimension is empty and the operation does not have an identity");
    }
    TG_CHECK_INDEX(a.numel() > 0 || !dims.empty(), "linalg.vector_norm cannot compute the ", ord,
                   " norm on an empty tensor because the operation does not have an identity");
  }
  Tensor nk = norm_keepdim(a, ord, dims);
  Tensor out = nk;
  if (a.dim() == 0) {
    out = reshape(nk, {});
  } else if (!keepdim) {
    Shape s;
    for (int64_t d = 0; d < a.dim(); ++d)
      if (std::find(dims.begin(), dims.end(), d) == dims.end()) s.push_back(a.size(d));
    out = Tensor::view_of(nk, s, contiguous_strides(s), nk.impl()->offset());
  }
  if (auto n = record("LinalgVectorNormBackward0", vector_norm_backward, {&a}, {&out})) {
    n->scalar = ord;
    n->ints = dims;
    n->flag = keepdim;
    n->save({a});
  }
  return out;
}

}  // namespace tg

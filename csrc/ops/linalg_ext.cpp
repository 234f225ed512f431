// Linear algebra beyond the foundation's matmul family: addmm/addmv/baddbmm and cross. (The
// vector norm lives in reduce_ext.cpp; matrix norms and einsum are composed in lib/ops/linalg.ts.)
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

// ---- addmm / addmv / baddbmm: beta * input + alpha * prod(m1, m2), one node each.
// n.scalar = beta, n.scalar2 = alpha; saved: m1, m2.
enum class Affine { MV, BMM };

Tensor scaled(const Tensor& x, double s) { return s == 1 ? x : mul(x, Scalar(s)); }

TensorList addmm_backward(OpNode& n, const TensorList& g) {
  Tensor m1 = n.saved(0), m2 = n.saved(1);
  return {n.needs_input_grad(0) ? scaled(g[0], n.scalar) : Tensor(),
          n.needs_input_grad(1) ? product_grad(n.next_edges()[1], g[0], t(m2), n.scalar2, m1) : Tensor(),
          n.needs_input_grad(2) ? product_grad(n.next_edges()[2], t(m1), g[0], n.scalar2) : Tensor()};
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
  static const char* names[] = {"AddmvBackward0", "BaddbmmBackward0"};
  static const OpNode::Formula formulas[] = {addmv_backward, baddbmm_backward};
  Tensor out;
  {
    AutoGradMode no_grad(false);
    Tensor p = kind == Affine::MV ? mv(m1, m2) : bmm(m1, m2);
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

// One pass over the output: input (scaled by beta) is laid down first and the gemm
// accumulates alpha * m1 @ m2 onto it. This is linear's hot path (x @ W^T + b).
Tensor addmm(const Tensor& input, const Tensor& m1, const Tensor& m2, Scalar beta, Scalar alpha) {
  check_defined("addmm", input);
  check_defined("addmm", m1);
  check_defined("addmm", m2);
  check_same_device("addmm", m1, m2);
  check_same_device("addmm", input, m1);
  TG_CHECK_SHAPE(m1.dim() == 2, "mat1 must be a matrix, got ", m1.dim(), "-D tensor");
  TG_CHECK_SHAPE(m2.dim() == 2, "mat2 must be a matrix, got ", m2.dim(), "-D tensor");
  TG_CHECK_SHAPE(m1.size(1) == m2.size(0), "mat1 and mat2 shapes cannot be multiplied (", m1.size(0), "x", m1.size(1),
                 " and ", m2.size(0), "x", m2.size(1), ")");
  TG_CHECK_DTYPE(m1.dtype() == m2.dtype() && m1.dtype() == input.dtype(),
                 "addmm: expected self, mat1 and mat2 to have the same dtype, but got: ", dtype_name(input.dtype()), ", ",
                 dtype_name(m1.dtype()), " and ", dtype_name(m2.dtype()));
  check_floating("addmm_impl_cpu_", m1);
  const Shape shape{m1.size(0), m2.size(1)};
  TG_CHECK_SHAPE(is_expandable_to(input.sizes(), shape), "The expanded size of the tensor (", shape[1],
                 ") must match the existing size (", input.sizes().empty() ? 1 : input.sizes().back(),
                 ") at non-singleton dimension 1.  Target sizes: ", shape_str(shape), ".  Tensor sizes: ",
                 shape_str(input.sizes()));
  Tensor out = Tensor::empty(shape, m1.dtype(), m1.device());
  Backend& be = backend_of(m1);
  if (beta.value == 0) {
    be.fill(out, Scalar::integer(0));  // beta = 0 ignores input's values, NaN included
  } else {
    be.copy(out, expand_raw(input, shape));
    if (beta.value != 1) be.binary(BinaryOp::Mul, out, out, expand_raw(scalar_tensor(beta, out.dtype(), out.device()), shape), 1.0);
  }
  if (m1.size(1) > 0) be.matmul(out, m1, m2, alpha.value, 1.0);
  if (auto n = record("AddmmBackward0", addmm_backward, {&input, &m1, &m2}, {&out})) {
    n->scalar = beta.value;
    n->scalar2 = alpha.value;
    n->save({m1, m2});
  }
  return out;
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

}  // namespace tg

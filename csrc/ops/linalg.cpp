// Matrix products. mm/bmm/dot/mv are primitives with their own nodes; matmul dispatches on
// ranks as PyTorch does (folding batch dims into mm when the right side is a matrix).
#include "autograd/engine.h"
#include "autograd/function.h"
#include "ops/helpers.h"

namespace tg {
namespace {

void check_matmul_dtypes(const char* op, const Tensor& a, const Tensor& b) {
  check_defined(op, a);
  check_defined(op, b);
  check_same_device(op, a, b);
  TG_CHECK_DTYPE(a.dtype() == b.dtype(), op, ": expected m1 and m2 to have the same dtype, but got: ",
                 dtype_name(a.dtype()), " != ", dtype_name(b.dtype()));
  TG_CHECK_DTYPE(a.dtype() != DType::Bool, op, ": \"addmm_impl_cpu_\" not implemented for 'Bool'");
}

TensorList mm_backward(OpNode& n, const TensorList& g) {
  Tensor a = n.saved(0), b = n.saved(1);
  return {n.needs_input_grad(0) ? product_grad(n.next_edges()[0], g[0], t(b), 1, a) : Tensor(),
          n.needs_input_grad(1) ? product_grad(n.next_edges()[1], t(a), g[0]) : Tensor()};
}

TensorList bmm_backward(OpNode& n, const TensorList& g) {
  Tensor a = n.saved(0), b = n.saved(1);
  return {n.needs_input_grad(0) ? bmm(g[0], transpose(b, 1, 2)) : Tensor(),
          n.needs_input_grad(1) ? bmm(transpose(a, 1, 2), g[0]) : Tensor()};
}

TensorList dot_backward(OpNode& n, const TensorList& g) {
  return {n.needs_input_grad(0) ? g[0] * n.saved(1) : Tensor(), n.needs_input_grad(1) ? g[0] * n.saved(0) : Tensor()};
}

TensorList mv_backward(OpNode& n, const TensorList& g) {
  Tensor a = n.saved(0), v = n.saved(1);
  return {n.needs_input_grad(0) ? mul(unsqueeze(g[0], 1), unsqueeze(v, 0)) : Tensor(),
          n.needs_input_grad(1) ? mv(t(a), g[0]) : Tensor()};
}

}  // namespace

Tensor product_grad(const Edge& e, const Tensor& x, const Tensor& y, double alpha, const Tensor& read_later) {
  GradSink sink = grad_sink(e);
  const Tensor& grad = sink.grad;
  const Shape want = sink.transposed ? Shape{y.size(1), x.size(0)} : Shape{x.size(0), y.size(1)};
  // alpha = 0 stays unfused: BLAS skips a zero-scaled product, where 0 * (x @ y) keeps its NaN.
  if (!grad.defined() || alpha == 0 || grad.sizes() != want || grad.dtype() != x.dtype() || grad.dtype() != y.dtype() ||
      grad.device() != x.device() || grad.shares_storage(x) || grad.shares_storage(y) ||
      (read_later.defined() && grad.shares_storage(read_later))) {
    Tensor p = mm(x, y);
    return alpha == 1 ? p : mul(p, Scalar(alpha));
  }
  if (sink.transposed) backend_of(grad).matmul(grad, t(y), t(x), alpha, 1.0);  // (x y)^T = y^T x^T
  else backend_of(grad).matmul(grad, x, y, alpha, 1.0);
  grad.impl()->bump_version();  // as the add_ into .grad it replaces
  return Tensor();
}

Tensor mm(const Tensor& a, const Tensor& b) {
  check_matmul_dtypes("mm", a, b);
  TG_CHECK_SHAPE(a.dim() == 2, "mm: self must be a matrix, got ", a.dim(), "-D tensor of shape ", shape_str(a.sizes()));
  TG_CHECK_SHAPE(b.dim() == 2, "mm: mat2 must be a matrix, got ", b.dim(), "-D tensor of shape ", shape_str(b.sizes()));
  TG_CHECK_SHAPE(a.size(1) == b.size(0), "mm: mat1 and mat2 shapes cannot be multiplied (", a.size(0), "x", a.size(1),
                 " and ", b.size(0), "x", b.size(1), ")");
  Tensor out = Tensor::empty({a.size(0), b.size(1)}, a.dtype(), a.device());
  backend_of(a).matmul(out, a, b, 1.0, 0.0);
  if (auto n = record("MmBackward0", mm_backward, {&a, &b}, {&out})) n->save({a, b});
  return out;
}

Tensor bmm(const Tensor& a, const Tensor& b) {
  check_matmul_dtypes("bmm", a, b);
  TG_CHECK_SHAPE(a.dim() == 3, "bmm: batch1 must be a 3D tensor, got shape ", shape_str(a.sizes()));
  TG_CHECK_SHAPE(b.dim() == 3, "bmm: batch2 must be a 3D tensor, got shape ", shape_str(b.sizes()));
  TG_CHECK_SHAPE(a.size(0) == b.size(0), "bmm: batch1 and batch2 must have same number of batches, got ", a.size(0),
                 " and ", b.size(0));
  TG_CHECK_SHAPE(a.size(2) == b.size(1), "bmm: Expected size for first two dimensions of batch2 tensor to be: [",
                 a.size(0), ", ", a.size(2), "] but got: [", b.size(0), ", ", b.size(1), "].");
  Tensor out = Tensor::empty({a.size(0), a.size(1), b.size(2)}, a.dtype(), a.device());
  Backend& be = backend_of(a);
  for (int64_t i = 0; i < a.size(0); ++i) {
    auto mat = [i](const Tensor& x) {
      return Tensor::view_of(x, {x.size(1), x.size(2)}, {x.stride(1), x.stride(2)}, x.impl()->offset() + i * x.stride(0));
    };
    be.matmul(mat(out), mat(a), mat(b), 1.0, 0.0);
  }
  if (auto n = record("BmmBackward0", bmm_backward, {&a, &b}, {&out})) n->save({a, b});
  return out;
}

Tensor dot(const Tensor& a, const Tensor& b) {
  check_matmul_dtypes("dot", a, b);
  TG_CHECK_SHAPE(a.dim() == 1 && b.dim() == 1, "1D tensors expected, but got ", a.dim(), "D and ", b.dim(), "D tensors");
  TG_CHECK_SHAPE(a.size(0) == b.size(0), "inconsistent tensor size, expected tensor [", a.size(0),
                 "] and src [", b.size(0), "] to have the same number of elements, but got ", a.size(0), " and ",
                 b.size(0), " elements respectively");
  Tensor out = Tensor::empty({}, a.dtype(), a.device());
  Tensor row = Tensor::view_of(a, {1, a.size(0)}, {0, a.stride(0)}, a.impl()->offset());
  Tensor col = Tensor::view_of(b, {b.size(0), 1}, {b.stride(0), 0}, b.impl()->offset());
  Tensor o2 = Tensor::view_of(out, {1, 1}, {1, 1}, 0);
  backend_of(a).matmul(o2, row, col, 1.0, 0.0);
  if (auto n = record("DotBackward0", dot_backward, {&a, &b}, {&out})) n->save({a, b});
  return out;
}

Tensor mv(const Tensor& a, const Tensor& v) {
  check_matmul_dtypes("mv", a, v);
  TG_CHECK_SHAPE(a.dim() == 2 && v.dim() == 1, "vector + matrix @ vector expected, got ", a.dim(), ", ", v.dim());
  TG_CHECK_SHAPE(a.size(1) == v.size(0), "size mismatch, got input (", a.size(0), "), mat (", a.size(0), "x", a.size(1),
                 "), vec (", v.size(0), ")");
  Tensor out = Tensor::empty({a.size(0)}, a.dtype(), a.device());
  Tensor col = Tensor::view_of(v, {v.size(0), 1}, {v.stride(0), 0}, v.impl()->offset());
  Tensor o2 = Tensor::view_of(out, {a.size(0), 1}, {1, 1}, 0);
  backend_of(a).matmul(o2, a, col, 1.0, 0.0);
  if (auto n = record("MvBackward0", mv_backward, {&a, &v}, {&out})) n->save({a, v});
  return out;
}

Tensor matmul(const Tensor& a, const Tensor& b) {
  check_matmul_dtypes("matmul", a, b);
  const int64_t da = a.dim(), db = b.dim();
  TG_CHECK_SHAPE(da > 0 && db > 0, "both arguments to matmul need to be at least 1D, but they are ", da, "D and ", db, "D");
  if (da == 1 && db == 1) return dot(a, b);
  if (da == 2 && db == 1) return mv(a, b);
  if (da == 1 && db == 2) {
    TG_CHECK_SHAPE(a.size(0) == b.size(0), "mat1 and mat2 shapes cannot be multiplied (1x", a.size(0), " and ",
                   b.size(0), "x", b.size(1), ")");
    return squeeze(mm(unsqueeze(a, 0), b), 0, "SqueezeBackward4");  // PyTorch squeezes with a dim list
  }
  if (da == 2 && db == 2) return mm(a, b);
  if (da >= 3 && db <= 2) {
    // Fold the batch dims of a into the rows of one mm.
    Tensor b2 = db == 1 ? unsqueeze(b, 1) : b;
    const int64_t K = a.size(da - 1);
    TG_CHECK_SHAPE(K == b2.size(0), "matmul: mat1 and mat2 shapes cannot be multiplied (",
                   numel_of(Shape(a.sizes().begin(), a.sizes().end() - 1)), "x", K, " and ", b2.size(0), "x", b2.size(1), ")");
    Shape out_shape(a.sizes().begin(), a.sizes().end() - 1);
    if (db == 2) out_shape.push_back(b.size(1));
    Tensor r = mm(reshape(a, {-1, K}), b2);
    return reshape(r, out_shape);  // ViewBackward0, as PyTorch 2.13's folded matmul
  }
  // General batched case: broadcast batch dims, run bmm.
  Tensor a3 = da == 1 ? unsqueeze(a, 0) : a;
  Tensor b3 = db == 1 ? unsqueeze(b, 1) : b;
  const int64_t n = a3.size(a3.dim() - 2), k = a3.size(a3.dim() - 1);
  const int64_t k2 = b3.size(b3.dim() - 2), m = b3.size(b3.dim() - 1);
  TG_CHECK_SHAPE(k == k2, "matmul: Expected size for first two dimensions of batch2 tensor to be: [", k, "] but got: [",
                 k2, "].");
  Shape ba(a3.sizes().begin(), a3.sizes().end() - 2), bb(b3.sizes().begin(), b3.sizes().end() - 2);
  Shape batch = broadcast_shapes(ba, bb, "matmul");
  int64_t nb = numel_of(batch);
  Shape ea = batch, eb = batch;
  ea.insert(ea.end(), {n, k});
  eb.insert(eb.end(), {k, m});
  Tensor r = bmm(reshape(expand(a3, ea), {nb, n, k}), reshape(expand(b3, eb), {nb, k, m}));
  Shape out_shape = batch;
  if (da > 1) out_shape.push_back(n);
  if (db > 1) out_shape.push_back(m);
  return unsafe_view(r, out_shape);
}

}  // namespace tg

// Indexing ops. Forwards run the gather_dim/scatter_dim kernels (or the movement family's
// select_indices/add_indices) on fresh outputs; each records one node named as in PyTorch
// whose formula is written in these same differentiable ops, so double backward works.
// Index tensors are checked (dtype, rank, sizes, then values in the kernels) before any read.
#include "ops/indexing.h"
#include <algorithm>
#include "autograd/function.h"
#include "core/shape.h"
#include "ops/helpers.h"
#include "ops/movement.h"
#include <limits>
#include "autograd/grad_mode.h"
#include "ops/elementwise_ext.h"

namespace tg {
namespace {

Tensor copy_raw(const Tensor& t) {
  Tensor out = Tensor::empty(t.sizes(), t.dtype(), t.device());
  if (t.numel() > 0) backend_of(t).copy(out, t);
  return out;
}

// Views of 0-d tensors as [1] for the kernels.
Tensor as1d(const Tensor& t) { return t.dim() == 0 ? Tensor::view_of(t, {1}, {1}, t.impl()->offset()) : t; }

void check_long(const Tensor& index, const char* name) {
  TG_CHECK_DTYPE(index.dtype() == DType::Int64, name, "(): Expected dtype int64 for index");
}

// gather/scatter geometry: same rank (0-d counts as 1-d) and index no larger than the others
// on every dim but `dim`.
void check_dim_index(const char* name, const Tensor& a, int64_t dim, const Tensor& index, const Tensor* src) {
  check_long(index, name);
  const int64_t ad = std::max<int64_t>(a.dim(), 1), id = std::max<int64_t>(index.dim(), 1);
  TG_CHECK(ad == id, "Index tensor must have the same number of dimensions as ", src ? "self" : "input", " tensor");
  if (src) {
    TG_CHECK(std::max<int64_t>(src->dim(), 1) == id, "Index tensor must have the same number of dimensions as src tensor");
  }
  // src must cover index on every dim (dim included: the kernels read src at every index
  // position); self on every dim but `dim` (the index values along dim are checked later).
  const Tensor a1 = as1d(a), i1 = as1d(index);
  for (int64_t d = 0; d < i1.dim(); ++d) {
    const bool self_ok = d == dim || i1.size(d) <= a1.size(d);
    if (src) {
      TG_CHECK(self_ok && i1.size(d) <= as1d(*src).size(d), "Expected index ", shape_str(index.sizes()),
               " to be no larger than self ", shape_str(a.sizes()), " apart from dimension ", dim,
               " and to be no larger size than src ", shape_str(src->sizes()));
    } else {
      TG_CHECK(self_ok, "Size does not match at dimension ", d, " expected index ", shape_str(index.sizes()),
               " to be no larger than self ", shape_str(a.sizes()), " apart from dimension ", dim);
    }
  }
}


// src restricted to index's sizes (the kernels walk index's shape).
Tensor src_view(const Tensor& src, const Tensor& index) {
  Tensor s = as1d(src);
  return Tensor::view_of(s, as1d(index).sizes(), s.strides(), s.impl()->offset());
}

Tensor scatter_raw(const Tensor& a, int64_t dim, const Tensor& index, const Tensor& src, ScatterMode mode) {
  Tensor out = copy_raw(a);
  if (index.numel() > 0) backend_of(a).scatter_dim(as1d(out), dim, as1d(index), src, mode);
  return out;
}

// ---- formulas (n.offset = dim; saved 0 = index)
TensorList gather_backward(OpNode& n, const TensorList& g) {
  return {scatter_add(zeros(n.shape, g[0].dtype(), g[0].device()), n.offset, n.saved(0), g[0])};
}
// A gradient in index's shape, zero-padded up to src's shape (src may be larger than index).
Tensor zero_padded(Tensor r, const Shape& shape) {
  if (r.dim() == 0 || shape.empty()) return reshape(r, shape);
  for (int64_t d = 0; d < r.dim(); ++d) {
    if (r.size(d) == shape[d]) continue;
    Shape pad = r.sizes();
    pad[d] = shape[d] - r.size(d);
    r = cat({r, zeros(pad, r.dtype(), r.device())}, d);
  }
  return r;
}
// src's gradient: gather(g) at index, in src's shape (n.shape2).
Tensor src_grad(OpNode& n, const Tensor& g, const Tensor& idx) { return zero_padded(gather(g, n.offset, idx), n.shape2); }
TensorList scatter_add_backward(OpNode& n, const TensorList& g) {
  return {g[0], src_grad(n, g[0], n.saved(0))};
}
TensorList scatter_backward(OpNode& n, const TensorList& g) {
  Tensor idx = n.saved(0);
  return {scatter(g[0], n.offset, idx, Scalar::integer(0)), src_grad(n, g[0], idx)};
}
TensorList scatter_value_backward(OpNode& n, const TensorList& g) {
  return {scatter(g[0], n.offset, n.saved(0), Scalar::integer(0))};
}
TensorList index_select_backward(OpNode& n, const TensorList& g) {
  return {index_add(zeros(n.shape, g[0].dtype(), g[0].device()), n.offset, n.saved(0), g[0], Scalar::integer(1))};
}
TensorList index_add_backward(OpNode& n, const TensorList& g) {
  Tensor s = index_select(g[0], n.offset, n.saved(0));
  if (n.scalar != 1) s = mul(s, Scalar::from_js(n.scalar));
  return {g[0], reshape(s, n.shape)};
}
TensorList index_fill_backward(OpNode& n, const TensorList& g) {
  return {index_fill(g[0], n.offset, n.saved(0), Scalar::integer(0))};
}
TensorList index_copy_backward(OpNode& n, const TensorList& g) {
  Tensor idx = n.saved(0);
  return {index_fill(g[0], n.offset, idx, Scalar::integer(0)), reshape(index_select(g[0], n.offset, idx), n.shape)};
}
// n.shape = z's shape, n.shape2 = the rows' shape [N, rest...], n.ints = perm; saved 0 = rows index.
TensorList index_rows_backward(OpNode& n, const TensorList& g) {
  std::vector<int64_t> inv(n.ints.size());
  for (size_t i = 0; i < inv.size(); ++i) inv[n.ints[i]] = static_cast<int64_t>(i);
  Tensor rows = reshape(permute(g[0], inv), n.shape2);
  return {index_add(zeros(n.shape, g[0].dtype(), g[0].device()), 0, n.saved(0), rows, Scalar::integer(1))};
}
// Gradient of a gather from the flattened (broadcast) input: index_add the flat gradient
// into zeros of n.shape's numel. saved 0 = flat int64 index.
TensorList flat_put_backward(OpNode& n, const TensorList& g) {
  const int64_t total = numel_of(n.shape);
  Tensor gf = reshape(g[0], {g[0].numel()});
  Tensor r = index_add(zeros({total}, g[0].dtype(), g[0].device()), 0, n.saved(0), gf, Scalar::integer(1));
  return {reshape(r, n.shape)};
}
TensorList masked_fill_backward(OpNode& n, const TensorList& g) {
  return {masked_fill(g[0], n.saved(0), Scalar::integer(0))};
}

// An index along `dim` (1-D) expanded to a tensor of `shape` with size index.numel() at dim.
Tensor expand_index(const Tensor& index, const Shape& shape, int64_t dim) {
  Shape sizes = shape.empty() ? Shape{1} : shape;
  Shape strides(sizes.size(), 0);
  Tensor i1 = contiguous_raw(as1d(index));
  sizes[dim] = i1.numel();
  strides[dim] = 1;
  return Tensor::view_of(i1, sizes, strides, i1.impl()->offset());
}

// c10's type-meta names, as PyTorch prints them in some messages ("long int").
const char* meta_name(DType t) {
  switch (t) {
    case DType::Int64: return "long int";
    case DType::Int32: return "int";
    case DType::UInt8: return "unsigned char";
    case DType::Float32: return "float";
    case DType::Float64: return "double";
    default: return dtype_name(t);
  }
}

void check_index_vector(const char* name, const Tensor& index) {
  TG_CHECK(index.dim() <= 1, name, "(): Index is supposed to be a vector");
  TG_CHECK_DTYPE(index.dtype() == DType::Int64 || index.dtype() == DType::Int32, name,
                 "(): Expected dtype int32 or int64 for index");
}

}  // namespace

Tensor gather(const Tensor& a, int64_t dim, const Tensor& index) {
  check_defined("gather", a);
  dim = wrap_dim(dim, std::max<int64_t>(a.dim(), 1), "gather");
  check_dim_index("gather", a, dim, index, nullptr);
  check_same_device("gather", a, index);
  Tensor out = Tensor::empty(index.sizes(), a.dtype(), a.device());
  if (index.numel() > 0) backend_of(a).gather_dim(as1d(out), as1d(a), dim, as1d(index));
  if (auto n = record("GatherBackward0", gather_backward, {&a}, {&out})) {
    n->offset = dim;
    n->shape = a.sizes();
    n->save({index});
  }
  return out;
}

Tensor scatter_add(const Tensor& a, int64_t dim, const Tensor& index, const Tensor& src) {
  check_defined("scatter_add", a);
  dim = wrap_dim(dim, std::max<int64_t>(a.dim(), 1), "scatter_add");
  check_dim_index("scatter_add", a, dim, index, &src);
  TG_CHECK_DTYPE(a.dtype() == src.dtype(), "scatter_add(): Expected self.dtype to be equal to src.dtype");
  Tensor out = scatter_raw(a, dim, index, src_view(src, index), ScatterMode::Add);
  if (auto n = record("ScatterAddBackward0", scatter_add_backward, {&a, &src}, {&out})) {
    n->offset = dim;
    n->shape2 = src.sizes();
    n->save({index});
  }
  return out;
}

Tensor scatter(const Tensor& a, int64_t dim, const Tensor& index, const Tensor& src) {
  check_defined("scatter", a);
  dim = wrap_dim(dim, std::max<int64_t>(a.dim(), 1), "scatter");
  check_dim_index("scatter", a, dim, index, &src);
  TG_CHECK_DTYPE(a.dtype() == src.dtype(), "scatter(): Expected self.dtype to be equal to src.dtype");
  Tensor out = scatter_raw(a, dim, index, src_view(src, index), ScatterMode::Assign);
  if (auto n = record("ScatterBackward0", scatter_backward, {&a, &src}, {&out})) {
    n->offset = dim;
    n->shape2 = src.sizes();
    n->save({index});
  }
  return out;
}

Tensor scatter(const Tensor& a, int64_t dim, const Tensor& index, Scalar value) {
  check_defined("scatter", a);
  dim = wrap_dim(dim, std::max<int64_t>(a.dim(), 1), "scatter");
  check_dim_index("scatter", a, dim, index, nullptr);
  Tensor v = expand_raw(scalar_tensor(value, a.dtype(), a.device()), as1d(index).sizes());
  Tensor out = scatter_raw(a, dim, index, v, ScatterMode::Assign);
  if (auto n = record("ScatterBackward1", scatter_value_backward, {&a}, {&out})) {
    n->offset = dim;
    n->save({index});
  }
  return out;
}

Tensor index_select(const Tensor& a, int64_t dim, const Tensor& index) {
  check_defined("index_select", a);
  check_index_vector("index_select", index);
  dim = wrap_dim(dim, std::max<int64_t>(a.dim(), 1), "index_select");
  Tensor idx = contiguous_raw(cast_raw(as1d(index), DType::Int64));
  Tensor a1 = as1d(a);
  Shape sizes = a1.sizes();
  sizes[dim] = idx.numel();
  Tensor out = Tensor::empty(sizes, a.dtype(), a.device());
  backend_of(a).select_indices(out, a1, dim, idx);
  if (a.dim() == 0 && out.numel() == 1) out = Tensor::view_of(out, {}, {}, 0);  // PyTorch: a 0-d result
  if (auto n = record("IndexSelectBackward0", index_select_backward, {&a}, {&out})) {
    n->offset = dim;
    n->shape = a.sizes();
    n->save({idx});
  }
  return out;
}

Tensor index_add(const Tensor& a, int64_t dim, const Tensor& index, const Tensor& source, Scalar alpha) {
  check_defined("index_add", a);
  check_index_vector("index_add", index);
  dim = wrap_dim(dim, std::max<int64_t>(a.dim(), 1), "index_add");
  TG_CHECK_DTYPE(a.dtype() == source.dtype(), "index_add_(): self (", dtype_legacy_name(a.dtype()), ") and source (",
                 dtype_legacy_name(source.dtype()), ") must have the same scalar type");
  Tensor idx = contiguous_raw(cast_raw(as1d(index), DType::Int64));
  Tensor a1 = as1d(a), s1 = as1d(source);
  TG_CHECK(s1.dim() == a1.dim(), "index_add_(): Source/destination tensor must have same slice shapes.");
  for (int64_t d = 0; d < a1.dim(); ++d) {
    TG_CHECK(d == dim || s1.size(d) == a1.size(d), "index_add_(): Source/destination tensor must have same slice shapes.");
  }
  TG_CHECK(s1.size(dim) == idx.numel(), "index_add_(): Number of indices (", idx.numel(),
           ") should be equal to source.size(dim) (", s1.size(dim), ")");
  Tensor out = copy_raw(a);
  Tensor src = s1;
  if (alpha.value != 1) {
    src = Tensor::empty(s1.sizes(), s1.dtype(), s1.device());
    backend_of(a).unary(UnaryOp::MulScalar, src, s1, alpha.value, 0);
  }
  backend_of(a).add_indices(as1d(out), dim, idx, src);
  if (auto n = record("IndexAddBackward0", index_add_backward, {&a, &source}, {&out})) {
    n->offset = dim;
    n->scalar = alpha.value;
    n->shape = source.sizes();
    n->save({idx});
  }
  return out;
}

Tensor index_fill(const Tensor& a, int64_t dim, const Tensor& index, Scalar value) {
  check_defined("index_fill", a);
  check_index_vector("index_fill", index);
  TG_CHECK_DTYPE(index.dtype() == DType::Int64, "index_fill_(): Expected dtype int64 for index.");
  dim = wrap_dim(dim, std::max<int64_t>(a.dim(), 1), "index_fill");
  Tensor ix = expand_index(index, a.sizes(), dim);
  Tensor v = expand_raw(scalar_tensor(value, a.dtype(), a.device()), ix.sizes());
  Tensor out = scatter_raw(a, dim, ix, v, ScatterMode::Assign);
  if (auto n = record("IndexFillBackward0", index_fill_backward, {&a}, {&out})) {
    n->offset = dim;
    n->save({index});
  }
  return out;
}

Tensor index_copy(const Tensor& a, int64_t dim, const Tensor& index, const Tensor& source) {
  check_defined("index_copy", a);
  check_index_vector("index_copy", index);
  TG_CHECK_DTYPE(index.dtype() == DType::Int64, "index_copy_(): Expected a long tensor for index, but got ",
                 dtype_legacy_name(index.dtype()));
  TG_CHECK_DTYPE(a.dtype() == source.dtype(), "index_copy_(): self and source expected to have the same dtype, but got (self) ",
                 dtype_legacy_name(a.dtype()), " and (source) ", dtype_legacy_name(source.dtype()));
  dim = wrap_dim(dim, std::max<int64_t>(a.dim(), 1), "index_copy");
  Tensor a1 = as1d(a), s1 = as1d(source);
  TG_CHECK(s1.dim() == a1.dim() && s1.size(dim) == index.numel(), "index_copy_(): Source/destination tensor must have same slice shapes. Destination slice shape: ",
           shape_str(a.sizes()), " at dimension ", dim, " and source slice shape: ", shape_str(source.sizes()));
  for (int64_t d = 0; d < a1.dim(); ++d) {
    TG_CHECK(d == dim || s1.size(d) == a1.size(d), "index_copy_(): Source/destination tensor must have same slice shapes.");
  }
  Tensor ix = expand_index(index, a.sizes(), dim);
  Tensor out = scatter_raw(a, dim, ix, s1, ScatterMode::Assign);
  if (auto n = record("IndexCopyBackward0", index_copy_backward, {&a, &source}, {&out})) {
    n->offset = dim;
    n->shape = source.sizes();
    n->save({index});
  }
  return out;
}

Tensor masked_fill(const Tensor& a, const Tensor& mask, Scalar value) {
  check_defined("masked_fill", a);
  TG_CHECK_DTYPE(mask.dtype() == DType::Bool, "masked_fill_ only supports boolean masks, but got mask with dtype ",
                 meta_name(mask.dtype()));
  check_same_device("masked_fill", a, mask);
  Shape shape = broadcast_shapes(a.sizes(), mask.sizes(), "masked_fill");
  Tensor out = Tensor::empty(shape, a.dtype(), a.device());
  if (out.numel() > 0) {
    Tensor v = expand_raw(scalar_tensor(value, a.dtype(), a.device()), shape);
    backend_of(a).where(out, expand_raw(mask, shape), v, expand_raw(a, shape));
  }
  if (auto n = record("MaskedFillBackward0", masked_fill_backward, {&a}, {&out})) n->save({mask});
  return out;
}

Tensor index_rows(const Tensor& z, const Tensor& flat, const Shape& pre_shape, const std::vector<int64_t>& perm) {
  check_defined("index", z);
  TG_CHECK(z.dim() >= 1 && flat.dim() == 1 && flat.dtype() == DType::Int64 && perm.size() == pre_shape.size(),
           "index: bad advanced-indexing plan");
  Tensor idx = contiguous_raw(flat);
  Shape rows_shape = z.sizes();
  rows_shape[0] = idx.numel();
  TG_CHECK(numel_of(rows_shape) == numel_of(pre_shape), "index: bad advanced-indexing plan");
  Tensor rows = Tensor::empty(rows_shape, z.dtype(), z.device());
  if (rows.numel() > 0) backend_of(z).select_indices(rows, z, 0, idx);
  Shape pre_strides = contiguous_strides(pre_shape), sizes, strides;
  for (int64_t p : perm) {
    TG_CHECK(p >= 0 && p < static_cast<int64_t>(pre_shape.size()), "index: bad advanced-indexing plan");
    sizes.push_back(pre_shape[p]);
    strides.push_back(pre_strides[p]);
  }
  Tensor out = contiguous_raw(Tensor::view_of(rows, sizes, strides, 0));
  if (out.impl() == rows.impl()) out = Tensor::view_of(rows, sizes, contiguous_strides(sizes), 0);
  if (auto n = record("IndexBackward0", index_rows_backward, {&z}, {&out})) {
    n->shape = z.sizes();
    n->shape2 = rows_shape;
    n->ints = perm;
    n->save({idx});
  }
  return out;
}

// saved 0 = mask; n.shape = source shape.
TensorList masked_scatter_backward(OpNode& n, const TensorList& g) {
  Tensor mask = n.saved(0);
  Tensor sel = masked_select(g[0], mask);
  const int64_t total = numel_of(n.shape), k = sel.numel();
  if (k < total) sel = cat({sel, zeros({total - k}, sel.dtype(), sel.device())}, 0);
  return {masked_fill(g[0], mask, Scalar::integer(0)), reshape(sel, n.shape)};
}

Tensor masked_scatter(const Tensor& a, const Tensor& mask, const Tensor& source) {
  check_defined("masked_scatter", a);
  TG_CHECK_DTYPE(mask.dtype() == DType::Bool, "masked_scatter_ only supports boolean masks, but got mask with dtype ",
                 dtype_legacy_name(mask.dtype()));
  TG_CHECK_DTYPE(a.dtype() == source.dtype(), "masked_scatter: expected self and source to have same dtypes but got",
                 dtype_legacy_name(a.dtype()), " and ", dtype_legacy_name(source.dtype()));
  Shape shape = broadcast_shapes(a.sizes(), mask.sizes(), "masked_scatter");
  const int64_t total = numel_of(shape);
  Tensor m = contiguous_raw(expand_raw(mask, shape));
  Tensor nz = backend_of(a).nonzero(Tensor::view_of(m, {total}, {1}, m.impl()->offset()));
  const int64_t k = nz.size(0);
  TG_CHECK(source.numel() >= k, "Number of elements of source < number of ones in mask");
  Tensor out = copy_raw(expand_raw(a, shape));
  if (k > 0) {
    Tensor src = contiguous_raw(source);
    backend_of(a).scatter_dim(Tensor::view_of(out, {total}, {1}, 0), 0, Tensor::view_of(nz, {k}, {1}, 0),
                              Tensor::view_of(src, {k}, {1}, src.impl()->offset()), ScatterMode::Assign);
  }
  if (auto n = record("MaskedScatterBackward0", masked_scatter_backward, {&a, &source}, {&out})) {
    n->shape = source.sizes();
    n->save({mask});
  }
  return out;
}

Tensor masked_select(const Tensor& a, const Tensor& mask) {
  check_defined("masked_select", a);
  TG_CHECK_DTYPE(mask.dtype() == DType::Bool, "masked_select: expected BoolTensor for mask");
  Shape shape = broadcast_shapes(a.sizes(), mask.sizes(), "masked_select");
  const int64_t total = numel_of(shape);
  Tensor m = contiguous_raw(expand_raw(mask, shape));
  Tensor nz = backend_of(a).nonzero(Tensor::view_of(m, {total}, {1}, m.impl()->offset()));
  Tensor idx = Tensor::view_of(nz, {nz.size(0)}, {1}, 0);
  Tensor flat = contiguous_raw(expand_raw(a, shape));
  flat = Tensor::view_of(flat, {total}, {1}, flat.impl()->offset());
  Tensor out = Tensor::empty({nz.size(0)}, a.dtype(), a.device());
  if (nz.size(0) > 0) backend_of(a).gather_dim(out, flat, 0, idx);
  if (auto node = record("MaskedSelectBackward0", flat_put_backward, {&a}, {&out})) {
    node->shape = shape;  // the engine sums the broadcast gradient down to a's shape
    node->save({idx});
  }
  return out;
}

Tensor take(const Tensor& a, const Tensor& index) {
  check_defined("take", a);
  TG_CHECK_DTYPE(index.dtype() == DType::Int64, "take(): Expected a long tensor for index, but got ",
                 dtype_legacy_name(index.dtype()));
  const int64_t n = a.numel();
  Tensor ic = contiguous_raw(index);
  const int64_t* ix = ic.data<int64_t>();
  for (int64_t i = 0; i < ic.numel(); ++i) {
    TG_CHECK_INDEX(ix[i] >= -n && ix[i] < n, "out of range: tried to access index ", ix[i], " on a tensor of ", n, " elements.");
  }
  std::vector<int64_t> wrapped(ix, ix + ic.numel());
  for (int64_t& v : wrapped) v = v < 0 ? v + n : v;
  Tensor iw = from_host(wrapped.data(), {ic.numel()}, DType::Int64, a.device());
  Tensor flat = contiguous_raw(a);
  flat = Tensor::view_of(flat, {n}, {1}, flat.impl()->offset());
  Tensor out = Tensor::empty({ic.numel()}, a.dtype(), a.device());
  if (ic.numel() > 0) backend_of(a).gather_dim(out, flat, 0, iw);
  out = Tensor::view_of(out, index.sizes(), contiguous_strides(index.sizes()), 0);
  if (auto node = record("TakeBackward0", flat_put_backward, {&a}, {&out})) {
    node->shape = a.sizes();
    node->save({iw});
  }
  return out;
}

Tensor nonzero(const Tensor& a) {
  check_defined("nonzero", a);
  if (a.dim() == 0) {
    Tensor r = backend_of(a).nonzero(Tensor::view_of(a, {1}, {1}, a.impl()->offset()));
    return Tensor::empty({r.size(0), 0}, DType::Int64, a.device());
  }
  return backend_of(a).nonzero(contiguous_raw(a));  // the same coordinates, in order
}

Tensor one_hot(const Tensor& index, int64_t num_classes) {
  TG_CHECK(index.dtype() == DType::Int64, "one_hot is only applicable to index tensor of type LongTensor.");
  Tensor ic = contiguous_raw(index);
  const int64_t* ix = ic.data<int64_t>();
  int64_t mx = -1;
  for (int64_t i = 0; i < ic.numel(); ++i) {
    TG_CHECK(ix[i] >= 0, "Class values must be non-negative.");
    mx = std::max(mx, ix[i]);
  }
  if (num_classes == -1) {
    TG_CHECK(ic.numel() > 0, "Can not infer total number of classes from empty tensor.");
    num_classes = mx + 1;
  } else {
    TG_CHECK(mx < num_classes, "Class values must be smaller than num_classes.");
  }
  Shape shape = index.sizes();
  shape.push_back(num_classes);
  Tensor out = zeros(shape, DType::Int64, index.device());
  if (ic.numel() == 0) return out;
  Shape isz = index.sizes();
  isz.push_back(1);
  Tensor idx = Tensor::view_of(ic, isz, contiguous_strides(isz), ic.impl()->offset());
  Tensor one = expand_raw(scalar_tensor(Scalar::integer(1), DType::Int64, index.device()), isz);
  backend_of(out).scatter_dim(out, static_cast<int64_t>(isz.size()) - 1, idx, one, ScatterMode::Assign);
  return out;
}

Tensor searchsorted(const Tensor& sorted, const Tensor& values, bool right) {
  TG_CHECK(sorted.dim() <= 1 || (sorted.dim() == values.dim() &&
                                 std::equal(sorted.sizes().begin(), sorted.sizes().end() - 1, values.sizes().begin())),
           "torch.searchsorted(): boundaries tensor should be 1 dimension or the first N-1 dimensions of boundaries "
           "tensor and input value tensor must match, but we got boundaries tensor ",
           shape_str(sorted.sizes()), " and input value tensor ", shape_str(values.sizes()));
  DType t = result_type(sorted, values);
  Tensor s = contiguous_raw(cast_raw(sorted, t)), v = contiguous_raw(cast_raw(values, t));
  Tensor out = Tensor::empty(values.sizes(), DType::Int64, values.device());
  if (out.numel() > 0) backend_of(values).searchsorted(out, s, v, right);
  return out;
}

}  // namespace tg

namespace tg {

// ---- scatter_reduce: one ScatterReduceBackward0 node whose formulas (PyTorch's, ties and
// zeros included) are written in the differentiable ops above, so double backward works.
namespace {

// The part of src that index addresses (src may be larger than index on any dim), as a
// differentiable slice so gradients flow back to the full src.
Tensor src_in_index_shape(const Tensor& src, const Tensor& index) {
  Tensor s = src.dim() == 0 ? reshape(src, {1}) : src;
  const Tensor i1 = as1d(index);
  for (int64_t d = 0; d < i1.dim(); ++d) {
    if (s.size(d) != i1.size(d)) s = slice(s, d, 0, i1.size(d), 1);
  }
  return s;
}

Tensor is_equal_as(const Tensor& a, const Tensor& b, DType dtype) { return to_dtype(compare(BinaryOp::Eq, a, b), dtype); }

// The forward without recording: reductions over self (unless !include_self) and the src
// elements that land on each position.
Tensor scatter_reduce_raw(const Tensor& a, int64_t dim, const Tensor& index, const Tensor& src, ScatterReduce reduce,
                          bool include_self) {
  AutoGradMode no_grad(false);
  const Tensor sv = src_view(src, index);
  Tensor out = copy_raw(a);
  if (index.numel() == 0) return out;
  if (!include_self) {
    // Positions that receive src start from the reduction's identity.
    Scalar identity = Scalar::integer(0);
    if (reduce == ScatterReduce::Prod) identity = Scalar::integer(1);
    if (reduce == ScatterReduce::Amax) identity = Scalar(-std::numeric_limits<double>::infinity());
    if (reduce == ScatterReduce::Amin) identity = Scalar(std::numeric_limits<double>::infinity());
    if (!is_floating(a.dtype()) && (reduce == ScatterReduce::Amax || reduce == ScatterReduce::Amin)) {
      // Integers have no infinity: the first src element seeds each position instead.
      backend_of(a).scatter_dim(as1d(out), dim, as1d(index), sv, ScatterMode::Assign);
    } else {
      Tensor v = expand_raw(scalar_tensor(identity, a.dtype(), a.device()), as1d(index).sizes());
      backend_of(a).scatter_dim(as1d(out), dim, as1d(index), v, ScatterMode::Assign);
    }
  }
  static const ScatterMode modes[] = {ScatterMode::Add, ScatterMode::Mul, ScatterMode::Add, ScatterMode::Max,
                                      ScatterMode::Min};
  backend_of(a).scatter_dim(as1d(out), dim, as1d(index), sv, modes[static_cast<int>(reduce)]);
  if (reduce == ScatterReduce::Mean) {
    Tensor count = include_self ? ones(a.sizes(), a.dtype(), a.device()) : zeros(a.sizes(), a.dtype(), a.device());
    Tensor one = expand_raw(scalar_tensor(Scalar::integer(1), a.dtype(), a.device()), as1d(index).sizes());
    backend_of(a).scatter_dim(as1d(count), dim, as1d(index), one, ScatterMode::Add);
    count = masked_fill(count, compare(BinaryOp::Eq, count, Scalar::integer(0)), Scalar::integer(1));
    out = is_floating(a.dtype()) ? div(out, count) : div_mode(out, count, "floor");
  }
  return out;
}

// saved: 0 index, 1 self, 2 src, 3 result; n.offset = dim, n.ints = {reduce}, n.flag = include_self,
// n.shape2 = src's shape.
TensorList scatter_reduce_backward(OpNode& n, const TensorList& g) {
  const int64_t dim = n.offset;
  const auto reduce = static_cast<ScatterReduce>(n.ints[0]);
  const bool include_self = n.flag;
  const Tensor idx = n.saved(0), self = n.saved(1), src = src_in_index_shape(n.saved(2), idx), result = n.saved(3);
  const Tensor& grad = g[0];
  const DType dt = self.dtype();
  Tensor grad_self, grad_src;
  switch (reduce) {
    case ScatterReduce::Sum:
      grad_self = grad;
      grad_src = gather(grad, dim, idx);
      break;
    case ScatterReduce::Mean: {
      Tensor count = include_self ? ones_like(grad) : zeros_like(grad);
      count = scatter_add(count, dim, idx, ones_like(src));
      count = masked_fill(count, compare(BinaryOp::Eq, count, Scalar::integer(0)), Scalar::integer(1));
      grad_self = div(grad, count);
      grad_src = div(gather(grad, dim, idx), gather(count, dim, idx));
      break;
    }
    case ScatterReduce::Prod: {
      // Exclusive products computed without dividing by zeros: a position's zeros are
      // replaced by one when that element is the only zero among its operands.
      Tensor masked_self = masked_fill(self, compare(BinaryOp::Eq, self, Scalar::integer(0)), Scalar::integer(1));
      Tensor masked_self_result = scatter_reduce(masked_self, dim, idx, src, reduce, include_self);
      grad_self = div(mul(grad, masked_self_result), masked_self);
      Tensor src_zero = compare(BinaryOp::Eq, src, Scalar::integer(0));
      Tensor src_num_zeros = gather(scatter_add(zeros_like(self), dim, idx, to_dtype(src_zero, dt)), dim, idx);
      Tensor src_single_zero = ew_binary(BinaryOp::LogicalAnd, src_zero, compare(BinaryOp::Eq, src_num_zeros, Scalar::integer(1)));
      Tensor masked_src = masked_fill(src, src_single_zero, Scalar::integer(1));
      Tensor masked_src_result = scatter_reduce(self, dim, idx, masked_src, reduce, include_self);
      grad_src = where(src_single_zero, gather(mul(grad, masked_src_result), dim, idx),
                       div(gather(mul(grad, result), dim, idx), masked_fill(src, src_zero, Scalar::integer(1))));
      break;
    }
    case ScatterReduce::Amax:
    case ScatterReduce::Amin: {
      // Ties share the gradient evenly; as in PyTorch, self counts as a tie wherever it equals
      // the result, include_self or not.
      Tensor value = gather(result, dim, idx);
      Tensor self_is_result = is_equal_as(self, result, dt);
      Tensor src_is_result = is_equal_as(src, value, dt);
      Tensor share = div(grad, scatter_add(self_is_result, dim, idx, src_is_result));
      grad_self = mul(self_is_result, share);
      grad_src = mul(src_is_result, gather(share, dim, idx));
      break;
    }
  }
  if (!include_self) grad_self = scatter(grad_self, dim, idx, Scalar::integer(0));
  return {grad_self, zero_padded(grad_src, n.shape2)};
}

}  // namespace

Tensor scatter_reduce(const Tensor& a, int64_t dim, const Tensor& index, const Tensor& src, ScatterReduce reduce,
                      bool include_self) {
  check_defined("scatter_reduce", a);
  dim = wrap_dim(dim, std::max<int64_t>(a.dim(), 1), "scatter_reduce");
  check_dim_index("scatter_reduce", a, dim, index, &src);
  TG_CHECK_DTYPE(a.dtype() == src.dtype(), "scatter(): Expected self.dtype to be equal to src.dtype");
  Tensor out = scatter_reduce_raw(a, dim, index, src, reduce, include_self);
  if (auto n = record("ScatterReduceBackward0", scatter_reduce_backward, {&a, &src}, {&out})) {
    n->offset = dim;
    n->ints = {static_cast<int64_t>(reduce)};
    n->flag = include_self;
    n->shape2 = src.sizes();
    n->save({index, a, src});
    n->save_output(out);
  }
  return out;
}

}  // namespace tg

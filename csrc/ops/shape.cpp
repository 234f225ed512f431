// Shape ops. Views share storage and the version counter with their input and are marked as
// differentiable views (set_view_meta) so in-place writes through them can rebase history.
#include <algorithm>
#include <numeric>
#include "autograd/autograd_meta.h"
#include "autograd/function.h"
#include "ops/helpers.h"

namespace tg {
namespace {

Tensor make_view(const Tensor& a, Shape sizes, Shape strides, int64_t offset) {
  Tensor v = Tensor::view_of(a, std::move(sizes), std::move(strides), offset);
  set_view_meta(v, a);
  return v;
}

// Scatters g into zeros of the input's shape at a view geometry expressed over the input's
// contiguous layout: the backward of select/slice/as_strided-style views.
Tensor view_scatter(const Tensor& g, const Shape& in_shape, const Shape& view_strides, int64_t view_offset);

TensorList view_scatter_backward(OpNode& n, const TensorList& g) {
  // d/dg of scattering is reading the same view back.
  Tensor gc = contiguous(g[0]);
  return {as_strided(gc, n.shape2, n.shape, gc.impl()->offset() + n.offset)};
}

Tensor view_scatter(const Tensor& g, const Shape& in_shape, const Shape& view_strides, int64_t view_offset) {
  Tensor out = zeros(in_shape, g.dtype(), g.device());
  Tensor dst = Tensor::view_of(out, g.sizes(), view_strides, view_offset);
  backend_of(g).copy(dst, g);
  if (auto n = record("AsStridedScatterBackward0", view_scatter_backward, {&g}, {&out})) {
    n->shape = view_strides;
    n->shape2 = g.sizes();
    n->offset = view_offset;
  }
  return out;
}

TensorList reshape_backward(OpNode& n, const TensorList& g) { return {reshape(g[0], n.shape)}; }
TensorList t_backward(OpNode&, const TensorList& g) { return {t(g[0])}; }
TensorList transpose_backward(OpNode& n, const TensorList& g) { return {transpose(g[0], n.ints[0], n.ints[1])}; }
TensorList permute_backward(OpNode& n, const TensorList& g) {
  std::vector<int64_t> inv(n.ints.size());
  for (size_t i = 0; i < n.ints.size(); ++i) inv[n.ints[i]] = static_cast<int64_t>(i);
  return {permute(g[0], inv)};
}
TensorList expand_backward(OpNode& n, const TensorList& g) { return {sum_to(g[0], n.shape)}; }
TensorList unsqueeze_backward(OpNode& n, const TensorList& g) { return {squeeze(g[0], n.ints[0])}; }
TensorList identity_backward(OpNode&, const TensorList& g) { return {g[0]}; }
TensorList select_backward(OpNode& n, const TensorList& g) {
  // n.shape: input shape; n.shape2: view strides over the input's contiguous layout.
  return {view_scatter(g[0], n.shape, n.shape2, n.offset)};
}
TensorList as_strided_node_backward(OpNode& n, const TensorList& g) {
  return {as_strided_backward(g[0], n.shape, n.shape2, n.offset, Shape(n.ints.begin(), n.ints.end()),
                              static_cast<int64_t>(n.scalar))};
}

}  // namespace

Tensor view(const Tensor& a, const Shape& shape) {
  check_defined("view", a);
  Shape sizes = infer_size(shape, a.numel(), "view");
  Shape strides;
  TG_CHECK(compute_view_strides(a.sizes(), a.strides(), sizes, &strides),
           "view size is not compatible with input tensor's size and stride (at least one dimension spans across two "
           "contiguous subspaces). Use .reshape(...) instead.");
  Tensor out = make_view(a, sizes, strides, a.impl()->offset());
  if (auto n = record("ViewBackward0", reshape_backward, {&a}, {&out})) n->shape = a.sizes();
  return out;
}

Tensor reshape(const Tensor& a, const Shape& shape) {
  check_defined("reshape", a);
  Shape sizes = infer_size(shape, a.numel(), "reshape");
  Shape strides;
  if (compute_view_strides(a.sizes(), a.strides(), sizes, &strides)) return view(a, sizes);
  // As PyTorch: a copy, then an _unsafe_view of it (the result is not a view of the input).
  return unsafe_view(clone(a), sizes);
}

Tensor unsafe_view(const Tensor& fresh, const Shape& shape) {
  check_defined("_unsafe_view", fresh);
  TG_CHECK(fresh.is_contiguous(), "_unsafe_view: expected a contiguous tensor");
  Shape sizes = infer_size(shape, fresh.numel(), "_unsafe_view");
  Tensor out = Tensor::view_of(fresh, sizes, contiguous_strides(sizes), fresh.impl()->offset());
  if (auto n = record("UnsafeViewBackward0", reshape_backward, {&fresh}, {&out})) n->shape = fresh.sizes();
  return out;
}

Tensor transpose(const Tensor& a, int64_t d0, int64_t d1) {
  check_defined("transpose", a);
  const int64_t nd = a.dim();
  d0 = wrap_dim(d0, nd, "transpose");
  d1 = wrap_dim(d1, nd, "transpose");
  Shape sizes = a.sizes(), strides = a.strides();
  if (nd > 0) {
    std::swap(sizes[d0], sizes[d1]);
    std::swap(strides[d0], strides[d1]);
  }
  Tensor out = make_view(a, sizes, strides, a.impl()->offset());
  if (auto n = record("TransposeBackward0", transpose_backward, {&a}, {&out})) n->ints = {d0, d1};
  return out;
}

Tensor t(const Tensor& a) {
  check_defined("t", a);
  TG_CHECK_SHAPE(a.dim() <= 2, "t() expects a tensor with <= 2 dimensions, but self is ", a.dim(), "D");
  Shape sizes = a.sizes(), strides = a.strides();
  std::reverse(sizes.begin(), sizes.end());
  std::reverse(strides.begin(), strides.end());
  Tensor out = make_view(a, sizes, strides, a.impl()->offset());
  record("TBackward0", t_backward, {&a}, {&out});
  return out;
}

Tensor permute(const Tensor& a, const std::vector<int64_t>& dims) {
  check_defined("permute", a);
  const int64_t nd = a.dim();
  TG_CHECK_SHAPE(static_cast<int64_t>(dims.size()) == nd, "permute(sparse_coo): number of dimensions in the tensor input does not match the length of the desired ordering of dimensions i.e. input.dim() = ",
                 nd, " is not equal to len(dims) = ", dims.size());
  std::vector<int64_t> wrapped(dims.size());
  std::vector<bool> seen(dims.size(), false);
  Shape sizes(nd), strides(nd);
  for (int64_t i = 0; i < nd; ++i) {
    int64_t d = wrap_dim(dims[i], nd, "permute");
    TG_CHECK(!seen[d], "permute(): duplicate dims are not allowed.");
    seen[d] = true;
    wrapped[i] = d;
    sizes[i] = a.size(d);
    strides[i] = a.stride(d);
  }
  Tensor out = make_view(a, sizes, strides, a.impl()->offset());
  if (auto n = record("PermuteBackward0", permute_backward, {&a}, {&out})) n->ints = wrapped;
  return out;
}

Tensor expand(const Tensor& a, const Shape& shape) {
  check_defined("expand", a);
  const int64_t nd = static_cast<int64_t>(shape.size());
  TG_CHECK_SHAPE(nd >= a.dim(), "expand: the number of sizes provided (", nd,
                 ") must be greater or equal to the number of dimensions in the tensor (", a.dim(), ")");
  Shape sizes(nd), strides(nd);
  const int64_t off = nd - a.dim();
  for (int64_t i = nd - 1; i >= 0; --i) {
    int64_t target = shape[i];
    if (i >= off) {
      int64_t s = a.size(i - off);
      if (target == -1) target = s;
      TG_CHECK_SHAPE(s == target || s == 1, "The expanded size of the tensor (", target,
                     ") must match the existing size (", s, ") at non-singleton dimension ", i,
                     ".  Target sizes: ", shape_str(shape), ".  Tensor sizes: ", shape_str(a.sizes()));
      sizes[i] = target;
      strides[i] = s == target ? a.stride(i - off) : 0;
    } else {
      TG_CHECK_SHAPE(target >= 0, "The expanded size of the tensor (", target,
                     ") isn't allowed in a leading, non-existing dimension ", i);
      sizes[i] = target;
      strides[i] = 0;
    }
  }
  if (sizes == a.sizes()) return alias(a);
  Tensor out = make_view(a, sizes, strides, a.impl()->offset());
  if (auto n = record("ExpandBackward0", expand_backward, {&a}, {&out})) n->shape = a.sizes();
  return out;
}

Tensor squeeze(const Tensor& a) {
  check_defined("squeeze", a);
  Shape sizes, strides;
  for (int64_t d = 0; d < a.dim(); ++d)
    if (a.size(d) != 1) { sizes.push_back(a.size(d)); strides.push_back(a.stride(d)); }
  Tensor out = make_view(a, sizes, strides, a.impl()->offset());
  if (auto n = record("SqueezeBackward0", reshape_backward, {&a}, {&out})) n->shape = a.sizes();
  return out;
}

Tensor squeeze(const Tensor& a, int64_t dim, const char* node_name) {
  check_defined("squeeze", a);
  int64_t d = wrap_dim(dim, a.dim(), "squeeze");
  Shape sizes = a.sizes(), strides = a.strides();
  if (a.dim() > 0 && sizes[d] == 1) {
    sizes.erase(sizes.begin() + d);
    strides.erase(strides.begin() + d);
  }
  Tensor out = make_view(a, sizes, strides, a.impl()->offset());
  if (auto n = record(node_name, reshape_backward, {&a}, {&out})) n->shape = a.sizes();
  return out;
}

Tensor unsqueeze(const Tensor& a, int64_t dim) {
  check_defined("unsqueeze", a);
  int64_t d = wrap_dim(dim, a.dim() + 1, "unsqueeze");
  Shape sizes = a.sizes(), strides = a.strides();
  int64_t st = d < a.dim() ? a.stride(d) * a.size(d) : 1;
  sizes.insert(sizes.begin() + d, 1);
  strides.insert(strides.begin() + d, st);
  Tensor out = make_view(a, sizes, strides, a.impl()->offset());
  if (auto n = record("UnsqueezeBackward0", unsqueeze_backward, {&a}, {&out})) n->ints = {d};
  return out;
}

Tensor select(const Tensor& a, int64_t dim, int64_t index) {
  check_defined("select", a);
  TG_CHECK_INDEX(a.dim() > 0, "select() cannot be applied to a 0-dim tensor.");
  int64_t d = wrap_dim(dim, a.dim(), "select");
  int64_t size = a.size(d);
  TG_CHECK_INDEX(index >= -size && index < size, "index ", index, " is out of bounds for dimension ", d, " with size ", size);
  if (index < 0) index += size;
  Shape sizes = a.sizes(), strides = a.strides();
  int64_t offset = a.impl()->offset() + index * strides[d];
  sizes.erase(sizes.begin() + d);
  strides.erase(strides.begin() + d);
  Tensor out = make_view(a, sizes, strides, offset);
  if (auto n = record("SelectBackward0", select_backward, {&a}, {&out})) {
    Shape cs = contiguous_strides(a.sizes());
    n->shape = a.sizes();
    n->offset = index * cs[d];
    cs.erase(cs.begin() + d);
    n->shape2 = cs;
  }
  return out;
}

Tensor slice(const Tensor& a, int64_t dim, std::optional<int64_t> start_opt, std::optional<int64_t> end_opt, int64_t step) {
  check_defined("slice", a);
  TG_CHECK_INDEX(a.dim() > 0, "slice() cannot be applied to a 0-dim tensor.");
  TG_CHECK_VALUE(step > 0, "slice step must be positive");
  int64_t d = wrap_dim(dim, a.dim(), "slice");
  const int64_t size = a.size(d);
  auto clampi = [size](int64_t v) {
    if (v < 0) v += size;
    return std::min(std::max<int64_t>(v, 0), size);
  };
  int64_t start = start_opt ? clampi(*start_opt) : 0;
  int64_t end = end_opt ? clampi(*end_opt) : size;
  if (end < start) end = start;
  int64_t len = (end - start + step - 1) / step;
  Shape sizes = a.sizes(), strides = a.strides();
  int64_t offset = a.impl()->offset() + start * strides[d];
  sizes[d] = len;
  strides[d] *= step;
  Tensor out = make_view(a, sizes, strides, offset);
  if (auto n = record("SliceBackward0", select_backward, {&a}, {&out})) {
    Shape cs = contiguous_strides(a.sizes());
    n->shape = a.sizes();
    n->offset = start * cs[d];
    cs[d] *= step;
    n->shape2 = cs;
  }
  return out;
}

Tensor alias(const Tensor& a) {
  check_defined("alias", a);
  Tensor out = make_view(a, a.sizes(), a.strides(), a.impl()->offset());
  record("AliasBackward0", identity_backward, {&a}, {&out});
  return out;
}

Tensor as_strided(const Tensor& a, const Shape& sizes, const Shape& strides, int64_t storage_offset) {
  check_defined("as_strided", a);
  TG_CHECK_SHAPE(sizes.size() == strides.size(), "as_strided: mismatch in length of strides and shape");
  TG_CHECK_SHAPE(storage_offset >= 0, "Tensor: invalid storage offset ", storage_offset);
  // The last element's index, checked for overflow: past 2^63 it would wrap to a small index
  // and pass the bounds check below.
  int64_t extent = storage_offset;
  for (size_t i = 0; i < sizes.size(); ++i) {
    TG_CHECK_SHAPE(sizes[i] >= 0 && strides[i] >= 0, "as_strided: negative size or stride");
    if (sizes[i] == 0) { extent = -1; break; }
    int64_t span;
    TG_CHECK_SHAPE(!__builtin_mul_overflow(sizes[i] - 1, strides[i], &span) && !__builtin_add_overflow(extent, span, &extent),
                   "Storage size calculation overflowed with sizes=", shape_str(sizes), " and strides=", shape_str(strides));
  }
  int64_t storage_numel = static_cast<int64_t>(a.impl()->storage()->nbytes() / dtype_size(a.dtype()));
  TG_CHECK_SHAPE(extent < storage_numel, "setStorage: sizes ", shape_str(sizes), ", strides ", shape_str(strides),
                 " and storage offset ", storage_offset, " are out of bounds for storage of ", storage_numel, " elements");
  Tensor out = make_view(a, sizes, strides, storage_offset);
  if (auto n = record("AsStridedBackward0", as_strided_node_backward, {&a}, {&out})) {
    n->shape = a.sizes();
    n->shape2 = a.strides();
    n->offset = a.impl()->offset();
    n->ints = std::vector<int64_t>(strides.begin(), strides.end());
    n->scalar = static_cast<double>(storage_offset);
  }
  return out;
}

// Note [as_strided backward]: both geometries address the same storage. The gradient is
// accumulated per storage element (so overlapping views sum), then read back through the
// input's geometry. Its own adjoint is the same map with the two geometries swapped.
TensorList as_strided_scatter_backward(OpNode& n, const TensorList& g) {
  return {as_strided_backward(g[0], n.shape, n.shape2, n.offset, Shape(n.ints.begin(), n.ints.end()),
                              static_cast<int64_t>(n.scalar))};
}

Tensor as_strided_backward(const Tensor& grad, const Shape& in_sizes, const Shape& in_strides, int64_t in_offset,
                           const Shape& out_strides, int64_t out_offset) {
  // One past the last storage element either geometry touches.
  auto end_of = [](const Shape& sizes, const Shape& strides, int64_t offset) {
    int64_t last = offset;
    for (size_t i = 0; i < sizes.size(); ++i) {
      if (sizes[i] == 0) return offset;
      last += (sizes[i] - 1) * strides[i];
    }
    return last + 1;
  };
  int64_t extent = std::max(end_of(in_sizes, in_strides, in_offset), end_of(grad.sizes(), out_strides, out_offset));
  Tensor buf = zeros({extent}, grad.dtype(), grad.device());
  Tensor g = contiguous_raw(grad);
  if (g.numel() > 0) backend_of(g).scatter_add_strided(buf, g, out_strides, out_offset);
  Tensor in_view = Tensor::view_of(buf, in_sizes, in_strides, in_offset);
  Tensor out = contiguous_raw(in_view);
  if (auto n = record("AsStridedScatterBackward0", as_strided_scatter_backward, {&grad}, {&out})) {
    n->shape = grad.sizes();
    n->shape2 = out_strides;
    n->offset = out_offset;
    n->ints = std::vector<int64_t>(in_strides.begin(), in_strides.end());
    n->scalar = static_cast<double>(in_offset);
  }
  return out;
}

TensorList clone_backward(OpNode&, const TensorList& g) { return {g[0]}; }

Tensor clone(const Tensor& a) {
  check_defined("clone", a);
  Tensor out = Tensor::empty(a.sizes(), a.dtype(), a.device());
  backend_of(a).copy(out, a);
  record("CloneBackward0", clone_backward, {&a}, {&out});
  return out;
}

Tensor contiguous(const Tensor& a) {
  check_defined("contiguous", a);
  return a.is_contiguous() ? a : clone(a);
}

Tensor detach(const Tensor& a) {
  check_defined("detach", a);
  // Shares storage and version counter (F1) but is not a differentiable view.
  return Tensor::view_of(a, a.sizes(), a.strides(), a.impl()->offset());
}

Tensor to_dtype(const Tensor& a, DType dtype) {
  check_defined("to", a);
  if (a.dtype() == dtype) return a;
  Tensor out = Tensor::empty(a.sizes(), dtype, a.device());
  backend_of(a).copy(out, a);
  record("ToCopyBackward0", clone_backward, {&a}, {&out});
  return out;
}

}  // namespace tg

// Movement ops: views that rearrange dims and copies that rearrange elements. Views are
// built from the foundation's views (reshape, permute, transpose, expand, slice) or marked
// with set_view_meta here (diagonal); copies run the copy/where kernels on strided views of
// their input and output (flip, roll and rot90 among them), or the select_indices gather
// (repeat_interleave), and record one node named as in PyTorch whose formula is written in
// differentiable ops.
#include "ops/movement.h"
#include <algorithm>
#include "autograd/autograd_meta.h"
#include "autograd/function.h"
#include "ops/helpers.h"

namespace tg {
namespace {

std::string ints_str(const std::vector<int64_t>& v) {
  std::string s = "[";
  for (size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + std::to_string(v[i]);
  return s + "]";
}

// A fresh copy of t (no recording).
Tensor copy_raw(const Tensor& t) {
  Tensor out = Tensor::empty(t.sizes(), t.dtype(), t.device());
  if (t.numel() > 0) backend_of(t).copy(out, t);
  return out;
}

// t itself when it is a new tensor, else a copy: copying ops never return storage of `a`.
Tensor fresh(const Tensor& t, const Tensor& a) { return t.shares_storage(a) ? copy_raw(t) : t; }

// Gathers index slices of `a` along dim into a new contiguous tensor (no recording).
Tensor gather_raw(const Tensor& a, int64_t dim, const std::vector<int64_t>& idx) {
  Shape sizes = a.sizes();
  sizes[dim] = static_cast<int64_t>(idx.size());
  Tensor out = Tensor::empty(sizes, a.dtype(), a.device());
  Tensor index = from_host(idx.data(), {static_cast<int64_t>(idx.size())}, DType::Int64, a.device());
  backend_of(a).select_indices(out, a, dim, index);
  return out;
}

// ---- index_select / its adjoint (repeat_interleave with a tensor of repeats)
// n.ints = index, n.offset = dim, n.shape = input shape.
Tensor index_select_op(const Tensor& a, int64_t dim, const std::vector<int64_t>& idx);
Tensor index_add_op(const Tensor& g, const Shape& shape, int64_t dim, const std::vector<int64_t>& idx);

TensorList index_select_backward(OpNode& n, const TensorList& g) { return {index_add_op(g[0], n.shape, n.offset, n.ints)}; }
TensorList index_add_backward(OpNode& n, const TensorList& g) { return {index_select_op(g[0], n.offset, n.ints)}; }

Tensor index_select_op(const Tensor& a, int64_t dim, const std::vector<int64_t>& idx) {
  Tensor out = gather_raw(a, dim, idx);
  if (auto n = record("IndexSelectBackward0", index_select_backward, {&a}, {&out})) {
    n->ints = idx;
    n->offset = dim;
    n->shape = a.sizes();
  }
  return out;
}

Tensor index_add_op(const Tensor& g, const Shape& shape, int64_t dim, const std::vector<int64_t>& idx) {
  Tensor out = zeros(shape, g.dtype(), g.device());
  Tensor index = from_host(idx.data(), {static_cast<int64_t>(idx.size())}, DType::Int64, g.device());
  backend_of(g).add_indices(out, dim, index, g);
  if (auto n = record("IndexAddBackward0", index_add_backward, {&g}, {&out})) {
    n->ints = idx;
    n->offset = dim;
  }
  return out;
}

// ---- diagonals
struct DiagGeometry {
  Shape sizes, strides;
  int64_t offset;
};

// The diagonal view's geometry over a tensor of (sizes, strides, offset).
DiagGeometry diag_geometry(const Shape& sizes, const Shape& strides, int64_t base, int64_t offset, int64_t d1, int64_t d2) {
  int64_t len = offset >= 0 ? std::min(sizes[d1], sizes[d2] - offset) : std::min(sizes[d1] + offset, sizes[d2]);
  len = std::max<int64_t>(len, 0);
  DiagGeometry g{sizes, strides, base};
  if (len > 0) g.offset += offset >= 0 ? offset * strides[d2] : -offset * strides[d1];
  int64_t st = strides[d1] + strides[d2];
  int64_t hi = std::max(d1, d2), lo = std::min(d1, d2);
  g.sizes.erase(g.sizes.begin() + hi);
  g.strides.erase(g.strides.begin() + hi);
  g.sizes.erase(g.sizes.begin() + lo);
  g.strides.erase(g.strides.begin() + lo);
  g.sizes.push_back(len);
  g.strides.push_back(st);
  return g;
}

// Zeros of `shape` with `src` written on its (offset, d1, d2) diagonal: diag_embed's forward
// and diagonal's backward. Its own backward reads the diagonal back.
// n.ints = {offset, d1, d2}.
TensorList diag_scatter_backward(OpNode& n, const TensorList& g) { return {diagonal(g[0], n.ints[0], n.ints[1], n.ints[2])}; }

Tensor diag_scatter(const Tensor& src, const Shape& shape, int64_t offset, int64_t d1, int64_t d2, const char* name) {
  Tensor out = zeros(shape, src.dtype(), src.device());
  DiagGeometry geo = diag_geometry(out.sizes(), out.strides(), 0, offset, d1, d2);
  TG_CHECK_SHAPE(geo.sizes == src.sizes(), name, ": expected a tensor of shape ", shape_str(geo.sizes), ", got ",
                 shape_str(src.sizes()));
  if (src.numel() > 0) backend_of(src).copy(Tensor::view_of(out, geo.sizes, geo.strides, geo.offset), src);
  if (auto n = record(name, diag_scatter_backward, {&src}, {&out})) n->ints = {offset, d1, d2};
  return out;
}

// n.shape = input shape, n.ints = {offset, d1, d2}.
TensorList diagonal_backward(OpNode& n, const TensorList& g) {
  return {diag_scatter(g[0], n.shape, n.ints[0], n.ints[1], n.ints[2], "DiagonalBackwardBackward0")};
}

TensorList trace_backward(OpNode& n, const TensorList& g) {
  int64_t len = std::min(n.shape[0], n.shape[1]);
  return {diag_scatter(expand(g[0], {len}), n.shape, 0, 0, 1, "DiagonalBackwardBackward0")};
}

// ---- the copies' formulas
// n.ints = {dim, length of input 0, ...}; -1 marks a skipped legacy empty [0] input.
TensorList cat_backward(OpNode& n, const TensorList& g) {
  const int64_t dim = n.ints[0];
  TensorList out;
  int64_t start = 0;
  for (size_t i = 1; i < n.ints.size(); ++i) {
    int64_t len = n.ints[i];
    if (len < 0) {
      out.push_back(zeros({0}, g[0].dtype(), g[0].device()));
      continue;
    }
    out.push_back(slice(g[0], dim, start, start + len, 1));
    start += len;
  }
  return out;
}

// n.ints = {dim}; n.offset = number of inputs.
TensorList stack_backward(OpNode& n, const TensorList& g) {
  TensorList out;
  for (int64_t i = 0; i < n.offset; ++i) out.push_back(select(g[0], n.ints[0], i));
  return out;
}

// n.ints = repeats, n.shape = input shape.
TensorList repeat_backward(OpNode& n, const TensorList& g) {
  const size_t nd = n.ints.size();
  const size_t lead = nd - n.shape.size();
  Shape split;
  std::vector<int64_t> sum_dims;
  for (size_t i = 0; i < nd; ++i) {
    split.push_back(n.ints[i]);
    split.push_back(i < lead ? 1 : n.shape[i - lead]);
    sum_dims.push_back(static_cast<int64_t>(2 * i));
  }
  Tensor r = reshape(g[0], split);
  if (!sum_dims.empty()) r = sum(r, sum_dims, false);
  return {reshape(r, n.shape)};
}

TensorList flip_backward(OpNode& n, const TensorList& g) { return {flip(g[0], n.ints)}; }

// n.ints = shifts, n.shape2 = dims.
TensorList roll_backward(OpNode& n, const TensorList& g) {
  std::vector<int64_t> neg(n.ints.size());
  for (size_t i = 0; i < neg.size(); ++i) neg[i] = -n.ints[i];
  return {roll(g[0], neg, std::vector<int64_t>(n.shape2.begin(), n.shape2.end()))};
}

// n.ints = {k, d0, d1}.
TensorList rot90_backward(OpNode& n, const TensorList& g) { return {rot90(g[0], -n.ints[0], {n.ints[1], n.ints[2]})}; }

TensorList tril_backward(OpNode& n, const TensorList& g) { return {tril(g[0], n.ints[0])}; }
TensorList triu_backward(OpNode& n, const TensorList& g) { return {triu(g[0], n.ints[0])}; }

// `a` seen backwards along the dims: a view with those strides negated and its offset at their
// last element. Negative strides never leave this file: the view is only ever copied out of.
Tensor flipped_view(const Tensor& a, const std::vector<int64_t>& dims) {
  Shape strides = a.strides();
  int64_t offset = a.impl()->offset();
  for (int64_t d : dims) {
    if (a.size(d) <= 1) continue;
    offset += (a.size(d) - 1) * strides[d];
    strides[d] = -strides[d];
  }
  return Tensor::view_of(a, a.sizes(), strides, offset);
}

// Flips `a` along the dims (no recording): one copy out of flipped_view.
Tensor flip_raw(const Tensor& a, const std::vector<int64_t>& dims) { return copy_raw(flipped_view(a, dims)); }

// `a` with dims d0 and d1 swapped, as a view (no recording).
Tensor swapped_view(const Tensor& a, int64_t d0, int64_t d1) {
  Shape sizes = a.sizes(), strides = a.strides();
  std::swap(sizes[d0], sizes[d1]);
  std::swap(strides[d0], strides[d1]);
  return Tensor::view_of(a, sizes, strides, a.impl()->offset());
}

Tensor tri(const Tensor& a, int64_t k, bool lower) {
  const char* name = lower ? "tril" : "triu";
  check_defined(name, a);
  TG_CHECK(a.dim() >= 2, name, ": input tensor must have at least 2 dimensions");
  Tensor out = Tensor::empty(a.sizes(), a.dtype(), a.device());
  backend_of(a).triangle(out, contiguous_raw(a), k, lower);
  if (auto n = record(lower ? "TrilBackward0" : "TriuBackward0", lower ? tril_backward : triu_backward, {&a}, {&out}))
    n->ints = {k};
  return out;
}

}  // namespace

// ---------------------------------------------------------------- views

Tensor flatten(const Tensor& a, int64_t start_dim, int64_t end_dim) {
  check_defined("flatten", a);
  if (a.dim() == 0) return reshape(a, {1});
  const int64_t s = wrap_dim(start_dim, a.dim(), "flatten"), e = wrap_dim(end_dim, a.dim(), "flatten");
  TG_CHECK(s <= e, "flatten() has invalid args: start_dim cannot come after end_dim");
  if (s == e) return a;
  Shape shape;
  int64_t prod = 1;
  for (int64_t d = 0; d < a.dim(); ++d) {
    if (d < s || d > e) shape.push_back(a.size(d));
    else prod *= a.size(d);
    if (d == e) shape.push_back(prod);
  }
  return reshape(a, shape);
}

Tensor unflatten(const Tensor& a, int64_t dim, const std::vector<int64_t>& sizes) {
  check_defined("unflatten", a);
  const int64_t d = wrap_dim(dim, a.dim(), "unflatten");
  TG_CHECK(!sizes.empty(), "unflatten: sizes must be non-empty");
  const int64_t size = a.dim() > 0 ? a.size(d) : 1;
  int64_t prod = 1, infer = -1;
  for (size_t i = 0; i < sizes.size(); ++i) {
    if (sizes[i] == -1) {
      TG_CHECK(infer < 0, "unflatten: only one dimension can be inferred");
      infer = static_cast<int64_t>(i);
    } else {
      TG_CHECK(sizes[i] >= 0, "unflatten: invalid shape dimension ", sizes[i]);
      prod *= sizes[i];
    }
  }
  std::vector<int64_t> full = sizes;
  bool ok = infer < 0 ? prod == size : prod > 0 && size % prod == 0;
  TG_CHECK_SHAPE(ok, "unflatten: Provided sizes ", ints_str(sizes), " don't multiply up to the size of dim ", dim, " (",
                 size, ") in the input tensor");
  if (infer >= 0) full[infer] = size / prod;
  Shape shape;
  for (int64_t i = 0; i < a.dim(); ++i) {
    if (i == d) for (int64_t f : full) shape.push_back(f);
    else shape.push_back(a.size(i));
  }
  if (a.dim() == 0) shape = Shape(full.begin(), full.end());
  return view(a, shape);
}

Tensor movedim(const Tensor& a, const std::vector<int64_t>& source, const std::vector<int64_t>& destination) {
  check_defined("movedim", a);
  const int64_t nd = a.dim();
  TG_CHECK(source.size() == destination.size(), "movedim: Invalid source or destination dims: source (", ints_str(source),
           " dims) should contain the same number of dims as destination (", ints_str(destination), " dims)");
  std::vector<int64_t> src(source.size()), dst(destination.size());
  std::vector<bool> used_src(std::max<int64_t>(nd, 1), false), used_dst(std::max<int64_t>(nd, 1), false);
  for (size_t i = 0; i < source.size(); ++i) {
    src[i] = wrap_dim(source[i], nd, "movedim");
    dst[i] = wrap_dim(destination[i], nd, "movedim");
  }
  for (size_t i = 0; i < src.size(); ++i) {
    TG_CHECK(!used_src[src[i]], "movedim: repeated dim in `source` (", ints_str(source), ")");
    used_src[src[i]] = true;
  }
  for (size_t i = 0; i < dst.size(); ++i) {
    TG_CHECK(!used_dst[dst[i]], "movedim: repeated dim in `destination` (", ints_str(destination), ")");
    used_dst[dst[i]] = true;
  }
  if (nd == 0) return alias(a);
  std::vector<int64_t> perm(nd, -1);
  for (size_t i = 0; i < src.size(); ++i) perm[dst[i]] = src[i];
  int64_t next_src = 0;
  for (int64_t p = 0; p < nd; ++p) {
    if (perm[p] >= 0) continue;
    while (used_src[next_src]) ++next_src;
    perm[p] = next_src++;
  }
  return permute(a, perm);
}

Tensor mT(const Tensor& a) {
  check_defined("mT", a);
  TG_CHECK(a.dim() >= 2, "tensor.mT is only supported on matrices or batches of matrices. Got ", a.dim(), "-D tensor.");
  return transpose(a, -2, -1);
}

Tensor broadcast_to(const Tensor& a, const Shape& shape) { return expand(a, shape); }

Tensor narrow(const Tensor& a, int64_t dim, int64_t start, int64_t length) {
  check_defined("narrow", a);
  TG_CHECK(a.dim() > 0, "narrow() cannot be applied to a 0-dim tensor.");
  TG_CHECK(length >= 0, "narrow(): length must be non-negative.");
  const int64_t d = wrap_dim(dim, a.dim(), "narrow");
  const int64_t size = a.size(d);
  TG_CHECK_INDEX(start >= -size && start <= size, "start out of range (expected to be in range of [", -size, ", ", size,
                 "], but got ", start, ")");
  if (start < 0) start += size;
  TG_CHECK(start <= size - length, "start (", start, ") + length (", length, ") exceeds dimension size (", size, ").");
  return slice(a, d, start, start + length, 1);
}

Tensor diagonal(const Tensor& a, int64_t offset, int64_t dim1, int64_t dim2) {
  check_defined("diagonal", a);
  const int64_t d1 = wrap_dim(dim1, a.dim(), "diagonal"), d2 = wrap_dim(dim2, a.dim(), "diagonal");
  TG_CHECK(d1 != d2, "diagonal dimensions cannot be identical ", dim1, ", ", dim2);
  TG_CHECK(a.dim() >= 2, "diagonal: expected a tensor with at least 2 dimensions, got ", a.dim());
  DiagGeometry geo = diag_geometry(a.sizes(), a.strides(), a.impl()->offset(), offset, d1, d2);
  Tensor out = Tensor::view_of(a, geo.sizes, geo.strides, geo.offset);
  set_view_meta(out, a);
  if (auto n = record("DiagonalBackward0", diagonal_backward, {&a}, {&out})) {
    n->shape = a.sizes();
    n->ints = {offset, d1, d2};
  }
  return out;
}

// ---------------------------------------------------------------- copies

Tensor cat(const TensorList& ts, int64_t dim) {
  TG_CHECK_VALUE(!ts.empty(), "cat(): expected a non-empty list of Tensors");
  // As in PyTorch, 1-D empty tensors ([0]) are skipped: they concatenate with any shape.
  auto skipped = [](const Tensor& t) { return t.dim() == 1 && t.numel() == 0; };
  size_t ref = 0;
  for (size_t i = 0; i < ts.size(); ++i) {
    check_defined("cat", ts[i]);
    TG_CHECK_SHAPE(ts[i].dim() > 0, "zero-dimensional tensor (at position ", i, ") cannot be concatenated");
    check_same_device("cat", ts[0], ts[i]);
  }
  while (ref < ts.size() && skipped(ts[ref])) ++ref;
  DType dtype = ts[0].dtype();
  for (const Tensor& t : ts) dtype = promote_types(dtype, t.dtype());
  const Tensor& r = ts[ref < ts.size() ? ref : 0];
  const int64_t nd = r.dim();
  const int64_t d = wrap_dim(dim, nd, "cat");
  Shape shape = r.sizes();
  int64_t total = 0;
  for (size_t i = 0; i < ts.size(); ++i) {
    if (ref < ts.size() && skipped(ts[i])) continue;
    TG_CHECK_SHAPE(ts[i].dim() == nd, "Tensors must have same number of dimensions: got ", nd, " and ", ts[i].dim());
    for (int64_t k = 0; k < nd; ++k) {
      if (k == d) continue;
      TG_CHECK_SHAPE(ts[i].size(k) == r.size(k), "Sizes of tensors must match except in dimension ", d,
                     ". Expected size ", r.size(k), " but got size ", ts[i].size(k), " for tensor number ", i,
                     " in the list.");
    }
    total += ts[i].size(d);
  }
  shape[d] = total;
  Tensor out = Tensor::empty(shape, dtype, r.device());
  std::vector<int64_t> lengths{d};
  std::vector<Tensor> parts;
  for (size_t i = 0; i < ts.size(); ++i) {
    if (ref < ts.size() && skipped(ts[i])) {
      lengths.push_back(-1);
      continue;
    }
    lengths.push_back(ts[i].size(d));
    parts.push_back(cast_raw(ts[i], dtype));
  }
  backend_of(out).cat(out, parts, d);
  std::vector<const Tensor*> ins;
  for (const Tensor& t : ts) ins.push_back(&t);
  if (auto n = record("CatBackward0", cat_backward, ins, {&out})) n->ints = lengths;
  return out;
}

Tensor stack(const TensorList& ts, int64_t dim) {
  TG_CHECK_VALUE(!ts.empty(), "stack expects a non-empty TensorList");
  for (size_t i = 0; i < ts.size(); ++i) {
    check_defined("stack", ts[i]);
    check_same_device("stack", ts[0], ts[i]);
    TG_CHECK_SHAPE(ts[i].sizes() == ts[0].sizes(), "stack expects each tensor to be equal size, but got ",
                   shape_str(ts[0].sizes()), " at entry 0 and ", shape_str(ts[i].sizes()), " at entry ", i);
  }
  const int64_t d = wrap_dim(dim, ts[0].dim() + 1, "stack");
  DType dtype = ts[0].dtype();
  for (const Tensor& t : ts) dtype = promote_types(dtype, t.dtype());
  Shape shape = ts[0].sizes();
  shape.insert(shape.begin() + d, static_cast<int64_t>(ts.size()));
  Tensor out = Tensor::empty(shape, dtype, ts[0].device());
  if (out.numel() > 0) {
    Shape sizes = shape, strides = out.strides();
    sizes.erase(sizes.begin() + d);
    strides.erase(strides.begin() + d);
    for (size_t i = 0; i < ts.size(); ++i)
      backend_of(out).copy(Tensor::view_of(out, sizes, strides, static_cast<int64_t>(i) * out.stride(d)), cast_raw(ts[i], dtype));
  }
  std::vector<const Tensor*> ins;
  for (const Tensor& t : ts) ins.push_back(&t);
  if (auto n = record("StackBackward0", stack_backward, ins, {&out})) {
    n->ints = {d};
    n->offset = static_cast<int64_t>(ts.size());
  }
  return out;
}

Tensor hstack(const TensorList& ts) {
  TG_CHECK_VALUE(!ts.empty(), "hstack expects a non-empty TensorList");
  TensorList parts;
  for (const Tensor& t : ts) {
    check_defined("hstack", t);
    parts.push_back(t.dim() == 0 ? reshape(t, {1}) : t);
  }
  return cat(parts, parts[0].dim() == 1 ? 0 : 1);
}

Tensor vstack(const TensorList& ts) {
  TG_CHECK_VALUE(!ts.empty(), "vstack expects a non-empty TensorList");
  TensorList parts;
  for (const Tensor& t : ts) {
    check_defined("vstack", t);
    parts.push_back(t.dim() == 0 ? reshape(t, {1, 1}) : t.dim() == 1 ? unsqueeze(t, 0) : t);
  }
  return cat(parts, 0);
}

Tensor repeat(const Tensor& a, const std::vector<int64_t>& reps) {
  check_defined("repeat", a);
  TG_CHECK(static_cast<int64_t>(reps.size()) >= a.dim(),
           "Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor");
  const size_t nd = reps.size();
  const size_t lead = nd - static_cast<size_t>(a.dim());
  Shape shape(nd);
  for (size_t i = 0; i < nd; ++i) shape[i] = (i < lead ? 1 : a.size(static_cast<int64_t>(i - lead))) * reps[i];
  for (size_t i = 0; i < nd; ++i)
    TG_CHECK(shape[i] >= 0, "Trying to create tensor with negative dimension ", shape[i], ": ", shape_str(shape));
  Tensor out = Tensor::empty(shape, a.dtype(), a.device());
  if (out.numel() > 0) {
    // out as [r0, s0, r1, s1, ...]; a broadcast along every r_i.
    Shape split, dst_strides, src_strides;
    for (size_t i = 0; i < nd; ++i) {
      const int64_t s = i < lead ? 1 : a.size(static_cast<int64_t>(i - lead));
      split.push_back(reps[i]);
      split.push_back(s);
      dst_strides.push_back(s * out.stride(static_cast<int64_t>(i)));
      dst_strides.push_back(out.stride(static_cast<int64_t>(i)));
      src_strides.push_back(0);
      src_strides.push_back(i < lead ? 0 : a.stride(static_cast<int64_t>(i - lead)));
    }
    backend_of(a).copy(Tensor::view_of(out, split, dst_strides, 0), Tensor::view_of(a, split, src_strides, a.impl()->offset()));
  }
  if (auto n = record("RepeatBackward0", repeat_backward, {&a}, {&out})) {
    n->ints = reps;
    n->shape = a.sizes();
  }
  return out;
}

Tensor tile(const Tensor& a, const std::vector<int64_t>& reps) {
  check_defined("tile", a);
  std::vector<int64_t> r = reps;
  if (static_cast<int64_t>(r.size()) < a.dim()) r.insert(r.begin(), a.dim() - r.size(), 1);
  return repeat(a, r);
}

Tensor repeat_interleave(const Tensor& a, int64_t repeats, std::optional<int64_t> dim) {
  check_defined("repeat_interleave", a);
  TG_CHECK(repeats >= 0, "Repeats must be non-negative");
  Tensor in = dim ? a : flatten(a);
  const int64_t d = dim ? wrap_dim(*dim, in.dim(), "repeat_interleave") : 0;
  if (in.dim() == 0) in = reshape(in, {1});
  Tensor u = unsqueeze(in, d + 1);
  Shape es = u.sizes();
  es[d + 1] = repeats;
  Shape shape = in.sizes();
  shape[d] *= repeats;
  // As PyTorch: the expanded tensor is copied, and the result is a view of that copy.
  return view(contiguous(expand(u, es)), shape);
}

Tensor repeat_interleave(const Tensor& a, const Tensor& repeats, std::optional<int64_t> dim) {
  check_defined("repeat_interleave", a);
  check_defined("repeat_interleave", repeats);
  TG_CHECK(repeats.dim() <= 1, "repeats must be 0-dim or 1-dim tensor");
  TG_CHECK_KIND(ErrorKind::NotImplemented, is_integral(repeats.dtype(), false), "\"repeat_interleave_cpu\" not implemented for '",
                dtype_legacy_name(repeats.dtype()), "'");
  Tensor in = dim ? a : flatten(a);
  const int64_t d = dim ? wrap_dim(*dim, in.dim(), "repeat_interleave") : 0;
  if (in.dim() == 0) in = reshape(in, {1});
  const int64_t n = in.size(d);
  Tensor r = contiguous_raw(cast_raw(repeats, DType::Int64));
  const int64_t m = r.numel();
  const int64_t* rv = r.data<int64_t>();
  TG_CHECK(m == 1 || m == n, "repeats must have the same size as input along dim, but got repeats.size(0) = ", m,
           " and input.size(", d, ") = ", n);
  std::vector<int64_t> idx;
  for (int64_t i = 0; i < n; ++i) {
    const int64_t k = rv[m == 1 ? 0 : i];
    TG_CHECK(k >= 0, "repeats can not be negative");
    idx.insert(idx.end(), static_cast<size_t>(k), i);
  }
  return index_select_op(in, d, idx);
}

Tensor flip(const Tensor& a, const std::vector<int64_t>& dims) {
  check_defined("flip", a);
  std::vector<int64_t> wrapped;
  std::vector<bool> seen(std::max<int64_t>(a.dim(), 1), false);
  for (int64_t dim : dims) {
    const int64_t d = wrap_dim(dim, a.dim(), "flip");
    TG_CHECK(!seen[d], "dim ", d, " appears multiple times in the list of dims");
    seen[d] = true;
    wrapped.push_back(d);
  }
  Tensor out = fresh(a.dim() == 0 ? a : flip_raw(a, wrapped), a);
  if (auto n = record("FlipBackward0", flip_backward, {&a}, {&out})) n->ints = wrapped;
  return out;
}

Tensor roll(const Tensor& a, const std::vector<int64_t>& shifts, const std::vector<int64_t>& dims) {
  check_defined("roll", a);
  // The two blocks of dim d trade places: two copies between narrowed views.
  auto roll_raw = [](const Tensor& t, int64_t d, int64_t shift) {
    const int64_t n = t.size(d);
    if (n == 0) return t;
    const int64_t s = ((shift % n) + n) % n;
    if (s == 0) return t;
    Tensor out = Tensor::empty(t.sizes(), t.dtype(), t.device());
    if (out.numel() == 0) return out;
    auto part = [d](const Tensor& x, int64_t start, int64_t len) {
      Shape sizes = x.sizes();
      sizes[d] = len;
      return Tensor::view_of(x, sizes, x.strides(), x.impl()->offset() + start * x.stride(d));
    };
    Backend& be = backend_of(t);
    be.copy(part(out, s, n - s), part(t, 0, n - s));
    be.copy(part(out, 0, s), part(t, n - s, s));
    return out;
  };
  Tensor out;
  std::vector<int64_t> wrapped;
  if (dims.empty()) {
    TG_CHECK(shifts.size() == 1, "shifts and dimensions must align. shifts: ", shifts.size(), ", dims:", dims.size());
    Tensor flat = contiguous_raw(a);
    flat = Tensor::view_of(flat, {a.numel()}, {1}, flat.impl()->offset());
    Tensor rolled = roll_raw(flat, 0, shifts[0]);
    out = Tensor::view_of(rolled, a.sizes(), contiguous_strides(a.sizes()), rolled.impl()->offset());
  } else {
    TG_CHECK(shifts.size() == dims.size(), "shifts and dimensions must align. shifts: ", shifts.size(), ", dims:", dims.size());
    TG_CHECK_INDEX(a.dim() > 0, "Dimension specified as ", dims[0], " but tensor has no dimensions");
    out = a;
    for (size_t i = 0; i < dims.size(); ++i) {
      wrapped.push_back(wrap_dim(dims[i], a.dim(), "roll"));
      out = roll_raw(out, wrapped.back(), shifts[i]);
    }
  }
  out = fresh(out, a);
  if (auto n = record("RollBackward0", roll_backward, {&a}, {&out})) {
    n->ints = shifts;
    n->shape2 = Shape(wrapped.begin(), wrapped.end());
  }
  return out;
}

Tensor rot90(const Tensor& a, int64_t k, const std::vector<int64_t>& dims) {
  check_defined("rot90", a);
  TG_CHECK(dims.size() == 2, "expected total rotation dims == 2, but got dims = ", dims.size());
  TG_CHECK(a.dim() >= 2, "expected total dims >= 2, but got total dims = ", a.dim());
  const int64_t d0 = wrap_dim(dims[0], a.dim(), "rot90"), d1 = wrap_dim(dims[1], a.dim(), "rot90");
  TG_CHECK(d0 != d1, "expected rotation dims to be different, but got dim0 = ", d0, " and dim1 = ", d1);
  const int64_t kk = ((k % 4) + 4) % 4;
  Tensor out;
  // As PyTorch: one flip, then (k odd) a transposed view of it, so the result's strides match.
  if (kk == 1) out = swapped_view(flip_raw(a, {d1}), d0, d1);
  else if (kk == 2) out = flip_raw(a, {d0, d1});
  else if (kk == 3) out = swapped_view(flip_raw(a, {d0}), d0, d1);
  else out = a;
  out = fresh(out, a);
  if (auto n = record("Rot90Backward0", rot90_backward, {&a}, {&out})) n->ints = {k, d0, d1};
  return out;
}

Tensor tril(const Tensor& a, int64_t diagonal) { return tri(a, diagonal, true); }
Tensor triu(const Tensor& a, int64_t diagonal) { return tri(a, diagonal, false); }

Tensor diag_embed(const Tensor& a, int64_t offset, int64_t dim1, int64_t dim2) {
  check_defined("diag_embed", a);
  const int64_t nd = a.dim() + 1;
  const int64_t d1 = wrap_dim(dim1, nd, "diag_embed"), d2 = wrap_dim(dim2, nd, "diag_embed");
  TG_CHECK(d1 != d2, "diagonal dimensions cannot be identical ", dim1, ", ", dim2);
  TG_CHECK(a.dim() >= 1, "diag_embed: expected a tensor with at least 1 dimension");
  const int64_t n = a.size(a.dim() - 1) + (offset < 0 ? -offset : offset);
  Shape shape(a.sizes().begin(), a.sizes().end() - 1);
  const int64_t lo = std::min(d1, d2), hi = std::max(d1, d2);
  shape.insert(shape.begin() + lo, n);
  shape.insert(shape.begin() + hi, n);
  return diag_scatter(a, shape, offset, d1, d2, "DiagEmbedBackward0");
}

Tensor diag(const Tensor& a, int64_t k) {
  check_defined("diag", a);
  TG_CHECK(a.dim() == 1 || a.dim() == 2, "diag(): Supports 1D or 2D tensors. Got ", a.dim(), "D");
  if (a.dim() == 1) return diag_embed(a, k, 0, 1);
  DiagGeometry geo = diag_geometry(a.sizes(), a.strides(), a.impl()->offset(), k, 0, 1);
  Tensor out = copy_raw(Tensor::view_of(a, geo.sizes, geo.strides, geo.offset));
  if (auto n = record("DiagonalBackward0_copy", diagonal_backward, {&a}, {&out})) {
    n->shape = a.sizes();
    n->ints = {k, 0, 1};
  }
  return out;
}

Tensor trace(const Tensor& a) {
  check_defined("trace", a);
  TG_CHECK(a.dim() == 2, "trace: expected a matrix, but got tensor with dim ", a.dim());
  DiagGeometry geo = diag_geometry(a.sizes(), a.strides(), a.impl()->offset(), 0, 0, 1);
  Tensor out = sum(Tensor::view_of(a, geo.sizes, geo.strides, geo.offset));
  if (auto n = record("TraceBackward0", trace_backward, {&a}, {&out})) n->shape = a.sizes();
  return out;
}

}  // namespace tg

// Multi-output views (spec H5): unbind, split, split_with_sizes, chunk. One node records all
// the outputs, so output k is output k of UnbindBackward0 / SplitBackward0 /
// SplitWithSizesBackward0 (A6: its next_functions pair carries k). The outputs are
// differentiable views of the input that may not be modified in place: rebasing one of them
// would have to rewrite the node all of them share, so check_inplace refuses it with
// PyTorch's message (multi_output_view_of).
//
// Backward puts the output gradients (zeros for those that received none) back together in
// the input's shape: the stack (unbind) or cat (split) of the parts. That is itself a
// recorded op whose backward reads each part back as a view, so double backward works.
#include "autograd/autograd_meta.h"
#include "autograd/function.h"
#include "autograd/grad_mode.h"
#include "ops/helpers.h"

namespace tg {
namespace {

// ---- assemble: stack / cat of same-dtype parts along `dim` (the backward of the views) ----
// n.ints = {dim, length of part 0, length of part 1, ...}; n.flag = stacked.
TensorList assemble_backward(OpNode& n, const TensorList& g) {
  const int64_t dim = n.ints[0];
  TensorList out;
  out.reserve(n.ints.size() - 1);
  int64_t start = 0;
  for (size_t i = 1; i < n.ints.size(); ++i) {
    int64_t len = n.ints[i];
    out.push_back(n.flag ? select(g[0], dim, start) : slice(g[0], dim, start, start + len, 1));
    start += len;
  }
  return out;
}

// Writes `parts` into a new tensor of `shape`: part i is index i of `dim` (stacked) or the
// next `lengths[i]` indices of `dim` (concatenated).
Tensor assemble(const TensorList& parts, const Shape& shape, int64_t dim, bool stacked,
                const std::vector<int64_t>& lengths) {
  Tensor out = Tensor::empty(shape, parts.at(0).dtype(), parts[0].device());
  const Shape& strides = out.strides();
  int64_t start = 0;
  for (size_t i = 0; i < parts.size(); ++i) {
    Shape sizes = shape, st = strides;
    if (stacked) {
      sizes.erase(sizes.begin() + dim);
      st.erase(st.begin() + dim);
    } else {
      sizes[dim] = lengths[i];
    }
    Tensor dst = Tensor::view_of(out, sizes, st, start * strides[dim]);
    TG_CHECK_SHAPE(parts[i].sizes() == sizes, "assemble: part ", i, " has shape ", shape_str(parts[i].sizes()),
                   ", expected ", shape_str(sizes));
    if (parts[i].numel() > 0) backend_of(out).copy(dst, cast_raw(parts[i], out.dtype()));
    start += lengths[i];
  }
  std::vector<const Tensor*> ins;
  for (const Tensor& p : parts) ins.push_back(&p);
  if (auto n = record(stacked ? "StackBackward0" : "CatBackward0", assemble_backward, ins, {&out})) {
    n->ints = {dim};
    n->ints.insert(n->ints.end(), lengths.begin(), lengths.end());
    n->flag = stacked;
  }
  return out;
}

// ---- the views ----
// n.shape = input shape; n.ints = {dim, lengths...}; n.flag = stacked (unbind).
TensorList multi_view_backward(OpNode& n, const TensorList& g) {
  std::vector<int64_t> lengths(n.ints.begin() + 1, n.ints.end());
  return {assemble(g, n.shape, n.ints[0], n.flag, lengths)};
}

// Records the views `outs` of `a` on one node named `name` and marks them as outputs of a
// multi-view op. `label` is the name used by the in-place error (2.x prints it without the
// Backward0 suffix, as in the version-counter message).
TensorList finish(const Tensor& a, TensorList outs, const char* name, const char* label, int64_t dim, bool stacked,
                  const std::vector<int64_t>& lengths) {
  std::vector<const Tensor*> ptrs;
  for (const Tensor& o : outs) ptrs.push_back(&o);
  if (auto n = record(name, multi_view_backward, std::vector<const Tensor*>{&a}, ptrs)) {
    n->shape = a.sizes();
    n->ints = {dim};
    n->ints.insert(n->ints.end(), lengths.begin(), lengths.end());
    n->flag = stacked;
  }
  // In no_grad mode the views are already marked as created there (E7), as in PyTorch.
  if (GradMode::is_enabled())
    for (const Tensor& o : outs) ensure_meta(o).multi_output_view_of = label;
  return outs;
}

Tensor narrow_view(const Tensor& a, int64_t dim, int64_t start, int64_t len) {
  Shape sizes = a.sizes();
  sizes[dim] = len;
  Tensor v = Tensor::view_of(a, sizes, a.strides(), a.impl()->offset() + start * a.stride(dim));
  set_view_meta(v, a);
  return v;
}

TensorList split_impl(const Tensor& a, int64_t d, const std::vector<int64_t>& lengths, const char* name,
                      const char* label) {
  TensorList outs;
  outs.reserve(lengths.size());
  int64_t start = 0;
  for (int64_t len : lengths) {
    outs.push_back(narrow_view(a, d, start, len));
    start += len;
  }
  return finish(a, std::move(outs), name, label, d, false, lengths);
}

std::string ints_str(const std::vector<int64_t>& v) {
  std::string s = "[";
  for (size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + std::to_string(v[i]);
  return s + "]";
}

}  // namespace

TensorList unbind(const Tensor& a, int64_t dim) {
  check_defined("unbind", a);
  TG_CHECK_INDEX(a.dim() > 0, "Dimension specified as ", dim, " but tensor has no dimensions");
  const int64_t d = wrap_dim(dim, a.dim(), "unbind");
  const int64_t n = a.size(d);
  Shape sizes = a.sizes(), strides = a.strides();
  sizes.erase(sizes.begin() + d);
  strides.erase(strides.begin() + d);
  TensorList outs;
  outs.reserve(n);
  for (int64_t i = 0; i < n; ++i) {
    Tensor v = Tensor::view_of(a, sizes, strides, a.impl()->offset() + i * a.stride(d));
    set_view_meta(v, a);
    outs.push_back(v);
  }
  return finish(a, std::move(outs), "UnbindBackward0", "Unbind", d, true, std::vector<int64_t>(n, 1));
}

TensorList split(const Tensor& a, int64_t split_size, int64_t dim) {
  check_defined("split", a);
  TG_CHECK_INDEX(a.dim() > 0, "split expects at least a 1-dimensional tensor");
  TG_CHECK_VALUE(split_size >= 0, "split expects split_size be non-negative, but got split_size=", split_size);
  const int64_t d = wrap_dim(dim, a.dim(), "split");
  const int64_t dim_size = a.size(d);
  TG_CHECK_VALUE(split_size > 0 || dim_size == 0, "split_size can only be 0 if dimension size is 0, but got dimension size of ",
                 dim_size);
  int64_t num_splits = 1;
  if (split_size != 0) num_splits = std::max<int64_t>((dim_size + split_size - 1) / split_size, 1);
  std::vector<int64_t> lengths(num_splits, split_size);
  lengths.back() = split_size - (split_size * num_splits - dim_size);
  return split_impl(a, d, lengths, "SplitBackward0", "Split");
}

TensorList split_with_sizes(const Tensor& a, const std::vector<int64_t>& split_sizes, int64_t dim) {
  check_defined("split_with_sizes", a);
  TG_CHECK_INDEX(a.dim() > 0, "split expects at least a 1-dimensional tensor");
  const int64_t d = wrap_dim(dim, a.dim(), "split_with_sizes");
  const int64_t dim_size = a.size(d);
  int64_t total = 0;
  for (int64_t s : split_sizes) {
    TG_CHECK_VALUE(s >= 0, "split_with_sizes expects split_sizes have only non-negative entries, but got split_sizes=",
                   ints_str(split_sizes));
    total += s;
  }
  TG_CHECK_VALUE(total == dim_size, "split_with_sizes expects split_sizes to sum exactly to ", dim_size,
                 " (input tensor's size at dimension ", d, "), but got split_sizes=", ints_str(split_sizes));
  return split_impl(a, d, split_sizes, "SplitWithSizesBackward0", "SplitWithSizes");
}

TensorList chunk(const Tensor& a, int64_t chunks, int64_t dim) {
  check_defined("chunk", a);
  TG_CHECK_INDEX(a.dim() > 0, "chunk expects at least a 1-dimensional tensor");
  TG_CHECK_VALUE(chunks > 0, "chunk expects `chunks` to be greater than 0, got: ", chunks);
  const int64_t d = wrap_dim(dim, a.dim(), "chunk");
  const int64_t dim_size = a.size(d);
  const int64_t split_size = (dim_size + chunks - 1) / chunks;
  // As in PyTorch: with an empty dim, `chunks` empty pieces (split would give one).
  if (split_size == 0 && dim_size == 0) return split_with_sizes(a, std::vector<int64_t>(chunks, 0), d);
  return split(a, split_size, d);
}

}  // namespace tg

#include "core/shape.h"
#include "core/error.h"

namespace tg {

int64_t numel_of(const Shape& sizes) {
  // A product past 2^63 would wrap, to 0 or to a count smaller than the tensor, that kernels
  // then trust; it is an error unless a size of 0 makes the true product 0.
  int64_t n = 1;
  bool overflow = false, empty = false;
  for (int64_t s : sizes) {
    overflow |= __builtin_mul_overflow(n, s, &n);
    empty |= s == 0;
  }
  if (empty) return 0;
  TG_CHECK_SHAPE(!overflow, "numel: integer multiplication overflow");
  return n;
}

Shape contiguous_strides(const Shape& sizes) {
  Shape st(sizes.size());
  int64_t acc = 1;
  for (size_t i = sizes.size(); i-- > 0;) {
    st[i] = acc;
    acc *= sizes[i] > 1 ? sizes[i] : 1;
  }
  return st;
}

std::string shape_str(const Shape& s) {
  std::string r = "[";
  for (size_t i = 0; i < s.size(); ++i) {
    if (i) r += ", ";
    r += std::to_string(s[i]);
  }
  return r + "]";
}

int64_t wrap_dim(int64_t dim, int64_t ndim, const char* op) {
  int64_t lo = ndim > 0 ? -ndim : -1, hi = ndim > 0 ? ndim - 1 : 0;
  TG_CHECK_INDEX(dim >= lo && dim <= hi, op, ": Dimension out of range (expected to be in range of [", lo, ", ", hi,
                 "], but got ", dim, ")");
  return dim < 0 ? dim + (ndim > 0 ? ndim : 1) : dim;
}

Shape broadcast_shapes(const Shape& a, const Shape& b, const char* op) {
  size_t n = std::max(a.size(), b.size());
  Shape out(n);
  // From the last dim, like PyTorch, so the reported dim is the first mismatch from the right.
  for (size_t i = n; i-- > 0;) {
    int64_t da = i < n - a.size() ? 1 : a[i - (n - a.size())];
    int64_t db = i < n - b.size() ? 1 : b[i - (n - b.size())];
    TG_CHECK_SHAPE(da == db || da == 1 || db == 1, op, ": The size of tensor a (", da,
                   ") must match the size of tensor b (", db, ") at non-singleton dimension ", i,
                   " (shapes ", shape_str(a), " and ", shape_str(b), ")");
    out[i] = da == 1 ? db : da;
  }
  return out;
}

bool is_expandable_to(const Shape& shape, const Shape& target) {
  if (shape.size() > target.size()) return false;
  size_t off = target.size() - shape.size();
  for (size_t i = 0; i < shape.size(); ++i)
    if (shape[i] != target[i + off] && shape[i] != 1) return false;
  return true;
}

Shape expand_strides(const Shape& sizes, const Shape& strides, const Shape& target) {
  Shape out(target.size(), 0);
  size_t off = target.size() - sizes.size();
  for (size_t i = 0; i < sizes.size(); ++i) out[i + off] = sizes[i] == 1 && target[i + off] != 1 ? 0 : strides[i];
  return out;
}

// Port of the standard "view is possible" rule: chunks of the old shape that are
// contiguous among themselves can be re-split freely.
bool compute_view_strides(const Shape& old_sizes, const Shape& old_strides, const Shape& new_sizes, Shape* out) {
  int64_t numel = numel_of(old_sizes);
  Shape new_strides(new_sizes.size(), 0);
  if (numel == 0 || old_sizes.empty()) {
    *out = contiguous_strides(new_sizes);
    return true;
  }
  int64_t view_d = static_cast<int64_t>(new_sizes.size()) - 1;
  int64_t chunk_base_stride = old_strides.empty() ? 1 : old_strides.back();
  int64_t tensor_numel = 1, view_numel = 1;
  for (int64_t tensor_d = static_cast<int64_t>(old_sizes.size()) - 1; tensor_d >= 0; --tensor_d) {
    tensor_numel *= old_sizes[tensor_d];
    if (tensor_d == 0 || (old_sizes[tensor_d - 1] != 1 && old_strides[tensor_d - 1] != tensor_numel * chunk_base_stride)) {
      while (view_d >= 0 && (view_numel < tensor_numel || new_sizes[view_d] == 1)) {
        new_strides[view_d] = view_numel * chunk_base_stride;
        view_numel *= new_sizes[view_d];
        --view_d;
      }
      if (view_numel != tensor_numel) return false;
      if (tensor_d > 0) {
        chunk_base_stride = old_strides[tensor_d - 1];
        tensor_numel = 1;
        view_numel = 1;
      }
    }
  }
  if (view_d != -1) return false;
  *out = new_strides;
  return true;
}

Shape infer_size(const Shape& req, int64_t numel, const char* op) {
  Shape out = req;
  int64_t known = 1, infer = -1;
  for (size_t i = 0; i < req.size(); ++i) {
    if (req[i] == -1) {
      TG_CHECK_SHAPE(infer < 0, op, ": only one dimension can be inferred");
      infer = static_cast<int64_t>(i);
    } else {
      TG_CHECK_SHAPE(req[i] >= 0, op, ": invalid shape dimension ", req[i]);
      known *= req[i];
    }
  }
  if (infer >= 0) {
    TG_CHECK_SHAPE(known != 0 && numel % known == 0, op, ": shape '", shape_str(req), "' is invalid for input of size ", numel);
    out[infer] = numel / known;
  } else {
    TG_CHECK_SHAPE(known == numel, op, ": shape '", shape_str(req), "' is invalid for input of size ", numel);
  }
  return out;
}

}  // namespace tg

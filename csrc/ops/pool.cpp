// Pooling ops: shape rules and PyTorch's checks, the windows (core/pool_axis.h), kernel
// calls, and backward nodes.
//
// Note [pooling adjoints]: every pooling op is linear in the values it reads once the
// windows (average) or the argmax indices (max) are fixed. Each backward is therefore an op
// of its own (the adjoint: spread the gradient over the windows / scatter it to the
// indices), and the backward of that adjoint is the forward map again (average) or a gather
// at the same indices (max). Double backward works to any order without new formulas.
#include "ops/pool.h"
#include <cmath>
#include <functional>
#include "autograd/function.h"
#include "ops/helpers.h"

namespace tg {
namespace nn {
namespace {

// PyTorch's pooling_output_shape (with its checks), for one dim.
int64_t pooled_size(int64_t in, int64_t k, int64_t pad, int64_t stride, int64_t dil, bool ceil_mode) {
  TG_CHECK(stride != 0, "stride should not be zero");
  TG_CHECK(pad >= 0, "pad must be non-negative, but got pad: ", pad);
  TG_CHECK(pad <= ((k - 1) * dil + 1) / 2, "pad should be at most half of effective kernel size, but got pad=", pad,
           ", kernel_size=", k, " and dilation=", dil);
  const int64_t num = in + 2 * pad - dil * (k - 1) - 1 + (ceil_mode ? stride - 1 : 0);
  int64_t q = num / stride;
  if ((num % stride != 0) && ((num < 0) != (stride < 0))) --q;  // floor division
  int64_t out = q + 1;
  if (ceil_mode && (out - 1) * stride >= in + pad) --out;
  return out;
}

// PyTorch's pool2d_shape_check, after the output sizes are known.
void pool2d_shape_check(const Tensor& x, Ints2 k, Ints2 s, Ints2 p, Ints2 d, int64_t oh, int64_t ow) {
  TG_CHECK(k[0] > 0 && k[1] > 0, "kernel size should be greater than zero, but got kH: ", k[0], " kW: ", k[1]);
  TG_CHECK(s[0] > 0 && s[1] > 0, "stride should be greater than zero, but got dH: ", s[0], " dW: ", s[1]);
  TG_CHECK(d[0] > 0 && d[1] > 0, "dilation should be greater than zero, but got dilationH: ", d[0], " dilationW: ", d[1]);
  // the padding limit again, on the kernel without dilation
  TG_CHECK(k[1] / 2 >= p[1] && k[0] / 2 >= p[0], "pad should be smaller than or equal to half of kernel size, but got "
           "padW = ", p[1], ", padH = ", p[0], ", kW = ", k[1], ", kH = ", k[0]);
  const int64_t nd = x.dim();
  const int64_t C = x.size(nd - 3), H = x.size(nd - 2), W = x.size(nd - 1);
  TG_CHECK(oh >= 1 && ow >= 1, "Given input size: (", C, "x", H, "x", W, "). Calculated output size: (", C, "x", oh, "x",
           ow, "). Output size is too small");
}

void check_pool2d_input(const Tensor& x) {
  bool ok = x.dim() == 3 || x.dim() == 4;
  for (int64_t i = x.dim() == 4 ? 1 : 0; ok && i < x.dim(); ++i) ok = x.size(i) > 0;
  TG_CHECK_SHAPE(ok, "non-empty 3D or 4D (batch mode) tensor expected for input");
}

// The windows of max pooling along one dim: positions start + i * dil, i < k, inside [0, in).
PoolAxis max_axis(int64_t in, int64_t out, int64_t k, int64_t s, int64_t p, int64_t d) {
  PoolAxis a;
  a.step = d;
  for (int64_t o = 0; o < out; ++o) {
    const int64_t start = o * s - p;
    const int64_t i0 = start < 0 ? (-start + d - 1) / d : 0;
    const int64_t i1 = std::min(k - 1, (in - 1 - start) / d);
    a.begin.push_back(start + i0 * d);
    a.count.push_back(std::max<int64_t>(0, i1 - i0 + 1));
  }
  return a;
}

// Average pooling: the window clipped to the input; the divisor counts the padding too when
// count_include_pad (the window clipped to the padded input instead).
PoolAxis avg_axis(int64_t in, int64_t out, int64_t k, int64_t s, int64_t p, bool count_include_pad) {
  PoolAxis a;
  for (int64_t o = 0; o < out; ++o) {
    const int64_t start = o * s - p, end_padded = std::min(start + k, in + p);
    const int64_t b = std::max<int64_t>(start, 0), e = std::min(end_padded, in);
    a.begin.push_back(b);
    a.count.push_back(std::max<int64_t>(0, e - b));
    a.factor.push_back(static_cast<double>(count_include_pad ? end_padded - start : std::max<int64_t>(0, e - b)));
  }
  return a;
}

// Adaptive pooling: window o covers [floor(o * in / out), ceil((o + 1) * in / out)).
PoolAxis adaptive_axis(int64_t in, int64_t out) {
  PoolAxis a;
  for (int64_t o = 0; o < out; ++o) {
    const int64_t b = (o * in) / out, e = ((o + 1) * in + out - 1) / out;
    a.begin.push_back(b);
    a.count.push_back(e - b);
    a.factor.push_back(static_cast<double>(e - b));
  }
  return a;
}

Shape pooled_shape(const Shape& in, int64_t oh, int64_t ow) {
  Shape s = in;
  s[s.size() - 2] = oh;
  s[s.size() - 1] = ow;
  return s;
}

// A contiguous tensor seen as [P, S] (the planes of pool_scatter_add / pool_gather).
Tensor as_planes(const Tensor& t, int64_t S) {
  const int64_t P = S == 0 ? 0 : t.numel() / S;
  return Tensor::view_of(t, {P, S}, {S, 1}, t.impl()->offset());
}

int64_t plane_size(const Shape& s) { return s[s.size() - 2] * s[s.size() - 1]; }

// An adaptive pool's output size is the caller's choice, not bounded by the input's: its
// window tables (24 bytes an output row or column) are built before the output exists. So an
// output too large for memory is allocated (and handed back to the cache, for the op to take
// again) first, to fail at once with the allocator's error instead of after tables of
// billions of windows.
void reserve_adaptive_output(const Tensor& x, Ints2 o) {
  (void)Tensor::empty(pooled_shape(x.sizes(), o[0], o[1]), x.dtype(), x.device());
}

// ---------------------------------------------------------------- max pooling (indices)
// `adaptive` picks the node names (AdaptiveMaxPool2D... or MaxPool2DWithIndices...).
Tensor index_scatter(const Tensor& grad, const Tensor& indices, const Shape& in_shape, bool adaptive);
Tensor index_gather(const Tensor& x, const Tensor& indices, bool adaptive);

TensorList max_pool_backward(OpNode& n, const TensorList& g) { return {index_scatter(g[0], n.saved(0), n.shape, n.flag)}; }
TensorList index_scatter_backward(OpNode& n, const TensorList& g) { return {index_gather(g[0], n.saved(0), n.flag)}; }
TensorList index_gather_backward(OpNode& n, const TensorList& g) { return {index_scatter(g[0], n.saved(0), n.shape, n.flag)}; }

// grad [.., OH, OW] scattered (summed) into zeros of in_shape at the plane indices.
Tensor index_scatter(const Tensor& grad, const Tensor& indices, const Shape& in_shape, bool adaptive) {
  Tensor gi = Tensor::empty(in_shape, grad.dtype(), grad.device());
  const Shape& os = indices.sizes();
  const int64_t M = plane_size(os);
  Tensor g = contiguous_raw(grad.sizes() == os ? grad : expand_raw(grad, os));
  backend_of(grad).pool_scatter_add(as_planes(gi, plane_size(in_shape)), as_planes(g, M), as_planes(indices, M));
  const char* node = adaptive ? "AdaptiveMaxPool2DBackwardBackward0" : "MaxPool2DWithIndicesBackwardBackward0";
  if (auto n = record(node, index_scatter_backward, {&grad}, {&gi})) {
    n->save({indices});
    n->flag = adaptive;
  }
  return gi;
}

// x [.., H, W] read at the plane indices: the result has the indices' shape.
Tensor index_gather(const Tensor& x, const Tensor& indices, bool adaptive) {
  const Shape& os = indices.sizes();
  Tensor out = Tensor::empty(os, x.dtype(), x.device());
  Tensor xc = contiguous_raw(x);
  backend_of(x).pool_gather(as_planes(out, plane_size(os)), as_planes(xc, plane_size(x.sizes())),
                            as_planes(indices, plane_size(os)));
  if (auto n = record("GatherBackward0", index_gather_backward, {&x}, {&out})) {
    n->save({indices});
    n->shape = x.sizes();
    n->flag = adaptive;
  }
  return out;
}

std::pair<Tensor, Tensor> run_max_pool(const Tensor& x, const PoolAxis& h, const PoolAxis& w, bool adaptive) {
  Shape os = pooled_shape(x.sizes(), h.size(), w.size());
  Tensor out = Tensor::empty(os, x.dtype(), x.device());
  Tensor idx = Tensor::empty(os, DType::Int64, x.device());
  backend_of(x).pool_max(out, idx, contiguous_raw(x), h, w);
  if (auto n = record(adaptive ? "AdaptiveMaxPool2DBackward0" : "MaxPool2DWithIndicesBackward0", max_pool_backward, {&x},
                      {&out})) {
    n->save({idx});
    n->shape = x.sizes();
    n->flag = adaptive;
  }
  return {out, idx};
}

// ---------------------------------------------------------------- average pooling
// Note [avg pooling spec]: ints = {0, kh, kw, sh, sw, ph, pw, ceil, count_include_pad,
// divisor_override} for avg_pool2d, {1, oh, ow} for adaptive_avg_pool2d. The windows are
// rebuilt from the spec and an input plane size, so forward and adjoint agree by construction.
using Spec = std::vector<int64_t>;

std::pair<PoolAxis, PoolAxis> avg_axes(const Spec& sp, int64_t H, int64_t W) {
  if (sp[0] == 1) return {adaptive_axis(H, sp[1]), adaptive_axis(W, sp[2])};
  const bool ceil = sp[7] != 0, cip = sp[8] != 0;
  const int64_t oh = pooled_size(H, sp[1], sp[5], sp[3], 1, ceil), ow = pooled_size(W, sp[2], sp[6], sp[4], 1, ceil);
  return {avg_axis(H, oh, sp[1], sp[3], sp[5], cip), avg_axis(W, ow, sp[2], sp[4], sp[6], cip)};
}

double divisor_of(const Spec& sp) { return sp[0] == 0 ? static_cast<double>(sp[9]) : 0.0; }
const char* avg_node(const Spec& sp) { return sp[0] ? "AdaptiveAvgPool2DBackward0" : "AvgPool2DBackward0"; }
const char* avg_adjoint_node(const Spec& sp) {
  return sp[0] ? "AdaptiveAvgPool2DBackwardBackward0" : "AvgPool2DBackwardBackward0";
}

Tensor avg_forward(const Tensor& x, const Spec& sp);
Tensor avg_adjoint(const Tensor& grad, const Spec& sp, const Shape& in_shape);

TensorList avg_forward_backward(OpNode& n, const TensorList& g) { return {avg_adjoint(g[0], n.ints, n.shape)}; }
TensorList avg_adjoint_backward(OpNode& n, const TensorList& g) { return {avg_forward(g[0], n.ints)}; }

Tensor avg_forward(const Tensor& x, const Spec& sp) {
  const int64_t nd = x.dim();
  auto [h, w] = avg_axes(sp, x.size(nd - 2), x.size(nd - 1));
  Tensor out = Tensor::empty(pooled_shape(x.sizes(), h.size(), w.size()), x.dtype(), x.device());
  if (out.numel() > 0) backend_of(x).pool_avg(out, contiguous_raw(x), h, w, divisor_of(sp));
  if (auto n = record(avg_node(sp), avg_forward_backward, {&x}, {&out})) {
    n->ints = sp;
    n->shape = x.sizes();
  }
  return out;
}

Tensor avg_adjoint(const Tensor& grad, const Spec& sp, const Shape& in_shape) {
  const size_t nd = in_shape.size();
  auto [h, w] = avg_axes(sp, in_shape[nd - 2], in_shape[nd - 1]);
  const Shape os = pooled_shape(in_shape, h.size(), w.size());
  Tensor gi = Tensor::empty(in_shape, grad.dtype(), grad.device());
  Tensor g = contiguous_raw(grad.sizes() == os ? grad : expand_raw(grad, os));
  if (gi.numel() > 0) backend_of(grad).pool_avg_backward(gi, g, h, w, divisor_of(sp));
  if (auto n = record(avg_adjoint_node(sp), avg_adjoint_backward, {&grad}, {&gi})) n->ints = sp;
  return gi;
}

// ---------------------------------------------------------------- 1-D through 2-D
void check_1d_input(const Tensor& x, const char* op) {
  TG_CHECK_SHAPE(x.dim() == 2 || x.dim() == 3, "Expected 2 to 3 dimensions, but got ", x.dim(),
                 "-dimensional tensor for argument #1 'self' (while checking arguments for ", op, ")");
}

template <typename F>
Tensor through_2d(const Tensor& x, F&& f) {
  return squeeze(f(unsqueeze(x, -2)), -2);
}

std::pair<Tensor, Tensor> through_2d_pair(const Tensor& x, const std::function<std::pair<Tensor, Tensor>(const Tensor&)>& f) {
  auto [v, i] = f(unsqueeze(x, -2));
  return {squeeze(v, -2), squeeze(i, -2)};
}

void check_adaptive_input(const Tensor& x, const char* op) {
  TG_CHECK_SHAPE(x.dim() == 3 || x.dim() == 4, op, "(): Expected 3D or 4D tensor, but got ", shape_str(x.sizes()));
  for (int64_t i = 1; i < x.dim(); ++i)
    TG_CHECK_SHAPE(x.size(i) > 0, op, "(): Expected input to have non-zero size for non-batch dimensions, but input has "
                   "sizes ", shape_str(x.sizes()), " with dimension ", i, " being empty");
}

}  // namespace

std::pair<Tensor, Tensor> max_pool2d(const Tensor& x, Ints2 k, Ints2 s, Ints2 p, Ints2 d, bool ceil_mode) {
  check_defined("max_pool2d", x);
  check_pool2d_input(x);
  check_floating("max_pool2d", x);
  const int64_t nd = x.dim(), H = x.size(nd - 2), W = x.size(nd - 1);
  const int64_t oh = pooled_size(H, k[0], p[0], s[0], d[0], ceil_mode);
  const int64_t ow = pooled_size(W, k[1], p[1], s[1], d[1], ceil_mode);
  pool2d_shape_check(x, k, s, p, d, oh, ow);
  return run_max_pool(x, max_axis(H, oh, k[0], s[0], p[0], d[0]), max_axis(W, ow, k[1], s[1], p[1], d[1]), false);
}

std::pair<Tensor, Tensor> max_pool1d(const Tensor& x, int64_t k, int64_t s, int64_t p, int64_t d, bool ceil_mode) {
  check_defined("max_pool1d", x);
  TG_CHECK_SHAPE(x.dim() == 2 || x.dim() == 3, "max_pool1d: Expected 2D or 3D (batch mode) tensor with optional 0 dim "
                 "batch size for input, but got:", shape_str(x.sizes()));
  TG_CHECK(k > 0, "max_pool1d() kernel_size must be greater than zero, but got ", k);
  TG_CHECK(s > 0, "max_pool1d() stride must be greater than zero, but got ", s);
  TG_CHECK(p >= 0, "max_pool1d() padding must be non-negative, but got ", p);
  TG_CHECK(p <= k / 2, "max_pool1d() padding should be at most half of kernel size, but got padding=", p,
           " and kernel_size=", k);
  TG_CHECK(d > 0, "max_pool1d() dilation must be greater than zero, but got ", d);
  const int64_t L = x.size(x.dim() - 1);
  const int64_t ol = pooled_size(L, k, p, s, d, ceil_mode);
  TG_CHECK(ol >= 0, "max_pool1d() Invalid computed output size: ", ol);
  return through_2d_pair(x, [&](const Tensor& x2) { return max_pool2d(x2, {1, k}, {1, s}, {0, p}, {1, d}, ceil_mode); });
}

Tensor avg_pool2d(const Tensor& x, Ints2 k, Ints2 s, Ints2 p, bool ceil_mode, bool count_include_pad,
                  std::optional<int64_t> divisor_override) {
  check_defined("avg_pool2d", x);
  TG_CHECK(!divisor_override || *divisor_override != 0, "divisor must be not zero");
  check_pool2d_input(x);
  check_floating("avg_pool2d", x);
  const int64_t nd = x.dim(), H = x.size(nd - 2), W = x.size(nd - 1);
  const int64_t oh = pooled_size(H, k[0], p[0], s[0], 1, ceil_mode);
  const int64_t ow = pooled_size(W, k[1], p[1], s[1], 1, ceil_mode);
  pool2d_shape_check(x, k, s, p, {1, 1}, oh, ow);
  return avg_forward(x, {0, k[0], k[1], s[0], s[1], p[0], p[1], ceil_mode, count_include_pad, divisor_override.value_or(0)});
}

Tensor avg_pool1d(const Tensor& x, int64_t k, int64_t s, int64_t p, bool ceil_mode, bool count_include_pad) {
  check_defined("avg_pool1d", x);
  check_1d_input(x, "avg_pool1d");
  return through_2d(x, [&](const Tensor& x2) { return avg_pool2d(x2, {1, k}, {1, s}, {0, p}, ceil_mode, count_include_pad, std::nullopt); });
}

Tensor adaptive_avg_pool2d(const Tensor& x, Ints2 o) {
  check_defined("adaptive_avg_pool2d", x);
  check_adaptive_input(x, "adaptive_avg_pool2d");
  TG_CHECK(o[0] >= 0 && o[1] >= 0, "adaptive_avg_pool2d: elements of output_size must be greater than or equal to 0 but "
           "received {", o[0], ", ", o[1], "}");
  check_floating("adaptive_avg_pool2d", x);
  if (o[0] == 1 && o[1] == 1) return mean(x, {-2, -1}, true);  // PyTorch's shortcut (MeanBackward1)
  reserve_adaptive_output(x, o);
  return avg_forward(x, {1, o[0], o[1]});
}

Tensor adaptive_avg_pool1d(const Tensor& x, int64_t o) {
  check_defined("adaptive_avg_pool1d", x);
  check_1d_input(x, "adaptive_avg_pool1d");
  return through_2d(x, [&](const Tensor& x2) { return adaptive_avg_pool2d(x2, {1, o}); });
}

std::pair<Tensor, Tensor> adaptive_max_pool2d(const Tensor& x, Ints2 o) {
  check_defined("adaptive_max_pool2d", x);
  check_adaptive_input(x, "adaptive_max_pool2d");
  TG_CHECK(o[0] >= 0 && o[1] >= 0, "adaptive_max_pool2d: elements of output_size must be greater than or equal to 0 but "
           "received {", o[0], ", ", o[1], "}");
  check_floating("adaptive_max_pool2d", x);
  reserve_adaptive_output(x, o);
  const int64_t nd = x.dim();
  return run_max_pool(x, adaptive_axis(x.size(nd - 2), o[0]), adaptive_axis(x.size(nd - 1), o[1]), true);
}

std::pair<Tensor, Tensor> adaptive_max_pool1d(const Tensor& x, int64_t o) {
  check_defined("adaptive_max_pool1d", x);
  check_1d_input(x, "adaptive_max_pool1d");
  return through_2d_pair(x, [&](const Tensor& x2) { return adaptive_max_pool2d(x2, {1, o}); });
}

}  // namespace nn
}  // namespace tg

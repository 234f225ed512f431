// Convolutions: argument checks with PyTorch's messages, then one of three bilinear ops on
// contiguous operands, each recording its own backward node:
//
//   conv_forward(x, w)       y  = conv(x, w)                 ConvolutionBackward0
//   conv_input_grad(gy, w)   gx = conv(., w)^T gy             (transposed convolution)
//   conv_weight_grad(x, gy)  gw = (conv(x, .))^T gy
//
// Note [Convolution adjoints]: all three are bilinear and <conv(x, w), gy> is the one form
// they differentiate, so each one's backward is made of the three:
//   conv_forward:     dx = conv_input_grad(g, w)   dw = conv_weight_grad(x, g)
//   conv_input_grad:  dgy = conv_forward(g, w)     dw = conv_weight_grad(g, gy)
//   conv_weight_grad: dx = conv_input_grad(gy, g)  dgy = conv_forward(x, g)
// which is why double (and higher) backward works. A transposed convolution is
// conv_input_grad recorded under ConvolutionBackward0, as PyTorch names it. Each node
// saves only the operands its needed gradients read (per the table above).
#include "ops/conv.h"
#include <string>
#include "autograd/function.h"
#include "autograd/grad_mode.h"
#include "ops/helpers.h"
#include "ops/nn.h"

namespace tg {
namespace nn {
namespace {

constexpr const char* kNode = "ConvolutionBackward0";
constexpr const char* kNode2 = "ConvolutionBackwardBackward0";

Tensor conv_forward(const Tensor& x, const Tensor& w, const Tensor& bias, const ConvGeometry& g, const char* node);
Tensor conv_input_grad(const Tensor& gy, const Tensor& w, const Tensor& bias, const ConvGeometry& g, const char* node);
Tensor conv_weight_grad(const Tensor& x, const Tensor& gy, const ConvGeometry& g, const char* node);

Shape x_shape(const ConvGeometry& g) {
  return g.spatial == 1 ? Shape{g.N, g.C, g.W} : Shape{g.N, g.C, g.H, g.W};
}
Shape y_shape(const ConvGeometry& g) {
  return g.spatial == 1 ? Shape{g.N, g.O, g.Wo} : Shape{g.N, g.O, g.Ho, g.Wo};
}
Shape w_shape(const ConvGeometry& g) {
  const int64_t cg = g.C / g.groups;
  return g.spatial == 1 ? Shape{g.O, cg, g.kw} : Shape{g.O, cg, g.kh, g.kw};
}
// The bias gradient: g summed over batch and space. Space first: that reduction runs over
// contiguous rows, several times faster than one reduction over dims (0, 2, 3).
Tensor bias_grad(const Tensor& g, const ConvGeometry& geo) {
  const std::vector<int64_t> space = geo.spatial == 1 ? std::vector<int64_t>{2} : std::vector<int64_t>{2, 3};
  return sum(sum(g, space, false), {0}, false);
}

// Kernel operands: contiguous, in the op's dtype (an incoming gradient may be an expanded
// or differently typed view).
Tensor operand(const Tensor& t, DType dt) { return contiguous_raw(t.dtype() == dt ? t : cast_raw(t, dt)); }

// The incoming gradient as the kernels and the bias sum take it: in a plain backward, one
// contiguous copy of an expanded or strided gradient (a loss's sum() sends a stride-0 one) for
// all three, where each used to copy its own and the bias sum walked the stride-0 view element
// by element; with createGraph the gradient itself, so the graph runs through it.
Tensor incoming(const Tensor& g) { return GradMode::is_enabled() ? g : contiguous_raw(g); }

TensorList conv_forward_backward(OpNode& n, const TensorList& gr) {
  const ConvGeometry g = ConvGeometry::unpack(n.ints);
  Tensor x = n.saved(0), w = n.saved(1);
  const Tensor gy = incoming(gr[0]);
  Tensor gx, gw, gb;
  if (n.needs_input_grad(0)) gx = conv_input_grad(gy, w, Tensor(), g, kNode2);
  if (n.needs_input_grad(1)) gw = conv_weight_grad(x, gy, g, kNode2);
  if (n.needs_input_grad(2)) gb = bias_grad(gy, g);
  return {gx, gw, gb};
}

TensorList conv_input_grad_backward(OpNode& n, const TensorList& gr) {
  const ConvGeometry g = ConvGeometry::unpack(n.ints);
  Tensor gy = n.saved(0), w = n.saved(1);
  const Tensor gx = incoming(gr[0]);
  Tensor dgy, dw, db;
  if (n.needs_input_grad(0)) dgy = conv_forward(gx, w, Tensor(), g, kNode2);
  if (n.needs_input_grad(1)) dw = conv_weight_grad(gx, gy, g, kNode2);
  if (n.needs_input_grad(2)) db = bias_grad(gx, g);
  return {dgy, dw, db};
}

TensorList conv_weight_grad_backward(OpNode& n, const TensorList& gr) {
  const ConvGeometry g = ConvGeometry::unpack(n.ints);
  Tensor x = n.saved(0), gy = n.saved(1);
  Tensor dx, dgy;
  if (n.needs_input_grad(0)) dx = conv_input_grad(gy, gr[0], Tensor(), g, kNode2);
  if (n.needs_input_grad(1)) dgy = conv_forward(x, gr[0], Tensor(), g, kNode2);
  return {dx, dgy};
}

Tensor conv_forward(const Tensor& x, const Tensor& w, const Tensor& bias, const ConvGeometry& g, const char* node) {
  const DType dt = x.dtype();
  Tensor y = Tensor::empty(y_shape(g), dt, x.device());
  backend_of(x).conv2d(y, operand(x, dt), operand(w, dt), bias.defined() ? operand(bias, dt) : Tensor(), g);
  if (auto n = record(node, conv_forward_backward, {&x, &w, &bias}, {&y})) {
    n->save({n->needs_input_grad(1) ? x : Tensor(), n->needs_input_grad(0) ? w : Tensor()});
    n->ints = g.pack();
  }
  return y;
}

Tensor conv_input_grad(const Tensor& gy, const Tensor& w, const Tensor& bias, const ConvGeometry& g, const char* node) {
  const DType dt = w.dtype();
  Tensor gx = Tensor::empty(x_shape(g), dt, w.device());
  backend_of(w).conv2d_input_grad(gx, operand(gy, dt), operand(w, dt), bias.defined() ? operand(bias, dt) : Tensor(), g);
  if (auto n = record(node, conv_input_grad_backward, {&gy, &w, &bias}, {&gx})) {
    n->save({n->needs_input_grad(1) ? gy : Tensor(), n->needs_input_grad(0) ? w : Tensor()});
    n->ints = g.pack();
  }
  return gx;
}

Tensor conv_weight_grad(const Tensor& x, const Tensor& gy, const ConvGeometry& g, const char* node) {
  const DType dt = x.dtype();
  Tensor gw = Tensor::empty(w_shape(g), dt, x.device());
  backend_of(x).conv2d_weight_grad(gw, operand(x, dt), operand(gy, dt), g);
  if (auto n = record(node, conv_weight_grad_backward, {&x, &gy}, {&gw})) {
    n->save({n->needs_input_grad(1) ? x : Tensor(), n->needs_input_grad(0) ? gy : Tensor()});
    n->ints = g.pack();
  }
  return gw;
}

// ---------------------------------------------------------------- argument checks
const char* op_name(int64_t spatial, bool transposed) {
  if (transposed) return spatial == 1 ? "conv_transpose1d" : "conv_transpose2d";
  return spatial == 1 ? "conv1d" : "conv2d";
}

std::string ints_str(const std::vector<int64_t>& v) { return shape_str(Shape(v.begin(), v.end())); }

// One value per spatial dim, as PyTorch's expand_param_if_needed.
std::vector<int64_t> expand(const std::vector<int64_t>& v, int64_t spatial, const char* what) {
  if (v.size() == 1) return std::vector<int64_t>(static_cast<size_t>(spatial), v[0]);
  TG_CHECK_VALUE(static_cast<int64_t>(v.size()) == spatial, "expected ", what,
                 " to be a single integer value or a list of ", spatial,
                 " values to match the convolution dimensions, but got ", what, "=", ints_str(v));
  return v;
}

// "(2 x 2)"
std::string per_channel(const std::vector<int64_t>& v) {
  std::string s = "(";
  for (size_t i = 0; i < v.size(); ++i) s += (i ? " x " : "") + std::to_string(v[i]);
  return s + ")";
}

const char* torch_type(DType t) { return t == DType::Float64 ? "torch.DoubleTensor" : t == DType::Float32 ? "torch.FloatTensor" : dtype_legacy_name(t); }
const char* c_type(DType t) { return t == DType::Float64 ? "double" : t == DType::Float32 ? "float" : dtype_legacy_name(t); }

}  // namespace

Tensor convolution(const Tensor& input, const Tensor& weight, const Tensor& bias, int64_t spatial, bool transposed,
                   const std::vector<int64_t>& stride_in, const std::vector<int64_t>& padding_in, ConvPadding padding_mode,
                   const std::vector<int64_t>& dilation_in, const std::vector<int64_t>& output_padding_in, int64_t groups) {
  TG_CHECK_VALUE(spatial == 1 || spatial == 2, "convolution: only 1-d and 2-d convolutions are supported");
  const char* name = op_name(spatial, transposed);
  check_defined(name, input);
  check_defined(name, weight);
  check_same_device(name, input, weight);
  if (bias.defined()) check_same_device(name, input, bias);
  const int64_t batched = spatial + 2;
  TG_CHECK_SHAPE(input.dim() == batched || input.dim() == batched - 1, "Expected ", batched - 1, "D (unbatched) or ",
                 batched, "D (batched) input to ", name, ", but got input of size: ", shape_str(input.sizes()));
  const bool unbatched = input.dim() == batched - 1;
  Tensor x = unbatched ? unsqueeze(input, 0) : input;
  TG_CHECK_SHAPE(weight.dim() == batched, "Expected ", weight.dim(), "-dimensional input for ", weight.dim(),
                 "-dimensional weight ", shape_str(weight.sizes()), ", but got ", x.dim(), "-dimensional input of size ",
                 shape_str(x.sizes()), " instead");

  std::vector<int64_t> stride = expand(stride_in, spatial, "stride");
  std::vector<int64_t> dilation = expand(dilation_in, spatial, "dilation");
  std::vector<int64_t> padding(static_cast<size_t>(spatial), 0);
  if (padding_mode == ConvPadding::Explicit) padding = expand(padding_in, spatial, "padding");
  std::vector<int64_t> out_pad(static_cast<size_t>(spatial), 0);
  if (transposed) out_pad = expand(output_padding_in, spatial, "output_padding");
  for (int64_t s : stride) TG_CHECK_VALUE(s > 0, "non-positive stride is not supported");
  for (int64_t p : padding) TG_CHECK_VALUE(p >= 0, "negative padding is not supported");
  for (int64_t p : out_pad) TG_CHECK_VALUE(p >= 0, "negative output_padding is not supported");
  for (int64_t d : dilation) TG_CHECK_VALUE(d > 0, "non-positive dilation is not supported");
  TG_CHECK_VALUE(groups > 0, "non-positive groups is not supported");
  if (padding_mode == ConvPadding::Same)
    for (int64_t s : stride) TG_CHECK_VALUE(s == 1, "padding='same' is not supported for strided convolutions");

  TG_CHECK_DTYPE(x.dtype() == weight.dtype(), "Input type (", torch_type(x.dtype()), ") and weight type (",
                 torch_type(weight.dtype()), ") should be the same or input should be a MKLDNN tensor and weight is a "
                 "dense tensor");
  if (bias.defined())
    TG_CHECK_DTYPE(bias.dtype() == x.dtype(), "Input type (", c_type(x.dtype()), ") and bias type (",
                   c_type(bias.dtype()), ") should be the same");
  TG_CHECK_KIND(ErrorKind::NotImplemented, is_floating(x.dtype()), "\"", name, "\" not implemented for '",
                dtype_legacy_name(x.dtype()), "'");

  // Channels and groups, as PyTorch's check_shape_forward.
  TG_CHECK_SHAPE(weight.size(0) >= groups, "Given groups=", groups, ", expected weight to be at least ", groups,
                 " at dimension 0, but got weight of size ", shape_str(weight.sizes()), " instead");
  TG_CHECK_SHAPE(weight.size(0) % groups == 0, "Given groups=", groups, ", expected weight to be divisible by ", groups,
                 " at dimension 0, but got weight of size [", shape_str(weight.sizes()), "] instead");
  const int64_t in_ch = x.size(1);
  if (!transposed) {
    TG_CHECK_SHAPE(in_ch == weight.size(1) * groups, "Given groups=", groups, ", weight of size ",
                   shape_str(weight.sizes()), ", expected input", shape_str(x.sizes()), " to have ",
                   weight.size(1) * groups, " channels, but got ", in_ch, " channels instead");
    if (bias.defined())
      TG_CHECK_SHAPE(bias.dim() == 1 && bias.size(0) == weight.size(0), "Given weight of size ",
                     shape_str(weight.sizes()), ", expected bias to be 1-dimensional with ", weight.size(0),
                     " elements, but got bias of size ", shape_str(bias.sizes()), " instead");
  } else {
    TG_CHECK_SHAPE(in_ch == weight.size(0), "Given transposed=1, weight of size ", shape_str(weight.sizes()),
                   ", expected input", shape_str(x.sizes()), " to have ", weight.size(0), " channels, but got ", in_ch,
                   " channels instead");
    if (bias.defined())
      TG_CHECK_SHAPE(bias.dim() == 1 && bias.size(0) == weight.size(1) * groups, "Given transposed=1, weight of size ",
                     shape_str(weight.sizes()), ", expected bias to be 1-dimensional with ", weight.size(1) * groups,
                     " elements, but got bias of size ", shape_str(bias.sizes()), " instead");
  }

  // 'same': PyTorch pads symmetrically by the smaller half and pads the input explicitly
  // on the right by what is left over (even kernels with odd dilation).
  if (padding_mode == ConvPadding::Same) {
    std::vector<int64_t> pads;  // (left, right) from the last dim backwards
    bool extra = false;
    for (int64_t i = spatial - 1; i >= 0; --i) {
      const size_t d = static_cast<size_t>(i);
      const int64_t total = dilation[d] * (weight.size(2 + i) - 1);
      padding[d] = total / 2;
      const int64_t right = total - padding[d] - padding[d];
      pads.push_back(0);
      pads.push_back(right);
      extra = extra || right > 0;
    }
    if (extra) x = pad(x, pads, PadMode::Constant, 0.0);
  }

  std::vector<int64_t> in_sp, k_eff, out_sp;
  for (int64_t i = 0; i < spatial; ++i) {
    const size_t d = static_cast<size_t>(i);
    in_sp.push_back(x.size(2 + i));
    k_eff.push_back(dilation[d] * (weight.size(2 + i) - 1) + 1);
  }
  ConvGeometry g;
  g.spatial = spatial;
  g.groups = groups;
  g.N = x.size(0);
  if (!transposed) {
    std::vector<int64_t> padded;
    for (int64_t i = 0; i < spatial; ++i) padded.push_back(in_sp[static_cast<size_t>(i)] + 2 * padding[static_cast<size_t>(i)]);
    bool fits = true;
    for (size_t d = 0; d < padded.size(); ++d) fits = fits && padded[d] >= k_eff[d];
    TG_CHECK_SHAPE(fits, "Calculated padded input size per channel: ", per_channel(padded), ". Kernel size: ",
                   per_channel(k_eff), ". Kernel size can't be greater than actual input size");
    for (size_t d = 0; d < padded.size(); ++d) out_sp.push_back((padded[d] - k_eff[d]) / stride[d] + 1);
    g.C = in_ch;
    g.O = weight.size(0);
  } else {
    bool ok = true;
    for (size_t d = 0; d < out_pad.size(); ++d) ok = ok && (out_pad[d] < stride[d] || out_pad[d] < dilation[d]);
    if (!ok) {
      std::string msg = "output padding must be smaller than either stride or dilation, but got ";
      const char* suffix[] = {"_height", "_width"};
      const size_t first = spatial == 1 ? 1 : 0;
      auto part = [&](const char* what, const std::vector<int64_t>& v, bool last) {
        for (size_t d = 0; d < v.size(); ++d)
          msg += std::string(what) + suffix[first + d] + ": " + std::to_string(v[d]) + (last && d + 1 == v.size() ? "" : " ");
      };
      part("output_padding", out_pad, false);
      part("stride", stride, false);
      part("dilation", dilation, true);
      fail(ErrorKind::Value, msg);
    }
    bool positive = true;
    for (size_t d = 0; d < in_sp.size(); ++d) {
      out_sp.push_back((in_sp[d] - 1) * stride[d] - 2 * padding[d] + k_eff[d] + out_pad[d]);
      positive = positive && out_sp[d] > 0;
    }
    TG_CHECK_SHAPE(positive, "Given input size per channel: ", per_channel(in_sp), ". Calculated output size per channel: ",
                   per_channel(out_sp), ". Output size is too small");
    g.C = weight.size(1) * groups;  // the transposed output's channels play the forward input's
    g.O = in_ch;
  }
  // Geometry of the forward form (conv_geometry.h): x is the input (or the transposed output).
  const std::vector<int64_t>& xs = transposed ? out_sp : in_sp;
  const std::vector<int64_t>& ys = transposed ? in_sp : out_sp;
  const size_t last = static_cast<size_t>(spatial - 1);
  g.W = xs[last];
  g.Wo = ys[last];
  g.kw = weight.size(weight.dim() - 1);
  g.sw = stride[last];
  g.pw = padding[last];
  g.dw = dilation[last];
  if (spatial == 2) {
    g.H = xs[0];
    g.Ho = ys[0];
    g.kh = weight.size(2);
    g.sh = stride[0];
    g.ph = padding[0];
    g.dh = dilation[0];
  }
  Tensor out = transposed ? conv_input_grad(x, weight, bias, g, kNode) : conv_forward(x, weight, bias, g, kNode);
  return unbatched ? squeeze(out, 0) : out;
}

}  // namespace nn
}  // namespace tg

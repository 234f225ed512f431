// The nn.functional family: forward rules and kernel calls beside backward formulas.
//
// Note [nn fused backward]: softmax, log_softmax and nll_loss run fused kernels forward and
// backward. Each backward is an op of its own (softmax_backward_data, nll_loss_backward)
// that records a node whose formula is written in differentiable tensor ops, so gradients of
// gradients work through the fused kernels too.
#include "ops/nn.h"
#include <cmath>
#include <limits>
#include "autograd/function.h"
#include "autograd/grad_mode.h"
#include "ops/elementwise_ext.h"
#include "ops/helpers.h"
#include "ops/linalg_ext.h"

namespace tg {
namespace nn {
namespace {

double value_of(const Tensor& t) {
  double v = 0;
  backend_of(t).to_host(&v, contiguous_raw(cast_raw(t, DType::Float64)));
  return v;
}

// PyTorch's check for inputs its derivative formulas leave out (class weights and the like).
void check_not_differentiable(const char* fn, const char* arg, const Tensor& t) {
  TG_CHECK(!(t.defined() && t.requires_grad() && GradMode::is_enabled()), "The function '", fn,
           "' is not differentiable with respect to argument '", arg, "'. This input cannot have requires_grad True.");
}

// ---------------------------------------------------------------- softmax
TensorList softmax_backward(OpNode& n, const TensorList& g) {
  return {softmax_backward_data(g[0], n.saved(0), n.ints[0], n.flag)};
}

Tensor softmax_impl(const Tensor& x, int64_t dim, bool log) {
  const char* name = log ? "log_softmax" : "softmax";
  check_defined(name, x);
  const int64_t d = x.dim() == 0 ? wrap_dim(dim, 1, name) * 0 : wrap_dim(dim, x.dim(), name);
  check_floating(log ? "log_softmax_lastdim_kernel_impl" : "softmax_lastdim_kernel_impl", x);
  Tensor out = Tensor::empty(x.sizes(), x.dtype(), x.device());
  backend_of(x).softmax(out, contiguous_raw(x), d, log);
  if (auto n = record(log ? "LogSoftmaxBackward0" : "SoftmaxBackward0", softmax_backward, {&x}, {&out})) {
    n->save_output(out);
    n->ints = {d};
    n->flag = log;
  }
  return out;
}

// Derivatives of r = softmax_backward_data(g, y) (see nn.h):
//   softmax:     r = y * (g - sum(g*y))   dr/dg: softmax_backward_data(gr, y); dr/dy: gr*(g - sum(g*y)) - g*sum(gr*y)
//   log_softmax: r = g - exp(y) * sum(g)  dr/dg: gr - sum(gr*exp(y));        dr/dy: -gr*exp(y)*sum(g)
TensorList softmax_backward_data_backward(OpNode& n, const TensorList& gr) {
  Tensor g = n.saved(0), y = n.saved(1);
  const std::vector<int64_t> dim{n.ints[0]};
  Tensor gg, gy;
  if (n.flag) {
    Tensor ey = exp(y);
    if (n.needs_input_grad(0)) gg = gr[0] - sum(gr[0] * ey, dim, true);
    if (n.needs_input_grad(1)) gy = -(gr[0] * ey * sum(g, dim, true));
  } else {
    if (n.needs_input_grad(0)) gg = softmax_backward_data(gr[0], y, n.ints[0], false);
    if (n.needs_input_grad(1)) gy = gr[0] * (g - sum(g * y, dim, true)) - g * sum(gr[0] * y, dim, true);
  }
  return {gg, gy};
}

}  // namespace

Tensor softmax(const Tensor& x, int64_t dim) { return softmax_impl(x, dim, false); }
Tensor log_softmax(const Tensor& x, int64_t dim) { return softmax_impl(x, dim, true); }

Tensor softmax_backward_data(const Tensor& grad, const Tensor& out, int64_t dim, bool log) {
  Tensor gi = Tensor::empty(out.sizes(), out.dtype(), out.device());
  Tensor gc = contiguous_raw(cast_raw(grad.sizes() == out.sizes() ? grad : expand_raw(grad, out.sizes()), out.dtype()));
  backend_of(out).softmax_backward(gi, gc, contiguous_raw(out), dim, log);
  if (auto n = record(log ? "LogSoftmaxBackwardDataBackward0" : "SoftmaxBackwardDataBackward0",
                      softmax_backward_data_backward, {&grad, &out}, {&gi})) {
    n->save({grad, out});
    n->ints = {dim};
    n->flag = log;
  }
  return gi;
}

// ---------------------------------------------------------------- nll_loss
namespace {

struct NllGeometry {
  int64_t N, C, S;
  Shape out_shape;  // reduction none
};

Tensor nll_loss_backward(const Tensor& grad, const Shape& in_shape, DType dtype, const Tensor& target,
                         const Tensor& weight, int64_t reduction, int64_t ignore_index, const Tensor& total_weight);

NllGeometry nll_geometry(const Shape& in) {
  NllGeometry g;
  const int64_t d = static_cast<int64_t>(in.size());
  g.N = d >= 2 ? in[0] : 1;
  g.C = d >= 2 ? in[1] : in[0];
  g.S = 1;
  for (int64_t i = 2; i < d; ++i) g.S *= in[i];
  if (d >= 2) {
    g.out_shape.push_back(in[0]);
    for (int64_t i = 2; i < d; ++i) g.out_shape.push_back(in[i]);
  }
  return g;
}

TensorList nll_loss_backward_formula(OpNode& n, const TensorList& g) {
  Tensor target = n.saved(0), tw = n.saved(1);
  Tensor weight = n.flag ? n.saved(2) : Tensor();
  return {nll_loss_backward(g[0], n.shape, n.dtype, target, weight, n.ints[0], n.ints[1], tw)};
}

// nll_loss_backward is linear in grad, and its adjoint is nll_loss itself.
TensorList nll_loss_double_backward(OpNode& n, const TensorList& g) {
  Tensor target = n.saved(0);
  Tensor weight = n.flag ? n.saved(1) : Tensor();
  return {nll_loss(g[0], target, weight, n.ints[0], n.ints[1])};
}

Tensor nll_loss_backward(const Tensor& grad, const Shape& in_shape, DType dtype, const Tensor& target,
                         const Tensor& weight, int64_t reduction, int64_t ignore_index, const Tensor& total_weight) {
  NllGeometry geo = nll_geometry(in_shape);
  Tensor gi = Tensor::empty(in_shape, dtype, grad.device());
  Tensor gi3 = Tensor::view_of(gi, {geo.N, geo.C, geo.S}, {geo.C * geo.S, geo.S, 1}, 0);
  backend_of(grad).nll_loss_backward(gi3, contiguous_raw(cast_raw(grad, dtype)), target, weight, reduction, ignore_index,
                                     total_weight);
  if (auto n = record("NllLossBackwardBackward0", nll_loss_double_backward, {&grad}, {&gi})) {
    n->save({target});
    if (weight.defined()) n->save({weight});
    n->flag = weight.defined();
    n->ints = {reduction, ignore_index};
  }
  return gi;
}

}  // namespace

Tensor nll_loss(const Tensor& input, const Tensor& target, const Tensor& weight, int64_t reduction, int64_t ignore_index) {
  check_defined("nll_loss", input);
  check_defined("nll_loss", target);
  check_same_device("nll_loss", input, target);
  const int64_t d = input.dim();
  TG_CHECK_SHAPE(d >= 1, "Expected 1 or more dimensions (got ", d, ")");
  TG_CHECK_DTYPE(target.dtype() == DType::Int64 || target.dtype() == DType::UInt8,
                 "expected target dtype to be Long or Byte, but got ", dtype_legacy_name(target.dtype()));
  check_floating("nll_loss_forward_out_frame", input);
  TG_CHECK_VALUE(reduction >= 0 && reduction <= 2, "nll_loss: invalid reduction ", reduction);
  if (d == 1) {
    TG_CHECK_SHAPE(target.dim() <= 1 && target.numel() == 1, "0D or 1D target tensor expected, multi-target not supported");
  } else {
    TG_CHECK_VALUE(target.dim() >= 1 && input.size(0) == target.size(0), "Expected input batch_size (", input.size(0),
                   ") to match target batch_size (", target.dim() >= 1 ? target.size(0) : 1, ").");
    if (d == 2) {
      TG_CHECK_SHAPE(target.dim() == 1, "0D or 1D target tensor expected, multi-target not supported");
    } else {
      Shape want = nll_geometry(input.sizes()).out_shape;
      TG_CHECK_SHAPE(target.sizes() == want, "Expected target size ", shape_str(want), ", got ", shape_str(target.sizes()));
    }
  }
  NllGeometry geo = nll_geometry(input.sizes());
  check_not_differentiable("nll_loss_forward", "weight", weight);
  Tensor w;
  if (weight.defined()) {
    TG_CHECK_SHAPE(weight.dim() == 1 && weight.numel() == geo.C, "weight tensor should be defined either for all ", geo.C,
                   " classes or no classes but got weight tensor of shape: ", shape_str(weight.sizes()));
    w = contiguous_raw(cast_raw(weight, input.dtype()));
  }
  Tensor t = contiguous_raw(cast_raw(target, DType::Int64));
  Tensor in3 = Tensor::view_of(contiguous_raw(input), {geo.N, geo.C, geo.S}, {geo.C * geo.S, geo.S, 1}, 0);
  Tensor out = Tensor::empty(reduction == kNone ? geo.out_shape : Shape{}, input.dtype(), input.device());
  Tensor total_weight = Tensor::empty({}, input.dtype(), input.device());
  backend_of(input).nll_loss(out, total_weight, in3, t, w, reduction, ignore_index);
  if (auto n = record(d >= 3 ? "NllLoss2DBackward0" : "NllLossBackward0", nll_loss_backward_formula, {&input}, {&out})) {
    n->save({t, total_weight});
    if (w.defined()) n->save({w});
    n->flag = w.defined();
    n->ints = {reduction, ignore_index};
    n->shape = input.sizes();
    n->dtype = input.dtype();
  }
  // PyTorch runs 3-D and >4-D inputs through nll_loss2d on a 4-D view, so an unreduced loss
  // comes back as a view of its result (ViewBackward0).
  if (reduction == kNone && (d == 3 || d > 4)) return view(out, out.sizes());
  return out;
}

namespace {
// The summed weight of the targets that are not ignored (their count without weights).
Tensor target_weight_total(const Tensor& input, const Tensor& target, const Tensor& weight, int64_t ignore_index) {
  AutoGradMode off(false);
  return nll_loss(full(input.sizes(), Scalar(-1.0), input.dtype(), input.device()), target, weight, kSum, ignore_index);
}
}  // namespace

Tensor cross_entropy(const Tensor& input, const Tensor& target, const Tensor& weight, int64_t reduction,
                     int64_t ignore_index, double label_smoothing) {
  check_defined("cross_entropy", input);
  check_defined("cross_entropy", target);
  TG_CHECK_SHAPE(input.dim() >= 1, "Expected 1 or more dimensions (got ", input.dim(), ")");
  TG_CHECK_VALUE(label_smoothing >= 0.0 && label_smoothing <= 1.0,
                 "label_smoothing must be between 0.0 and 1.0. Got: ", label_smoothing);
  const int64_t class_dim = input.dim() == 1 ? 0 : 1;
  const int64_t C = input.size(class_dim);
  Tensor w_bcast;  // weight shaped to broadcast along the class dim
  if (weight.defined()) {
    TG_CHECK_SHAPE(weight.dim() == 1 && weight.numel() == C, "weight tensor should be defined either for all ", C,
                   " classes or no classes but got weight tensor of shape: ", shape_str(weight.sizes()));
    Shape ws(static_cast<size_t>(input.dim() - class_dim), 1);
    ws[0] = C;
    w_bcast = view(weight, ws);
  }
  if (is_floating(target.dtype())) {
    // Class probabilities: -(target * log_softmax(input) * weight).sum(class_dim).
    TG_CHECK_SHAPE(target.sizes() == input.sizes(), "Expected target size ", shape_str(input.sizes()), ", got ",
                   shape_str(target.sizes()));
    TG_CHECK_VALUE(ignore_index == -100, "ignore_index is not supported for floating point target");
    Tensor logp = log_softmax(input, class_dim);
    Tensor tgt = label_smoothing > 0 ? add(mul(target, Scalar(1 - label_smoothing)), Scalar(label_smoothing / C)) : target;
    Tensor prod = logp * tgt;
    if (w_bcast.defined()) prod = prod * w_bcast;
    if (reduction == kNone) return neg(sum(prod, {class_dim}, false));
    if (reduction == kSum) return neg(sum(prod));
    return div(neg(sum(prod)), Scalar(static_cast<double>(input.numel() / std::max<int64_t>(C, 1))), "DivBackward1");
  }
  Tensor logp = log_softmax(input, class_dim);
  Tensor nll = nll_loss(logp, target, weight, reduction, ignore_index);
  if (label_smoothing <= 0) return nll;
  // PyTorch's cross_entropy_loss_label_smoothing.
  Tensor smooth = neg(sum(w_bcast.defined() ? logp * w_bcast : logp, {class_dim}, false));
  Tensor ignored = compare(BinaryOp::Eq, target, Scalar::integer(ignore_index));
  smooth = where(ignored, zeros({}, smooth.dtype(), smooth.device()), smooth);
  Tensor ret;
  if (reduction == kMean) ret = div(sum(smooth), target_weight_total(input, target, weight, ignore_index));
  else if (reduction == kSum) ret = sum(smooth);
  else ret = smooth;
  return add(mul(nll, Scalar(1 - label_smoothing)), mul(ret, Scalar(label_smoothing / C)));
}

// ---------------------------------------------------------------- pointwise losses
namespace {

const char* pointwise_loss_node(PointwiseLoss k) {
  switch (k) {
    case PointwiseLoss::Mse: return "MseLossBackward0";
    case PointwiseLoss::SmoothL1: return "SmoothL1LossBackward0";
    case PointwiseLoss::Huber: return "HuberLossBackward0";
    case PointwiseLoss::BinaryCrossEntropy: return "BinaryCrossEntropyBackward0";
    case PointwiseLoss::BceWithLogits: return "BinaryCrossEntropyWithLogitsBackward0";
  }
  return "?";
}

const char* pointwise_loss_name(PointwiseLoss k) {
  switch (k) {
    case PointwiseLoss::Mse: return "mse_loss";
    case PointwiseLoss::SmoothL1: return "smooth_l1_loss";
    case PointwiseLoss::Huber: return "huber_loss";
    case PointwiseLoss::BinaryCrossEntropy: return "binary_cross_entropy";
    case PointwiseLoss::BceWithLogits: return "binary_cross_entropy_with_logits";
  }
  return "?";
}

// softplus(-x) = log(1 + exp(-x)) = -logsigmoid(x), whose kernel is stable for large |x|.
Tensor softplus_neg(const Tensor& x) { return neg(ew_unary(UnaryOp::LogSigmoid, x)); }

// The elementwise loss (w and pw may be undefined).
Tensor pointwise_value(PointwiseLoss k, const Tensor& x, const Tensor& y, const Tensor& w, const Tensor& pw, double p) {
  Tensor l;
  switch (k) {
    case PointwiseLoss::Mse: {
      Tensor d = x - y;
      return d * d;
    }
    case PointwiseLoss::SmoothL1: {
      Tensor d = abs(x - y);
      if (p == 0) return d;
      return where(compare(BinaryOp::Lt, d, Scalar(p)), d * d * (0.5 / p), sub(d, Scalar(0.5 * p)));
    }
    case PointwiseLoss::Huber: {
      Tensor d = abs(x - y);
      return where(compare(BinaryOp::Lt, d, Scalar(p)), d * d * 0.5, sub(d, Scalar(0.5 * p)) * p);
    }
    case PointwiseLoss::BinaryCrossEntropy: {
      Tensor lx = clamp(log(x), -100.0, std::nullopt), l1x = clamp(log(rsub(x, Scalar(1.0))), -100.0, std::nullopt);
      l = neg(y * lx + rsub(y, Scalar(1.0)) * l1x);
      break;
    }
    case PointwiseLoss::BceWithLogits: {
      // (1 - y) x + lw softplus(-x) = (x - x y) - lw logsigmoid(x): three passes, one of them
      // transcendental.
      Tensor ls = ew_unary(UnaryOp::LogSigmoid, x);
      Tensor l1y = addcmul(x, x, y, -1.0);
      if (!pw.defined()) {
        l = l1y - ls;
      } else {
        Tensor lw = add(sub(pw, Scalar(1.0)) * y, Scalar(1.0));
        l = addcmul(l1y, lw, ls, -1.0);
      }
      break;
    }
  }
  return w.defined() ? l * w : l;
}

// d loss / d input and d loss / d target, elementwise.
std::pair<Tensor, Tensor> pointwise_grads(PointwiseLoss k, const Tensor& x, const Tensor& y, const Tensor& w,
                                          const Tensor& pw, double p, bool need_x, bool need_y) {
  Tensor dx, dy;
  switch (k) {
    case PointwiseLoss::Mse: {
      dx = (x - y) * 2.0;
      break;
    }
    case PointwiseLoss::SmoothL1:
    case PointwiseLoss::Huber: {
      Tensor d = x - y;
      Tensor s = sign(d);
      if (p == 0) {
        dx = s;
      } else {
        Tensor inner = k == PointwiseLoss::SmoothL1 ? div(d, Scalar(p)) : d;
        Tensor outer = k == PointwiseLoss::SmoothL1 ? s : s * p;
        dx = where(compare(BinaryOp::Lt, abs(d), Scalar(p)), inner, outer);
      }
      break;
    }
    case PointwiseLoss::BinaryCrossEntropy: {
      // PyTorch: (x - y) / max((1 - x) * x, 1e-12); d/dy: log(1 - x) - log(x).
      if (need_x) dx = div(x - y, clamp(rsub(x, Scalar(1.0)) * x, 1e-12, std::nullopt));
      if (need_y) dy = clamp(log(rsub(x, Scalar(1.0))), -100.0, std::nullopt) - clamp(log(x), -100.0, std::nullopt);
      break;
    }
    case PointwiseLoss::BceWithLogits: {
      // l = (1 - y) x + lw softplus(-x), lw = (pw - 1) y + 1.
      Tensor lw = pw.defined() ? add(sub(pw, Scalar(1.0)) * y, Scalar(1.0)) : Tensor();
      if (need_x) {
        Tensor sn = sigmoid(neg(x));
        dx = rsub(y, Scalar(1.0)) - (lw.defined() ? lw * sn : sn);
      }
      if (need_y) dy = pw.defined() ? neg(x) + sub(pw, Scalar(1.0)) * softplus_neg(x) : neg(x);
      break;
    }
  }
  if (k == PointwiseLoss::Mse || k == PointwiseLoss::SmoothL1 || k == PointwiseLoss::Huber) {
    if (need_y) dy = neg(dx);
  }
  if (w.defined()) {
    if (dx.defined()) dx = dx * w;
    if (dy.defined()) dy = dy * w;
  }
  return {dx, dy};
}

Tensor reduce_loss(const Tensor& l, int64_t reduction) {
  if (reduction == kMean) return mean(l);
  if (reduction == kSum) return sum(l);
  return l;
}

// Note [Fused loss paths]: mse and binary_cross_entropy_with_logits (without weights) are
// the losses training loops reduce over whole batches, and their composed forms make a pass
// per elementwise op. Reduced, mse is one squared-sum reduction of x - y (two passes where the
// composed form makes three); outside create_graph their gradients are formed in place in a
// fresh tensor, the incoming gradient folded into one factor c (0-d when reduced):
//   mse:               dx = (x - y) c,           c = 2 g / n (mean) or 2 g;  dy = -dx
//   bce with logits:   dx = (sigmoid(x) - y) c,  c = g / n or g;              dy = -x c
// Under create_graph the composed formulas below run, so the gradients stay differentiable.
bool fused_grads(PointwiseLoss k, const Tensor& x, const Tensor& y, const Tensor& w, const Tensor& pw) {
  return !GradMode::is_enabled() && !w.defined() && !pw.defined() && x.dtype() == y.dtype() &&
         (k == PointwiseLoss::Mse || k == PointwiseLoss::BceWithLogits);
}

TensorList fused_loss_grads(PointwiseLoss k, const Tensor& x, const Tensor& y, Tensor c, bool need_x, bool need_y) {
  if (k == PointwiseLoss::Mse) {
    Tensor dx = x - y;
    mul_(dx, mul(c, Scalar(2.0)));
    return {need_x ? dx : Tensor(), need_y ? neg(dx) : Tensor()};
  }
  Tensor dx;
  if (need_x) {
    dx = sigmoid(x);
    sub_(dx, y);
    mul_(dx, c);
  }
  return {dx, need_y ? mul(x, neg(c)) : Tensor()};
}

TensorList pointwise_loss_backward(OpNode& n, const TensorList& g) {
  const auto k = static_cast<PointwiseLoss>(n.ints[0]);
  const int64_t reduction = n.ints[1];
  Tensor x = n.saved(0), y = n.saved(1);
  size_t i = 2;
  Tensor w = n.flag ? n.saved(i++) : Tensor();
  Tensor pw = n.flag2 ? n.saved(i++) : Tensor();
  Tensor ge = g[0];
  if (reduction == kMean) ge = div(ge, Scalar(static_cast<double>(std::max<int64_t>(1, numel_of(n.shape)))));
  if (fused_grads(k, x, y, w, pw)) return fused_loss_grads(k, x, y, ge, n.needs_input_grad(0), n.needs_input_grad(1));
  if (reduction != kNone) ge = expand(ge, n.shape);
  auto [dx, dy] = pointwise_grads(k, x, y, w, pw, n.scalar, n.needs_input_grad(0), n.needs_input_grad(1));
  return {n.needs_input_grad(0) ? ge * dx : Tensor(), n.needs_input_grad(1) ? ge * dy : Tensor()};
}

}  // namespace

Tensor pointwise_loss(PointwiseLoss kind, const Tensor& input, const Tensor& target, const Tensor& weight,
                      const Tensor& pos_weight, int64_t reduction, double param) {
  const char* name = pointwise_loss_name(kind);
  check_defined(name, input);
  check_defined(name, target);
  check_same_device(name, input, target);
  TG_CHECK_VALUE(reduction >= 0 && reduction <= 2, name, ": invalid reduction ", reduction);
  check_floating(name, input);
  Shape shape = broadcast_shapes(input.sizes(), target.sizes(), name);
  if (weight.defined()) shape = broadcast_shapes(shape, weight.sizes(), name);
  if (pos_weight.defined()) shape = broadcast_shapes(shape, pos_weight.sizes(), name);
  check_not_differentiable(name, "weight", weight);
  check_not_differentiable(name, "pos_weight", pos_weight);
  if (kind == PointwiseLoss::SmoothL1) TG_CHECK(param >= 0, "smooth_l1_loss does not support negative values for beta.");
  if (kind == PointwiseLoss::Huber) TG_CHECK(param > 0, "huber_loss does not support non-positive values for delta.");
  Tensor out;
  {
    AutoGradMode off(false);
    if (kind == PointwiseLoss::BinaryCrossEntropy && input.numel() > 0) {
      const bool ok = value_of(amin_all(input)) >= 0 && value_of(amax_all(input)) <= 1;
      TG_CHECK(ok, "all elements of input should be between 0 and 1");
    }
    if (kind == PointwiseLoss::Mse && reduction != kNone) {  // Note [Fused loss paths]
      Tensor d = input - target;
      out = reduce_raw(ReduceOp::SumSquares, d, dims_mask({}, d.dim(), name), false, d.dtype());
      if (reduction == kMean) out = div(out, Scalar(static_cast<double>(d.numel())));
    } else {
      out = reduce_loss(pointwise_value(kind, input, target, weight, pos_weight, param), reduction);
    }
  }
  if (auto n = record(pointwise_loss_node(kind), pointwise_loss_backward, {&input, &target}, {&out})) {
    n->save({input, target});
    if (weight.defined()) n->save({weight});
    if (pos_weight.defined()) n->save({pos_weight});
    n->flag = weight.defined();
    n->flag2 = pos_weight.defined();
    n->ints = {static_cast<int64_t>(kind), reduction};
    n->scalar = param;
    n->shape = shape;
  }
  return out;
}

// ---------------------------------------------------------------- linear
// x @ W^T + b through the fused addmm (linalg_ext.cpp): bias laid down, gemm accumulated.
Tensor linear(const Tensor& x, const Tensor& weight, const Tensor& bias) {
  check_defined("linear", x);
  check_defined("linear", weight);
  TG_CHECK_SHAPE(x.dim() >= 1, "linear: input must have at least 1 dimension, got a 0-D tensor");
  TG_CHECK_SHAPE(weight.dim() == 2, "linear: weight must be 2-D, got ", weight.dim(), "-D");
  const int64_t K = x.size(x.dim() - 1);
  const int64_t rows = K == 0 ? 0 : x.numel() / K;
  TG_CHECK_SHAPE(K == weight.size(1), "mat1 and mat2 shapes cannot be multiplied (", x.dim() == 1 ? 1 : rows, "x", K,
                 " and ", weight.size(1), "x", weight.size(0), ")");
  if (!bias.defined()) {
    if (x.dim() < 3) return matmul(x, t(weight));
    // Rows folded into one mm; the fresh product reshaped back is PyTorch's _unsafe_view.
    Shape out_shape(x.sizes().begin(), x.sizes().end() - 1);
    out_shape.push_back(weight.size(0));
    return unsafe_view(mm(reshape(x, {-1, K}), t(weight)), out_shape);
  }
  if (x.dim() == 2) return addmm(bias, x, t(weight), Scalar::integer(1), Scalar::integer(1));
  Shape out_shape(x.sizes().begin(), x.sizes().end() - 1);
  out_shape.push_back(weight.size(0));
  return view(addmm(bias, reshape(x, {-1, K}), t(weight), Scalar::integer(1), Scalar::integer(1)), out_shape);
}

// ---------------------------------------------------------------- row gather / scatter
// gather_rows(in, dim, index): in's rows along dim picked by a 1-D int64 index, laid out as
// [outer, n, inner] and viewed as out_shape. scatter_add_rows is its adjoint; each is the
// other's backward, so both differentiate any number of times.
namespace {

Tensor gather_rows(const Tensor& in, int64_t dim, const Tensor& index, const Shape& out_shape, const char* node,
                   int64_t skip);
Tensor scatter_add_rows(const Tensor& src, int64_t dim, const Tensor& index, const Shape& in_shape, const char* node,
                        int64_t skip);

// Zeroes the rows of g (laid out [outer, n, inner]) whose index is skip.
Tensor mask_skipped(const Tensor& g, int64_t dim, const Tensor& index, const Shape& in_shape, int64_t skip) {
  if (skip < 0) return g;
  int64_t outer = 1, inner = 1;
  for (int64_t d = 0; d < dim; ++d) outer *= in_shape[d];
  for (size_t d = static_cast<size_t>(dim) + 1; d < in_shape.size(); ++d) inner *= in_shape[d];
  Tensor keep = to_dtype(compare(BinaryOp::Ne, index, Scalar::integer(skip)), g.dtype());
  Tensor g3 = reshape(g, {outer, index.numel(), inner});
  return reshape(g3 * view(keep, {1, index.numel(), 1}), g.sizes());
}

TensorList gather_rows_backward(OpNode& n, const TensorList& g) {
  return {scatter_add_rows(g[0], n.ints[0], n.saved(0), n.shape, "EmbeddingBackwardBackward0", n.ints[1])};
}

TensorList scatter_add_rows_backward(OpNode& n, const TensorList& g) {
  Tensor index = n.saved(0);
  Tensor r = gather_rows(g[0], n.ints[0], index, n.shape2, "IndexSelectBackward0", -1);
  return {mask_skipped(r, n.ints[0], index, n.shape, n.ints[1])};
}

// in's shape with `dim` resized to the number of picked rows: how the row kernels see a
// [outer, n, inner] result.
Shape rows_shape(const Shape& in_shape, int64_t dim, int64_t n) {
  Shape s = in_shape;
  s[static_cast<size_t>(dim)] = n;
  return s;
}

Tensor gather_rows(const Tensor& in, int64_t dim, const Tensor& index, const Shape& out_shape, const char* node,
                   int64_t skip) {
  Tensor out = Tensor::empty(out_shape, in.dtype(), in.device());
  Shape rs = rows_shape(in.sizes(), dim, index.numel());
  backend_of(in).select_indices(Tensor::view_of(out, rs, contiguous_strides(rs), 0), in, dim, contiguous_raw(index));
  if (auto n = record(node, gather_rows_backward, {&in}, {&out})) {
    n->save({index});
    n->ints = {dim, skip};
    n->shape = in.sizes();
  }
  return out;
}

Tensor scatter_add_rows(const Tensor& src, int64_t dim, const Tensor& index, const Shape& in_shape, const char* node,
                        int64_t skip) {
  Tensor out = zeros(in_shape, src.dtype(), src.device());
  Tensor rows = src;
  if (skip >= 0) {
    AutoGradMode no_grad(false);  // the mask is part of this op, not a node of its own
    rows = mask_skipped(src, dim, index, in_shape, skip);
  }
  rows = contiguous_raw(rows);
  Shape rs = rows_shape(in_shape, dim, index.numel());
  backend_of(src).add_indices(out, dim, contiguous_raw(index), Tensor::view_of(rows, rs, contiguous_strides(rs), rows.impl()->offset()));
  if (auto n = record(node, scatter_add_rows_backward, {&src}, {&out})) {
    n->save({index});
    n->ints = {dim, skip};
    n->shape = in_shape;
    n->shape2 = src.sizes();
  }
  return out;
}

}  // namespace

Tensor embedding(const Tensor& indices, const Tensor& weight, std::optional<int64_t> padding_idx) {
  check_defined("embedding", indices);
  check_defined("embedding", weight);
  TG_CHECK_DTYPE(indices.dtype() == DType::Int64 || indices.dtype() == DType::Int32,
                 "Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, Int; but "
                 "got ", dtype_legacy_name(indices.dtype()), " tensor instead (while checking arguments for embedding)");
  TG_CHECK_SHAPE(weight.dim() == 2, "'weight' must be 2-D");
  int64_t skip = -1;
  if (padding_idx) {
    const int64_t V = weight.size(0);
    TG_CHECK_VALUE(*padding_idx < V && *padding_idx >= -V, "Padding_idx must be within num_embeddings");
    skip = *padding_idx < 0 ? *padding_idx + V : *padding_idx;
  }
  Tensor idx = contiguous_raw(cast_raw(indices, DType::Int64));
  idx = Tensor::view_of(idx, {idx.numel()}, {1}, idx.impl()->offset());
  Shape out_shape = indices.sizes();
  out_shape.push_back(weight.size(1));
  return gather_rows(weight, 0, idx, out_shape, "EmbeddingBackward0", skip);
}

// ---------------------------------------------------------------- pad
namespace {
Tensor constant_pad(const Tensor& x, const std::vector<int64_t>& pads, double value);

TensorList constant_pad_backward(OpNode& n, const TensorList& g) {
  std::vector<int64_t> neg_pads(n.ints.size());
  for (size_t i = 0; i < n.ints.size(); ++i) neg_pads[i] = -n.ints[i];
  return {constant_pad(g[0], neg_pads, 0.0)};
}

Tensor constant_pad(const Tensor& x, const std::vector<int64_t>& pads, double value) {
  const int64_t nd = x.dim(), np = static_cast<int64_t>(pads.size()) / 2;
  Shape out_shape = x.sizes();
  Shape src_sizes = x.sizes(), dst_off(nd, 0), src_off(nd, 0);
  for (int64_t i = 0; i < np; ++i) {
    const int64_t d = nd - 1 - i, l = pads[2 * i], r = pads[2 * i + 1];
    out_shape[d] = x.size(d) + l + r;
    TG_CHECK_SHAPE(out_shape[d] >= 0, "The input size ", x.size(d), ", plus negative padding ", l, " and ", r,
                   " resulted in a negative output size, which is invalid. Check dimension ", d, " of your input.");
    src_off[d] = std::max<int64_t>(0, -l);
    dst_off[d] = std::max<int64_t>(0, l);
    src_sizes[d] = std::max<int64_t>(0, x.size(d) - std::max<int64_t>(0, -l) - std::max<int64_t>(0, -r));
  }
  Tensor out = full(out_shape, Scalar(value), x.dtype(), x.device());
  if (numel_of(src_sizes) > 0) {
    int64_t so = x.impl()->offset(), doff = 0;
    const Shape ostr = out.strides();
    for (int64_t d = 0; d < nd; ++d) {
      so += src_off[d] * x.stride(d);
      doff += dst_off[d] * ostr[d];
    }
    Tensor src = Tensor::view_of(x, src_sizes, x.strides(), so);
    Tensor dst = Tensor::view_of(out, src_sizes, ostr, doff);
    backend_of(x).copy(dst, src);
  }
  if (auto n = record("ConstantPadNdBackward0", constant_pad_backward, {&x}, {&out})) n->ints = pads;
  return out;
}
}  // namespace

Tensor pad(const Tensor& x, const std::vector<int64_t>& pads, PadMode mode, double value) {
  check_defined("pad", x);
  TG_CHECK_VALUE(pads.size() % 2 == 0, "Padding length must be divisible by 2");
  const int64_t np = static_cast<int64_t>(pads.size()) / 2;
  TG_CHECK_VALUE(np <= x.dim(), "Padding length should be less than or equal to two times the input dimension but got "
                 "padding length ", pads.size(), " and input of dimension ", x.dim());
  if (mode == PadMode::Constant) return constant_pad(x, pads, value);
  const bool reflect = mode == PadMode::Reflect;
  const char* node = reflect ? (np == 1 ? "ReflectionPad1DBackward0" : np == 2 ? "ReflectionPad2DBackward0" : "ReflectionPad3DBackward0")
                             : (np == 1 ? "ReplicationPad1DBackward0" : np == 2 ? "ReplicationPad2DBackward0" : "ReplicationPad3DBackward0");
  TG_CHECK_VALUE(np <= 3, "Only 2D, 3D, 4D, 5D padding with non-constant padding are supported for now");
  Tensor r = x;
  for (int64_t i = np - 1; i >= 0; --i) {
    const int64_t d = x.dim() - 1 - i, l = pads[2 * i], rt = pads[2 * i + 1], n = x.size(d);
    TG_CHECK_VALUE(l >= 0 && rt >= 0, reflect ? "reflection" : "replication", " padding: negative padding is not supported");
    if (reflect) {
      TG_CHECK_VALUE(l < n && rt < n, "Argument #4: Padding size should be less than the corresponding input dimension, "
                     "but got: padding (", l, ", ", rt, ") at dimension ", d, " of input ", shape_str(x.sizes()));
    } else {
      TG_CHECK_VALUE(n > 0 || (l == 0 && rt == 0), "replication padding: input dimension ", d, " is empty");
    }
    std::vector<int64_t> idx(static_cast<size_t>(n + l + rt));
    for (int64_t j = 0; j < n + l + rt; ++j) {
      int64_t s = j - l;
      if (reflect) s = s < 0 ? -s : (s >= n ? 2 * (n - 1) - s : s);
      else s = std::min(std::max<int64_t>(s, 0), n - 1);
      idx[static_cast<size_t>(j)] = s;
    }
    Tensor index = from_host(idx.data(), {static_cast<int64_t>(idx.size())}, DType::Int64, x.device());
    Shape out_shape = r.sizes();
    out_shape[d] = n + l + rt;
    r = gather_rows(r, d, index, out_shape, node, -1);  // one node per padded dim
  }
  return r;
}

}  // namespace nn
}  // namespace tg

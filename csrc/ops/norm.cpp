// batch_norm, group_norm, instance_norm and layer_norm: PyTorch's checks and messages, the
// forward through the normalization kernels without recording, and one node each
// (NativeBatchNormBackward0, NativeGroupNormBackward0, NativeLayerNormBackward0) whose
// formula, when a graph is being built, recomputes the statistics from the saved input with
// differentiable ops; batch and layer norm run fused kernels in a plain backward.
//
// With xhat = (x - mean) * rstd over a set of reduced elements and gh = grad * weight:
//   d input  = rstd * (gh - mean(gh) - xhat * mean(gh * xhat))   (batch statistics)
//   d input  = gh * rstd_running                                  (batch_norm in eval mode)
//   d weight = sum(grad * xhat), d bias = sum(grad), over every dim but the channel dim
//   (layer norm: over the leading, unnormalized dims).
#include "ops/norm.h"
#include "autograd/function.h"
#include "autograd/grad_mode.h"
#include "ops/helpers.h"
#include "ops/movement.h"

namespace tg {
namespace nn {
namespace {

// Every dim but 1 (the channel dim).
std::vector<int64_t> non_channel_dims(int64_t nd) {
  std::vector<int64_t> d{0};
  for (int64_t i = 2; i < nd; ++i) d.push_back(i);
  return d;
}

// [1, C, 1, ...]: a per-channel vector shaped to broadcast against an nd-dim input.
Shape channel_shape(int64_t C, int64_t nd) {
  Shape s(static_cast<size_t>(nd), 1);
  s[1] = C;
  return s;
}

// Standardizes x over dims (biased variance): returns (xhat, rstd), rstd keepdim.
std::pair<Tensor, Tensor> standardize(const Tensor& x, const std::vector<int64_t>& dims, double eps) {
  Tensor xm = x - mean(x, dims, true);
  Tensor rstd = pow(add(mean(xm * xm, dims, true), Scalar(eps)), Scalar(-0.5));
  return {xm * rstd, rstd};
}

// A contiguous tensor seen as [A, B, S] (kernel operand layout).
Tensor as3(const Tensor& t, int64_t A, int64_t B, int64_t S) {
  return Tensor::view_of(t, {A, B, S}, {B * S, S, 1}, t.impl()->offset());
}

// The fused forward: out[n, c, :] = x[n, c, :] * scale[n, c] + shift[n, c], with
// scale = rstd * weight and shift = bias - mean * scale (per-channel or per-(n, c) vectors
// that broadcast to [N, C]); one pass over x.
Tensor normalize_planes(const Tensor& xc, const Tensor& mean_nc, const Tensor& rstd_nc, const Tensor& weight,
                        const Tensor& bias) {
  const int64_t N = xc.size(0), C = xc.size(1), S = N * C == 0 ? 0 : xc.numel() / (N * C);
  Tensor out = Tensor::empty(xc.sizes(), xc.dtype(), xc.device());
  if (out.numel() == 0) return out;
  const DType dt = xc.dtype();
  Tensor scale = weight.defined() ? rstd_nc * cast_raw(weight, dt) : rstd_nc;
  Tensor shift = neg(mean_nc * scale);
  if (bias.defined()) shift = shift + cast_raw(bias, dt);
  Tensor sc = contiguous_raw(cast_raw(expand(scale, {N, C}), dt)), sh = contiguous_raw(cast_raw(expand(shift, {N, C}), dt));
  const Shape planes{N * C, S};
  backend_of(xc).plane_affine(Tensor::view_of(out, planes, {S, 1}, 0), Tensor::view_of(xc, planes, {S, 1}, xc.impl()->offset()),
                              sc, sh);
  return out;
}

// d input of xhat = standardize(x) given the gradient gh of xhat, reduced over dims.
Tensor standardize_backward(const Tensor& gh, const Tensor& xhat, const Tensor& rstd, const std::vector<int64_t>& dims) {
  return rstd * (gh - mean(gh, dims, true) - xhat * mean(gh * xhat, dims, true));
}

// ---------------------------------------------------------------- batch_norm
// Saved: x, [weight], [running_mean, running_var when eval], then the mean and rstd the
// forward used ([C], x's dtype). flag: weight; flag2: training.
//
// A plain backward (no graph being built) runs the fused two-pass kernel on the saved
// statistics. With createGraph the formula is written in tensor ops that recompute the
// statistics from x, so it can be differentiated again.
TensorList batch_norm_backward(OpNode& n, const TensorList& g) {
  Tensor x = n.saved(0);
  size_t i = 1;
  Tensor w = n.flag ? n.saved(i++) : Tensor();
  Tensor rm, rv;
  if (!n.flag2) rm = n.saved(i++), rv = n.saved(i++);
  const int64_t nd = x.dim(), C = x.size(1);
  if (!GradMode::is_enabled()) {
    Tensor mu = n.saved(i++), rstd = n.saved(i++);
    const int64_t N = x.size(0), S = N * C == 0 ? 0 : x.numel() / (N * C);
    Tensor xc = contiguous_raw(x), gc = contiguous_raw(g[0]);
    Tensor gx = n.needs_input_grad(0) ? Tensor::empty(x.sizes(), x.dtype(), x.device()) : Tensor();
    Tensor gw = n.needs_input_grad(1) ? Tensor::empty({C}, x.dtype(), x.device()) : Tensor();
    Tensor gb = n.needs_input_grad(2) ? Tensor::empty({C}, x.dtype(), x.device()) : Tensor();
    if (x.numel() > 0) {
      backend_of(x).batch_norm_backward(gx.defined() ? as3(gx, N, C, S) : gx, gw, gb, as3(gc, N, C, S), as3(xc, N, C, S), mu,
                                        rstd, w.defined() ? contiguous_raw(cast_raw(w, x.dtype())) : w, n.flag2);
    } else {
      if (gw.defined()) backend_of(x).fill(gw, Scalar::integer(0));
      if (gb.defined()) backend_of(x).fill(gb, Scalar::integer(0));
    }
    return {gx, gw, gb};
  }
  const std::vector<int64_t> dims = non_channel_dims(nd);
  Tensor xhat, rstd;
  if (n.flag2) {
    std::tie(xhat, rstd) = standardize(x, dims, n.scalar);
  } else {
    rstd = view(pow(add(rv, Scalar(n.scalar)), Scalar(-0.5)), channel_shape(C, nd));
    xhat = (x - view(rm, channel_shape(C, nd))) * rstd;
  }
  Tensor gx, gw, gb;
  if (n.needs_input_grad(0)) {
    Tensor gh = w.defined() ? g[0] * view(w, channel_shape(C, nd)) : g[0];
    gx = n.flag2 ? standardize_backward(gh, xhat, rstd, dims) : gh * rstd;
  }
  if (n.needs_input_grad(1)) gw = sum(g[0] * xhat, dims, false);
  if (n.needs_input_grad(2)) gb = sum(g[0], dims, false);
  return {gx, gw, gb};
}

void check_channel_vector(const Tensor& t, const char* name, int64_t C) {
  if (!t.defined()) return;
  TG_CHECK(t.numel() == C, name, " should contain ", C, " elements not ", t.numel());
}

}  // namespace

Tensor batch_norm(const Tensor& x, const Tensor& running_mean, const Tensor& running_var, const Tensor& weight,
                  const Tensor& bias, bool training, double momentum, double eps) {
  check_defined("batch_norm", x);
  TG_CHECK_SHAPE(x.dim() >= 2, "batch_norm: expected 2D or more input (got ", x.dim(), "D input)");
  check_floating("batch_norm", x);
  const int64_t C = x.size(1);
  check_channel_vector(running_mean, "running_mean", C);
  check_channel_vector(running_var, "running_var", C);
  check_channel_vector(weight, "weight", C);
  check_channel_vector(bias, "bias", C);
  if (training) {
    const int64_t per_channel = C == 0 ? 0 : x.numel() / C;
    TG_CHECK_VALUE(per_channel != 1, "Expected more than 1 value per channel when training, got input size ",
                   shape_str(x.sizes()));
  } else {
    TG_CHECK(running_mean.defined() && running_var.defined(),
             "running_mean and running_var must be defined in evaluation mode");
  }
  TG_CHECK(!(running_mean.defined() && running_mean.requires_grad()) && !(running_var.defined() && running_var.requires_grad()),
           "batch_norm: running_mean and running_var must not require grad");
  Tensor out, mean_used, rstd;
  {
    AutoGradMode off(false);
    const DType dt = x.dtype();
    Tensor xc = contiguous_raw(x);
    const int64_t N = x.size(0), S = N * C == 0 ? 0 : x.numel() / (N * C);
    Tensor mu, var;
    if (training) {
      mu = Tensor::empty({C}, dt, x.device());
      var = Tensor::empty({C}, dt, x.device());
      if (x.numel() > 0) backend_of(x).norm_moments(mu, var, as3(xc, N, C, S), true);
    } else {
      mu = view(cast_raw(running_mean, dt), {C});
      var = view(cast_raw(running_var, dt), {C});
    }
    rstd = pow(add(var, Scalar(eps)), Scalar(-0.5));
    mean_used = contiguous_raw(mu);
    out = normalize_planes(xc, mu, rstd, weight, bias);
    if (training) {
      // Running statistics: the unbiased variance, blended with momentum; never recorded.
      const double n = static_cast<double>(N * S);
      if (running_mean.defined()) {
        Tensor rm = running_mean;
        copy_(rm, mul(view(running_mean, {C}), Scalar(1 - momentum)) + mul(mu, Scalar(momentum)));
      }
      if (running_var.defined()) {
        Tensor rv = running_var;
        copy_(rv, mul(view(running_var, {C}), Scalar(1 - momentum)) + mul(var, Scalar(momentum * n / (n - 1))));
      }
    }
  }
  if (auto n = record("NativeBatchNormBackward0", batch_norm_backward, {&x, &weight, &bias}, {&out})) {
    n->save({x});
    if (weight.defined()) n->save({weight});
    if (!training) n->save({running_mean, running_var});
    n->save({mean_used, contiguous_raw(rstd)});
    n->flag = weight.defined();
    n->flag2 = training;
    n->scalar = eps;
  }
  return out;
}

// ---------------------------------------------------------------- group_norm
namespace {
// Saved: x, [weight]. ints: {num_groups}. flag: weight.
TensorList group_norm_backward(OpNode& n, const TensorList& g) {
  Tensor x = n.saved(0);
  Tensor w = n.flag ? n.saved(1) : Tensor();
  const int64_t N = x.size(0), C = x.size(1), G = n.ints[0], nd = x.dim();
  const Shape grouped{N, G, G == 0 || N == 0 ? 0 : x.numel() / (N * G)};
  auto [xhat_g, rstd] = standardize(reshape(x, grouped), {2}, n.scalar);
  Tensor gx, gw, gb;
  if (n.needs_input_grad(0)) {
    Tensor gh = w.defined() ? g[0] * view(w, channel_shape(C, nd)) : g[0];
    gx = reshape(standardize_backward(reshape(gh, grouped), xhat_g, rstd, {2}), x.sizes());
  }
  const std::vector<int64_t> dims = non_channel_dims(nd);
  if (n.needs_input_grad(1)) gw = sum(g[0] * reshape(xhat_g, x.sizes()), dims, false);
  if (n.needs_input_grad(2)) gb = sum(g[0], dims, false);
  return {gx, gw, gb};
}

void check_group_vector(const Tensor& t, const char* name, const Tensor& x) {
  if (!t.defined()) return;
  TG_CHECK(t.dim() == 1 && t.numel() == x.size(1), "Expected ", name,
           " to be a vector of size equal to the number of channels in input, but got ", name, " of shape ",
           shape_str(t.sizes()), " and input of shape ", shape_str(x.sizes()));
}
}  // namespace

Tensor group_norm(const Tensor& x, int64_t num_groups, const Tensor& weight, const Tensor& bias, double eps) {
  check_defined("group_norm", x);
  TG_CHECK_SHAPE(x.dim() >= 2, "Expected at least 2 dimensions for input tensor but received ", x.dim());
  check_floating("group_norm", x);
  const int64_t N = x.size(0), C = x.size(1);
  TG_CHECK_VALUE(num_groups > 0, "group_norm: num_groups must be positive, but got num_groups=", num_groups);
  TG_CHECK(C % num_groups == 0, "Expected number of channels in input to be divisible by num_groups, but got input of "
           "shape ", shape_str(x.sizes()), " and num_groups=", num_groups);
  check_group_vector(weight, "weight", x);
  check_group_vector(bias, "bias", x);
  Tensor out;
  {
    AutoGradMode off(false);
    const int64_t G = num_groups, M = N == 0 ? 0 : x.numel() / (N * G);
    Tensor xc = contiguous_raw(x);
    Tensor mu = Tensor::empty({N, G}, x.dtype(), x.device()), var = Tensor::empty({N, G}, x.dtype(), x.device());
    if (x.numel() > 0) backend_of(x).norm_moments(mu, var, as3(xc, N, G, M), false);
    // group statistics repeated for the C / G channels of each group: [N, C]
    auto per_channel = [&](const Tensor& t) { return reshape(expand(view(t, {N, G, 1}), {N, G, C / G}), {N, C}); };
    out = normalize_planes(xc, per_channel(mu), per_channel(pow(add(var, Scalar(eps)), Scalar(-0.5))), weight, bias);
  }
  if (auto n = record("NativeGroupNormBackward0", group_norm_backward, {&x, &weight, &bias}, {&out})) {
    n->save({x});
    if (weight.defined()) n->save({weight});
    n->flag = weight.defined();
    n->ints = {num_groups};
    n->scalar = eps;
  }
  return out;
}

// ---------------------------------------------------------------- instance_norm
Tensor instance_norm(const Tensor& x, const Tensor& running_mean, const Tensor& running_var, const Tensor& weight,
                     const Tensor& bias, bool use_input_stats, double momentum, double eps) {
  check_defined("instance_norm", x);
  TG_CHECK_SHAPE(x.dim() >= 2, "instance_norm: expected 2D or more input (got ", x.dim(), "D input)");
  const int64_t N = x.size(0), C = x.size(1);
  if (use_input_stats) {
    int64_t spatial = 1;
    for (int64_t d = 2; d < x.dim(); ++d) spatial *= x.size(d);
    TG_CHECK_VALUE(spatial != 1, "Expected more than 1 spatial element when training, got input size ", shape_str(x.sizes()));
  } else {
    TG_CHECK(running_mean.defined() && running_var.defined(),
             "Expected running_mean and running_var to be defined when use_input_stats is false");
  }
  check_channel_vector(running_mean, "running_mean", C);
  check_channel_vector(running_var, "running_var", C);
  check_channel_vector(weight, "weight", C);
  check_channel_vector(bias, "bias", C);
  auto per_instance = [&](const Tensor& t) { return t.defined() ? repeat(view(t, {C}), {N}) : Tensor(); };
  Tensor rm, rv;
  {
    AutoGradMode off(false);
    rm = per_instance(running_mean);
    rv = per_instance(running_var);
  }
  Shape folded = x.sizes();
  folded[0] = 1;
  folded[1] = N * C;
  Tensor out = batch_norm(reshape(x, folded), rm, rv, per_instance(weight), per_instance(bias), use_input_stats, momentum, eps);
  if (use_input_stats) {
    AutoGradMode off(false);
    if (running_mean.defined()) {
      Tensor r = running_mean;
      copy_(r, mean(view(rm, {N, C}), {0}, false));
    }
    if (running_var.defined()) {
      Tensor r = running_var;
      copy_(r, mean(view(rv, {N, C}), {0}, false));
    }
  }
  return view(out, x.sizes());
}

// ---------------------------------------------------------------- layer_norm
namespace {
std::vector<int64_t> last_dims(int64_t ndim, int64_t k) {
  std::vector<int64_t> d;
  for (int64_t i = ndim - k; i < ndim; ++i) d.push_back(i);
  return d;
}

// Saved: x, [weight], then, when the forward ran the row kernels, the mean and rstd of each
// row ([R], x's dtype). flag: weight; flag2: statistics saved. ints: {number of normalized dims}.
// As for batch norm, a plain backward runs the fused kernel on the saved statistics, and
// with createGraph the formula recomputes them in tensor ops.
TensorList layer_norm_backward(OpNode& n, const TensorList& g) {
  Tensor x = n.saved(0);
  Tensor w = n.flag ? n.saved(1) : Tensor();
  const std::vector<int64_t> dims = last_dims(x.dim(), n.ints[0]);
  if (!GradMode::is_enabled() && n.flag2) {
    Tensor mu = n.saved(n.flag ? 2 : 1), rstd = n.saved(n.flag ? 3 : 2);
    const int64_t R = mu.numel(), S = x.numel() / R;
    const Shape rows{R, S}, row_strides{S, 1};
    auto as_rows = [&](const Tensor& t) { return Tensor::view_of(t, rows, row_strides, t.impl()->offset()); };
    const Shape normalized(x.sizes().end() - n.ints[0], x.sizes().end());
    Tensor gx = n.needs_input_grad(0) ? Tensor::empty(x.sizes(), x.dtype(), x.device()) : Tensor();
    Tensor gw = n.needs_input_grad(1) ? Tensor::empty(normalized, x.dtype(), x.device()) : Tensor();
    Tensor gb = n.needs_input_grad(2) ? Tensor::empty(normalized, x.dtype(), x.device()) : Tensor();
    backend_of(x).layer_norm_backward(gx.defined() ? as_rows(gx) : gx, gw, gb, as_rows(contiguous_raw(cast_raw(g[0], x.dtype()))),
                                      as_rows(contiguous_raw(x)), mu, rstd, w.defined() ? contiguous_raw(w) : w);
    return {gx, gw, gb};
  }
  auto [xhat, rstd] = standardize(x, dims, n.scalar);
  Tensor gx, gw, gb;
  if (n.needs_input_grad(0)) gx = standardize_backward(w.defined() ? g[0] * w : g[0], xhat, rstd, dims);
  if (n.needs_input_grad(1)) gw = g[0] * xhat;  // the engine sums it down to weight's shape
  if (n.needs_input_grad(2)) gb = g[0];
  return {gx, gw, gb};
}
}  // namespace

Tensor layer_norm(const Tensor& x, const Shape& normalized_shape, const Tensor& weight, const Tensor& bias, double eps) {
  check_defined("layer_norm", x);
  const int64_t k = static_cast<int64_t>(normalized_shape.size());
  TG_CHECK_SHAPE(k >= 1, "Expected normalized_shape to be at least 1-dimensional, i.e., containing at least one element, "
                         "but got normalized_shape = ", shape_str(normalized_shape));
  if (weight.defined())
    TG_CHECK_SHAPE(weight.sizes() == normalized_shape, "Expected weight to be of same shape as normalized_shape, but got "
                   "weight of shape ", shape_str(weight.sizes()), " and normalized_shape = ", shape_str(normalized_shape));
  if (bias.defined())
    TG_CHECK_SHAPE(bias.sizes() == normalized_shape, "Expected bias to be of same shape as normalized_shape, but got "
                   "bias of shape ", shape_str(bias.sizes()), " and normalized_shape = ", shape_str(normalized_shape));
  bool ok = x.dim() >= k;
  for (int64_t i = 0; ok && i < k; ++i) ok = x.size(x.dim() - k + i) == normalized_shape[i];
  TG_CHECK_SHAPE(ok, "Given normalized_shape=", shape_str(normalized_shape), ", expected input with shape [*, ",
                 shape_str(normalized_shape).substr(1), ", but got input of size", shape_str(x.sizes()));
  check_floating("LayerNormKernelImpl", x);
  for (const Tensor* p : {&weight, &bias})
    TG_CHECK(!p->defined() || p->dtype() == x.dtype(), "mixed dtype (CPU): expect parameter to have scalar type of ",
             dtype_legacy_name(x.dtype()));
  const bool rows_kernel = x.numel() > 0;  // an empty input goes through tensor ops
  Tensor out, mu, rstd;
  {
    AutoGradMode off(false);
    if (rows_kernel) {
      const int64_t S = numel_of(normalized_shape), R = x.numel() / S;
      Tensor xc = contiguous_raw(x);
      Tensor var = Tensor::empty({R}, x.dtype(), x.device());
      mu = Tensor::empty({R}, x.dtype(), x.device());
      backend_of(x).norm_moments(mu, var, as3(xc, R, 1, S), false);
      rstd = pow(add(var, Scalar(eps)), Scalar(-0.5));
      out = Tensor::empty(x.sizes(), x.dtype(), x.device());
      const Shape rows{R, S}, row_strides{S, 1};
      backend_of(x).layer_norm_rows(Tensor::view_of(out, rows, row_strides, 0),
                                    Tensor::view_of(xc, rows, row_strides, xc.impl()->offset()), mu, rstd,
                                    weight.defined() ? contiguous_raw(weight) : weight,
                                    bias.defined() ? contiguous_raw(bias) : bias);
    } else {
      out = standardize(x, last_dims(x.dim(), k), eps).first;
      if (weight.defined()) out = out * weight;
      if (bias.defined()) out = out + bias;
    }
  }
  if (auto n = record("NativeLayerNormBackward0", layer_norm_backward, {&x, &weight, &bias}, {&out})) {
    n->save({x});
    if (weight.defined()) n->save({weight});
    if (rows_kernel) n->save({mu, rstd});
    n->flag = weight.defined();
    n->flag2 = rows_kernel;
    n->ints = {k};
    n->scalar = eps;
  }
  return out;
}

}  // namespace nn
}  // namespace tg

#include "ops/optim.h"

#include "core/shape.h"
#include "ops/helpers.h"

namespace tg {
namespace optim {
namespace {

const char* kind_name(OptimKind k) {
  switch (k) {
    case OptimKind::SGD: return "SGD";
    case OptimKind::Adam: return "Adam";
    case OptimKind::RMSprop: return "RMSprop";
    case OptimKind::Adagrad: return "Adagrad";
  }
  return "optimizer";
}

// Which of the three buffer slots a kind must be given, from its options.
bool buffer_needed(const OptimParams& h, int slot) {
  switch (h.kind) {
    case OptimKind::SGD: return slot == 0 && h.momentum != 0;
    case OptimKind::Adam: return slot < 2 || (slot == 2 && h.amsgrad);
    case OptimKind::RMSprop: return slot == 0 || (slot == 1 && h.momentum > 0) || (slot == 2 && h.centered);
    case OptimKind::Adagrad: return slot == 0;
  }
  return false;
}

void check_operand(const char* op, size_t i, const char* what, const Tensor& t, const Tensor& param) {
  if (t.dtype() != param.dtype())
    throw Error(ErrorKind::DType, str(op, ".step(): ", what, " of parameter ", i, " has dtype ", dtype_name(t.dtype()),
                                      " but the parameter is ", dtype_name(param.dtype())));
  if (t.sizes() != param.sizes())
    throw Error(ErrorKind::Shape, str(op, ".step(): ", what, " of parameter ", i, " has shape ", shape_str(t.sizes()),
                                      " but the parameter has shape ", shape_str(param.sizes())));
  check_same_device(op, t, param);
}

}  // namespace

void step(const OptimParams& hyper, const TensorList& params, const TensorList& grads, const TensorList& bufs,
          const std::vector<int64_t>& steps) {
  const char* op = kind_name(hyper.kind);
  const size_t n = params.size();
  if (grads.size() != n || bufs.size() != 3 * n || steps.size() != n)
    throw Error(ErrorKind::Value, str(op, ".step(): expected one grad, three buffer slots and one step per parameter"));
  // Validate everything before writing anything, so a bad group leaves no parameter half-updated.
  for (size_t i = 0; i < n; ++i) {
    const Tensor& p = params[i];
    check_defined(op, p);
    if (!is_floating(p.dtype()))
      throw Error(ErrorKind::DType, str(op, ".step(): parameter ", i, " must be floating point, got ", dtype_name(p.dtype())));
    if (!grads[i].defined()) throw Error(ErrorKind::Value, str(op, ".step(): parameter ", i, " has no grad"));
    check_operand(op, i, "grad", grads[i], p);
    for (int s = 0; s < 3; ++s) {
      const Tensor& b = bufs[3 * i + s];
      if (buffer_needed(hyper, s) && !b.defined())
        throw Error(ErrorKind::Value, str(op, ".step(): state buffer ", s, " of parameter ", i, " is missing"));
      if (b.defined()) {
        check_operand(op, i, "a state buffer", b, p);
        if (b.shares_storage(p)) throw Error(ErrorKind::Value, str(op, ".step(): a state buffer of parameter ", i, " aliases it"));
      }
    }
    if (steps[i] < 1) throw Error(ErrorKind::Value, str(op, ".step(): step counts start at 1, got ", steps[i]));
  }
  for (size_t i = 0; i < n; ++i) {
    const Tensor& p = params[i];
    OptimParams h = hyper;
    h.step = steps[i];
    // Kernels take contiguous operands: strided ones are updated through a contiguous copy
    // that is written back (the tensors the user holds keep their layout).
    Tensor pc = contiguous_raw(p);
    Tensor gc = contiguous_raw(grads[i]);
    Backend& be = backend_of(p);
    if (gc.shares_storage(p)) {
      // p.grad = p (or a view of it): the kernel reads the grad while writing the param.
      Tensor copy = empty(gc.sizes(), gc.dtype(), gc.device());
      be.copy(copy, gc);
      gc = copy;
    }
    Tensor bc[3];
    for (int s = 0; s < 3; ++s) {
      const Tensor& b = bufs[3 * i + s];
      if (buffer_needed(hyper, s) && b.defined()) bc[s] = contiguous_raw(b);
    }
    be.optim_step(h, pc, gc, bc[0], bc[1], bc[2]);
    if (!pc.same(p)) be.copy(p, pc);
    p.impl()->bump_version();
    for (int s = 0; s < 3; ++s) {
      const Tensor& b = bufs[3 * i + s];
      if (!bc[s].defined()) continue;
      if (!bc[s].same(b)) be.copy(b, bc[s]);
      b.impl()->bump_version();
    }
  }
}

}  // namespace optim
}  // namespace tg

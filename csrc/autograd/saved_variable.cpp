#include "autograd/saved_variable.h"

#include "autograd/anomaly.h"
#include "autograd/autograd_meta.h"

namespace tg {

void throw_freed_graph_error() {
  fail(ErrorKind::Runtime,
       "Trying to backward through the graph a second time (or directly access saved tensors after they have already "
       "been freed). Saved intermediate values of the graph are freed when you call .backward() or autograd.grad(). "
       "Specify retainGraph: true if you need to backward through the graph a second time or if you need to access "
       "saved tensors after calling backward.");
}

SavedVariable::SavedVariable(const Tensor& t, bool is_output) {
  if (!t.defined()) return;
  TG_CHECK(!t.impl()->is_inference(),
           "Inference tensors cannot be saved for backward. Please do not use Tensors created in inference mode in "
           "computation tracked by autograd. To work around this, you can make a clone to get a normal tensor and use "
           "it in autograd, or use `noGrad()` instead of `inferenceMode()`.");
  was_defined_ = true;
  shape_ = t.sizes();
  is_output_ = is_output;
  saved_version_ = t.impl()->version();
  requires_grad_ = t.requires_grad();
  is_leaf_ = is_leaf(t);
  if (is_output) {
    auto* m = get_meta(t);
    output_nr_ = m ? m->output_nr : 0;
    data_ = Tensor::view_of(t, t.sizes(), t.strides(), t.impl()->offset());
  } else {
    data_ = t;
  }
}

void SavedVariable::reset_data() {
  if (!was_defined_) return;
  data_ = Tensor();
  released_ = true;
}

static std::string strip_backward_suffix(const std::string& name) {
  auto pos = name.rfind("Backward");
  if (pos == std::string::npos || pos == 0) return name;
  for (size_t i = pos + 8; i < name.size(); ++i)
    if (name[i] < '0' || name[i] > '9') return name;
  return name.substr(0, pos);
}

Tensor SavedVariable::unpack(const std::shared_ptr<Node>& saved_for) const {
  if (!was_defined_) return Tensor();
  if (released_) throw_freed_graph_error();
  uint32_t current = data_.impl()->version();
  if (current != saved_version_) {
    std::string which;
    // The tensor's current node as recorded (no view refresh: this is an error path).
    auto* dm = get_meta(data_);
    std::shared_ptr<Node> fn = is_output_ ? saved_for : dm ? dm->grad_fn : nullptr;
    uint32_t nr = output_nr_;
    if (!is_output_ && get_meta(data_)) nr = get_meta(data_)->output_nr;
    if (fn) which = str(", which is output ", nr, " of ", strip_backward_suffix(fn->name()), ",");
    std::string hint = AnomalyMode::is_enabled()
                           ? "Hint: the backtrace further above shows the operation that failed to compute its "
                             "gradient. The variable in question was changed in there or anywhere later. Good luck!"
                           : "Hint: enable anomaly detection to find the operation that failed to compute its "
                             "gradient, with setDetectAnomaly(true).";
    fail(ErrorKind::Runtime,
         "one of the variables needed for gradient computation has been modified by an inplace operation: [",
         dtype_name(data_.dtype()), " ", shape_str(data_.sizes()), "]", which, " is at version ", current,
         "; expected version ", saved_version_, " instead. ", hint);
  }
  if (!is_output_ || !requires_grad_) return data_;
  // Rebuild an alias connected to the node that produced it.
  Tensor out = Tensor::view_of(data_, data_.sizes(), data_.strides(), data_.impl()->offset());
  auto& m = ensure_meta(out);
  m.grad_fn = saved_for;
  m.output_nr = output_nr_;
  return out;
}

}  // namespace tg

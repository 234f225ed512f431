#include "autograd/function.h"

#include "autograd/anomaly.h"
#include "autograd/autograd_meta.h"
#include "autograd/grad_mode.h"
#include "core/pooled.h"
#include "ops/ops.h"

namespace tg {

bool any_requires_grad(std::initializer_list<const Tensor*> inputs) {
  for (const Tensor* t : inputs)
    if (t && t->defined() && t->requires_grad()) return true;
  return false;
}

namespace {

template <typename Inputs, typename Outputs>
std::shared_ptr<OpNode> record_impl(const char* name, OpNode::Formula formula, const Inputs& inputs,
                                    const Outputs& outputs) {
  auto node = std::allocate_shared<OpNode>(PoolAllocator<OpNode>(), name, formula);
  node->reserve(inputs.size(), outputs.size());
  for (const Tensor* t : inputs) node->add_next_edge(t && t->defined() ? gradient_edge(*t) : Edge());
  for (const Tensor* out : outputs) {
    // Integer and bool outputs never require grad (A8).
    if (is_floating(out->dtype())) set_history(*out, node);
  }
  // Note [Anomaly traces]: the only cost while the mode is off is this flag check.
  if (AnomalyMode::is_enabled()) node->forward_trace = AnomalyMode::capture_trace();
  return node;
}

}  // namespace

std::shared_ptr<OpNode> record(const char* name, OpNode::Formula formula, std::initializer_list<const Tensor*> inputs,
                               std::initializer_list<const Tensor*> outputs) {
  if (!GradMode::is_enabled() || !any_requires_grad(inputs)) return nullptr;
  return record_impl(name, formula, inputs, outputs);
}

std::shared_ptr<OpNode> record(const char* name, OpNode::Formula formula, const std::vector<const Tensor*>& inputs,
                               const std::vector<const Tensor*>& outputs) {
  if (!GradMode::is_enabled()) return nullptr;
  bool any = false;
  for (const Tensor* t : inputs) any = any || (t && t->defined() && t->requires_grad());
  if (!any) return nullptr;
  return record_impl(name, formula, inputs, outputs);
}

TensorList DelayedError::apply(TensorList&&) { fail(ErrorKind::Runtime, message_); }

void fail_if_differentiated_again(TensorList& grads, const std::string& message, const std::vector<Edge>& reach) {
  auto err = std::make_shared<DelayedError>(message);
  for (const Edge& e : reach) err->add_next_edge(e);
  for (auto& g : grads) {
    if (!g.defined()) continue;
    Tensor alias = detach(g);
    if (reach.empty()) err->add_next_edge(Edge());
    set_history(alias, err);
    g = alias;
  }
}

void OpNode::save(std::initializer_list<Tensor> inputs) {
  for (const Tensor& t : inputs) saved_.emplace_back(t, false);
}
void OpNode::save_output(const Tensor& out) { saved_.emplace_back(out, true); }

Tensor OpNode::saved(size_t i) { return saved_.at(i).unpack(shared_from_this()); }

std::vector<Shape> OpNode::saved_shapes() const {
  std::vector<Shape> out;
  for (const auto& s : saved_)
    if (s.defined()) out.push_back(s.shape());
  return out;
}

void OpNode::release_variables() {
  for (auto& s : saved_) s.reset_data();
}

TensorList OpNode::apply(TensorList&& grads) {
  bool any = false;
  for (const auto& g : grads) any = any || g.defined();
  if (!any) return TensorList(num_outputs());
  // Materialize missing gradients of multi-output nodes as zeros.
  for (size_t i = 0; i < grads.size(); ++i) {
    if (!grads[i].defined()) {
      const auto& md = input_metadata(i);
      grads[i] = zeros(md.shape, md.dtype, md.device);
    }
  }
  return formula_(*this, grads);
}

}  // namespace tg

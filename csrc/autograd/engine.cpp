#include "autograd/engine.h"

#include <queue>
#include <unordered_map>
#include <unordered_set>
#include "autograd/accumulate_grad.h"
#include "autograd/anomaly.h"
#include "autograd/autograd_meta.h"
#include "autograd/grad_mode.h"
#include "ops/ops.h"

namespace tg {
namespace {

// The virtual node whose outputs seed the roots.
class GraphRoot final : public Node {
 public:
  GraphRoot(const std::vector<Edge>& roots, TensorList grads) : Node(std::numeric_limits<uint64_t>::max()), grads_(std::move(grads)) {
    for (const auto& e : roots) add_next_edge(e);
  }
  std::string name() const override { return "GraphRoot"; }
  TensorList apply(TensorList&&) override { return grads_; }

 private:
  TensorList grads_;
};

// B11: shape compatible (summed down), dtype cast, device equal.
void validate_outputs(const Node& fn, TensorList& grads) {
  const auto& edges = fn.next_edges();
  if (grads.size() != edges.size()) {
    fail(ErrorKind::Runtime, "function ", fn.name(), " returned an incorrect number of gradients (expected ",
         edges.size(), ", got ", grads.size(), ")");
  }
  for (size_t i = 0; i < grads.size(); ++i) {
    const Edge& e = edges[i];
    if (!e.is_valid() || !grads[i].defined()) continue;
    const InputMetadata& md = e.function->input_metadata(e.input_nr);
    Tensor& g = grads[i];
    if (g.sizes() != md.shape) {
      if (!is_expandable_to(md.shape, g.sizes())) {
        fail(ErrorKind::Runtime, "Function ", fn.name(), " returned an invalid gradient at index ", i, " - got ",
             shape_str(g.sizes()), " but expected shape compatible with ", shape_str(md.shape));
      }
      g = sum_to(g, md.shape);
    }
    if (g.device() != md.device) {
      fail(ErrorKind::Runtime, "Function ", fn.name(), " returned an invalid gradient at index ", i,
           " - expected device ", md.device.str(), " but got ", g.device().str());
    }
    if (g.dtype() != md.dtype) g = to_dtype(g, md.dtype);
  }
}

void check_nan(const Node& fn, const TensorList& grads) {
  for (size_t i = 0; i < grads.size(); ++i) {
    const Tensor& g = grads[i];
    if (!g.defined() || !is_floating(g.dtype())) continue;
    AutoGradMode off(false);
    Tensor has_nan = compare(BinaryOp::Ne, g, g);
    Tensor any = sum(has_nan);
    double v = 0;
    int64_t iv = 0;
    backend_for(any.device()).to_host(&iv, any);
    v = static_cast<double>(iv);
    if (v > 0) fail(ErrorKind::Runtime, "Function '", fn.name(), "' returned nan values in its ", i, "th output.");
  }
}

struct ReadyCmp {
  bool operator()(const std::shared_ptr<Node>& a, const std::shared_ptr<Node>& b) const {
    return a->sequence_nr() < b->sequence_nr();
  }
};

// The engine run whose nodes are being applied on this thread (runs nest when hooks call
// backward), for grad_sink: its remaining dependency counts and buffered gradients.
struct RunState {
  bool fusable;
  std::unordered_map<Node*, int>* deps;
  std::unordered_map<Node*, TensorList>* buffers;
};
thread_local RunState* t_run = nullptr;

struct RunScope {
  RunState* saved;
  explicit RunScope(RunState* s) : saved(t_run) { t_run = s; }
  ~RunScope() { t_run = saved; }
};

// Whether the edge being produced is the only one still to reach n, with nothing buffered.
bool sole_pending_input(Node* n) {
  auto d = t_run->deps->find(n);
  if (d == t_run->deps->end() || d->second != 1) return false;
  auto b = t_run->buffers->find(n);
  if (b != t_run->buffers->end())
    for (const auto& g : b->second)
      if (g.defined()) return false;
  return true;
}

}  // namespace

GradSink grad_sink(const Edge& e) {
  if (!t_run || !t_run->fusable || GradMode::is_enabled() || !e.is_valid()) return {};
  Node* n = e.function.get();
  if (!sole_pending_input(n)) return {};
  // The leaf's node, or one TBackward0 before it (asked only then: name() builds a string).
  auto* acc = dynamic_cast<AccumulateGrad*>(n);
  const bool transposed = !acc;
  if (!acc) {
    if (n->next_edges().size() != 1 || !n->tensor_pre_hooks.empty() || !n->retains_grad_hooks.empty() ||
        n->name() != "TBackward0")
      return {};
    const Edge& up = n->next_edges()[0];
    if (!up.is_valid() || !sole_pending_input(up.function.get())) return {};
    acc = dynamic_cast<AccumulateGrad*>(up.function.get());
    if (!acc) return {};
  }
  Tensor grad = acc->in_place_target();
  if (!grad.defined()) return {};
  return {grad, transposed};
}

TensorList run_backward(const std::vector<Edge>& roots, const TensorList& grad_outputs, const BackwardOptions& opts) {
  AutoGradMode mode(opts.create_graph);  // B8: the caller's grad mode does not matter
  auto root = std::make_shared<GraphRoot>(roots, grad_outputs);

  // Dependency counts over everything reachable from the root.
  std::unordered_map<Node*, int> deps;
  std::vector<Node*> stack{root.get()};
  std::unordered_set<Node*> seen{root.get()};
  while (!stack.empty()) {
    Node* n = stack.back();
    stack.pop_back();
    for (const auto& e : n->next_edges()) {
      if (!e.is_valid()) continue;
      deps[e.function.get()]++;
      if (seen.insert(e.function.get()).second) stack.push_back(e.function.get());
    }
  }

  // With explicit inputs, only nodes on a path to one of them run (needed), and the
  // gradient arriving at each input edge is captured or accumulated.
  const bool filtered = !opts.inputs.empty();
  std::unordered_map<Node*, bool> needed;
  std::unordered_map<Node*, std::vector<std::pair<uint32_t, size_t>>> captures;
  if (filtered) {
    for (size_t i = 0; i < opts.inputs.size(); ++i) {
      const Edge& e = opts.inputs[i];
      if (e.is_valid()) captures[e.function.get()].push_back({e.input_nr, i});
    }
    // needed(n) = n is an input node or some child is needed: post-order over the DAG.
    std::vector<std::pair<Node*, size_t>> dfs{{root.get(), 0}};
    std::unordered_map<Node*, int> state;  // 1 = on stack, 2 = done
    state[root.get()] = 1;
    while (!dfs.empty()) {
      auto& [n, idx] = dfs.back();
      if (idx < n->next_edges().size()) {
        Node* c = n->next_edges()[idx++].function.get();
        if (c && !state[c]) { state[c] = 1; dfs.push_back({c, 0}); }
        continue;
      }
      bool need = captures.count(n) > 0;
      for (const auto& e : n->next_edges())
        if (e.is_valid() && needed[e.function.get()]) need = true;
      needed[n] = need;
      state[n] = 2;
      dfs.pop_back();
    }
  }
  TensorList captured(opts.inputs.size());

  std::unordered_map<Node*, TensorList> buffers;
  RunState state{!opts.create_graph && opts.accumulate && !filtered && !AnomalyMode::is_enabled(), &deps, &buffers};
  RunScope scope(&state);
  std::priority_queue<std::shared_ptr<Node>, std::vector<std::shared_ptr<Node>>, ReadyCmp> ready;
  ready.push(root);
  while (!ready.empty()) {
    std::shared_ptr<Node> fn = ready.top();
    ready.pop();
    TensorList inputs;
    auto it = buffers.find(fn.get());
    if (it != buffers.end()) {
      inputs = std::move(it->second);
      buffers.erase(it);
    }
    inputs.resize(fn->num_inputs());
    if (filtered && !needed[fn.get()]) continue;

    fn->call_tensor_pre_hooks(inputs);
    bool run = true;
    if (filtered) {
      auto c = captures.find(fn.get());
      if (c != captures.end()) {
        for (auto [nr, idx] : c->second) {
          if (opts.accumulate) {
            // backward(inputs=[nonleaf]) fills .grad like retain_grad (B6)
            if (!dynamic_cast<AccumulateGrad*>(fn.get()) && idx < opts.inputs.size()) {
              captured[idx] = inputs[nr];
            }
          } else {
            captured[idx] = inputs[nr];
          }
        }
        // A captured node runs only if it leads further to another input (grad()), or it
        // is a leaf accumulator named in backward(inputs=).
        bool further = false;
        for (const auto& e : fn->next_edges())
          if (e.is_valid() && needed[e.function.get()]) further = true;
        bool is_acc = dynamic_cast<AccumulateGrad*>(fn.get()) != nullptr;
        run = further || (opts.accumulate && is_acc);
      }
    }
    if (!run) continue;

    TensorList outputs;
    try {
      outputs = fn->apply(std::move(inputs));
      validate_outputs(*fn, outputs);
      if (AnomalyMode::is_enabled() && AnomalyMode::should_check_nan()) check_nan(*fn, outputs);
    } catch (...) {
      if (AnomalyMode::is_enabled()) AnomalyMode::report(*fn);  // Note [Anomaly traces]
      throw;
    }
    if (!opts.keep_graph) fn->release_variables();

    const auto& edges = fn->next_edges();
    for (size_t i = 0; i < edges.size(); ++i) {
      const Edge& e = edges[i];
      if (!e.is_valid()) continue;
      Node* next = e.function.get();
      TensorList& buf = buffers[next];
      if (buf.size() < next->num_inputs()) buf.resize(next->num_inputs());
      if (i < outputs.size() && outputs[i].defined()) {
        Tensor& slot = buf[e.input_nr];
        slot = slot.defined() ? add(slot, outputs[i]) : std::move(outputs[i]);
      }
      if (--deps[next] == 0) ready.push(e.function);
    }
  }
  return captured;
}

static Tensor ones_like_root(const Tensor& t, size_t) {
  TG_CHECK(t.numel() == 1, "grad can be implicitly created only for scalar outputs");
  return ones_like(t);
}

static void check_grad_output(const Tensor& out, const Tensor& g, size_t i) {
  if (g.sizes() != out.sizes()) {
    fail(ErrorKind::Runtime, "Mismatch in shape: grad_output[", i, "] has a shape of ", shape_str(g.sizes()),
         " and output[", i, "] has a shape of ", shape_str(out.sizes()), ".");
  }
}

static void collect_roots(const TensorList& tensors, const TensorList& grad_tensors, std::vector<Edge>* roots,
                          TensorList* grads) {
  TG_CHECK_VALUE(grad_tensors.empty() || grad_tensors.size() == tensors.size(), "got ", grad_tensors.size(),
                 " tensors and ", tensors.size(), " gradients");
  for (size_t i = 0; i < tensors.size(); ++i) {
    const Tensor& t = tensors[i];
    TG_CHECK(t.requires_grad(), "element ", i, " of tensors does not require grad and does not have a grad_fn");
    Tensor g = i < grad_tensors.size() ? grad_tensors[i] : Tensor();
    if (g.defined()) {
      check_grad_output(t, g, i);
      if (g.dtype() != t.dtype()) g = to_dtype(g, t.dtype());
    } else {
      g = ones_like_root(t, i);
    }
    roots->push_back(gradient_edge(t));
    grads->push_back(g);
  }
}

// Shared by backward() and grad(): roots with their seed gradients, then the engine run.
static TensorList run_from_api(const TensorList& outputs, const TensorList& grad_outputs, const TensorList& inputs,
                               bool keep_graph, bool create_graph, bool accumulate) {
  std::vector<Edge> roots;
  TensorList grads;
  collect_roots(outputs, grad_outputs, &roots, &grads);
  BackwardOptions opts;
  opts.keep_graph = keep_graph;
  opts.create_graph = create_graph;
  opts.accumulate = accumulate;
  for (size_t i = 0; i < inputs.size(); ++i) {
    TG_CHECK(inputs[i].requires_grad(), "One of the differentiated Tensors does not require grad");
    opts.inputs.push_back(gradient_edge(inputs[i]));
  }
  return run_backward(roots, grads, opts);
}

void backward(const TensorList& tensors, const TensorList& grad_tensors, bool keep_graph, bool create_graph,
              const TensorList& inputs) {
  TensorList captured = run_from_api(tensors, grad_tensors, inputs, keep_graph, create_graph, true);
  // Non-leaf tensors named in inputs= receive .grad like retain_grad (B6).
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (is_leaf(inputs[i]) || !captured[i].defined()) continue;
    auto& m = ensure_meta(inputs[i]);
    Tensor g = captured[i];
    if (!m.grad.defined()) m.grad = create_graph ? g : clone(g);
    else m.grad = add(m.grad, g);
  }
}

TensorList grad(const TensorList& outputs, const TensorList& inputs, const TensorList& grad_outputs, bool keep_graph,
                bool create_graph, bool allow_unused) {
  TensorList result = run_from_api(outputs, grad_outputs, inputs, keep_graph, create_graph, false);
  for (size_t i = 0; i < result.size(); ++i) {
    TG_CHECK(result[i].defined() || allow_unused, "The differentiated Tensor at index ", i,
             " appears to not have been used in the graph. Set allowUnused: true if this is the desired behavior.");
    if (result[i].defined() && !create_graph) result[i] = detach(result[i]);
  }
  return result;
}

}  // namespace tg

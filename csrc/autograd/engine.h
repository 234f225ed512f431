// The backward engine (ARCHITECTURE.md decision 4): counts dependencies from the roots,
// runs ready nodes by highest sequence_nr, sums gradients per node input, validates each
// node's outputs against its inputs' metadata, and frees saved tensors unless keep_graph.
// Single-threaded on the caller's thread, so hooks may re-enter it.
#pragma once
#include "autograd/node.h"

namespace tg {

struct BackwardOptions {
  bool keep_graph = false;
  bool create_graph = false;
  // When non-empty: only these edges receive gradients. With accumulate, leaves among them
  // accumulate into .grad (backward(inputs=)); otherwise their gradients are returned (grad()).
  std::vector<Edge> inputs;
  bool accumulate = true;
};

// Runs backward from `roots` seeded with `grad_outputs`; returns the captured gradients
// (one per options.inputs entry, undefined where none arrived) when !accumulate.
TensorList run_backward(const std::vector<Edge>& roots, const TensorList& grad_outputs, const BackwardOptions& opts);

// Note [Fused accumulation]: a plain backward (no createGraph, no inputs=, no anomaly mode)
// ends each path at a leaf's AccumulateGrad, which adds the arriving gradient into .grad in
// place. A weight's gradient is a fresh matrix product (mm, addmm), so that was two passes
// over .grad's size: the product into a new buffer (which BLAS first zeroes for beta = 0),
// then .grad += it. A node whose gradient for edge e is a product may instead ask for e's
// sink and, when one is given, add the product into it with beta = 1 and return no gradient
// for e. A sink is given only where that is the very add AccumulateGrad would have done:
// e leads to an AccumulateGrad (directly, or through one TBackward0, then the sink is the
// transpose of the product), every node on the way has this edge as its only remaining
// producer and no gradient buffered, the leaf has no hooks, and its .grad is a contiguous
// tensor of its own shape and dtype that records no graph. Nodes on the way then run with no
// gradient and do nothing. Against the unfused add, a product whose inner dimension BLAS
// splits into blocks rounds in another order (the first block lands on .grad, not on zero);
// into a zeroed .grad the two are bit for bit the same.
struct GradSink {
  Tensor grad;              // the leaf's .grad to add into; undefined when there is no sink
  bool transposed = false;  // whether the edge's gradient is the transpose of .grad's shape
};
GradSink grad_sink(const Edge& e);

// The user-facing entry points with PyTorch's argument checks (B1-B3, B6, K2, K3).
void backward(const TensorList& tensors, const TensorList& grad_tensors, bool keep_graph, bool create_graph,
              const TensorList& inputs);
TensorList grad(const TensorList& outputs, const TensorList& inputs, const TensorList& grad_outputs, bool keep_graph,
                bool create_graph, bool allow_unused);

}  // namespace tg

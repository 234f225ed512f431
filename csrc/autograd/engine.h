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

// The user-facing entry points with PyTorch's argument checks (B1-B3, B6, K2, K3).
void backward(const TensorList& tensors, const TensorList& grad_tensors, bool keep_graph, bool create_graph,
              const TensorList& inputs);
TensorList grad(const TensorList& outputs, const TensorList& inputs, const TensorList& grad_outputs, bool keep_graph,
                bool create_graph, bool allow_unused);

}  // namespace tg

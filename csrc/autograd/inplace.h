// The rules for in-place writes (spec H, E5, E7) and the history rewrite after one: the
// written tensor's grad_fn becomes the op's node, or, for a view, its base's grad_fn becomes
// CopySlices so gradients reach both the replaced slice and the rest of the base (H4).
#pragma once
#include "autograd/node.h"

namespace tg {

// Throws PyTorch's error when writing into `self` is not allowed; `recording` tells whether
// the write will be recorded (grad mode on and some operand requires grad).
void check_inplace(const Tensor& self, bool recording);

// After the kernel wrote into self: bumps the version and, when fn is non-null, makes fn (an
// out-of-place node computed on self's old value) the producer of self.
void rebase_history(const Tensor& self, const std::shared_ptr<Node>& fn);

// Makes output `edge.input_nr` of `edge.function` the producer of self, which was written in
// place (no version bump: the write already bumped it). `self_input` is the position of
// self's old value among the node's inputs (next edges); it matters when self is a view,
// where the base's history is rewritten through CopySlices, which requires the node to have
// a single output. Used by custom Functions that mark an input dirty (spec L7).
void rebase_history(const Tensor& self, const Edge& edge, size_t self_input);

}  // namespace tg

// CPU kernels of the movement ops (csrc/ops/movement.cpp): gathers and scatter-adds of whole
// slices along one dim, for index_select, index_add and repeat_interleave; the tiled
// transposing copy; the contiguous copies of copy_ and cat.
#pragma once
#include <vector>

#include "core/tensor_impl.h"

namespace tg {
namespace cpu {

// out[..., j, ...] = in[..., index[j], ...] along dim. out and in share every other size;
// index is a contiguous int64 tensor of out.size(dim) entries in [0, in.size(dim)). Any
// strides, every dtype.
void select_indices(const Tensor& out, const Tensor& in, int64_t dim, const Tensor& index);
// out[..., index[j], ...] += src[..., j, ...] along dim; repeated indices accumulate.
void add_indices(const Tensor& out, int64_t dim, const Tensor& index, const Tensor& src);
// dst = src for a contiguous dst and a src of the same dtype whose last two dims (of those
// larger than 1) are transposed, i.e. unit stride in the second-to-last and not the last, as
// x.t().contiguous() or a batched transpose(-1, -2) makes: copied in square tiles, so each
// source cache line serves a whole tile row instead of one element. Returns false (having done
// nothing) for any other layout, or one too small to gain from tiles.
bool copy_transposed(const Tensor& dst, const Tensor& src);

// A run of bytes in each of `rows` rows: row r's bytes start at data + r * bytes (bytes > 0).
struct ByteRun {
  const char* data;
  int64_t bytes;
};
// Writes `rows` rows of out, each the concatenation of every run's row r, in order (Note [Cat
// in one pass]); split over the pool by ranges of out's bytes when large. A contiguous copy is
// one run of one row.
void concat_rows(char* out, int64_t rows, const std::vector<ByteRun>& runs);
// Backend::triangle: each row of out is a copy of the kept run of in's row between zeroed
// runs, split over the pool by rows.
void triangle(const Tensor& out, const Tensor& in, int64_t k, bool lower);

}  // namespace cpu
}  // namespace tg

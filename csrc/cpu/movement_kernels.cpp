// Gathers and scatter-adds of slices along one dim (see movement_kernels.h). The dims other
// than `dim` are walked by an odometer with each tensor's own strides, so inputs and outputs
// may be non-contiguous views; indices are checked before any element is touched.
#include "cpu/movement_kernels.h"
#include <algorithm>
#include <cstring>
#include "core/error.h"
#include "cpu/parallel.h"
#include "cpu/prefetch.h"

namespace tg {
namespace cpu {
namespace {

// The dims of a (and b, same sizes) other than `dim`, with both tensors' strides.
struct RestPlan {
  Shape sizes, a_strides, b_strides;
  int64_t numel = 1;
};

RestPlan rest_of(const Tensor& a, const Tensor& b, int64_t dim) {
  RestPlan p;
  for (int64_t d = 0; d < a.dim(); ++d) {
    if (d == dim) continue;
    p.sizes.push_back(a.size(d));
    p.a_strides.push_back(a.stride(d));
    p.b_strides.push_back(b.stride(d));
    p.numel *= a.size(d);
  }
  return p;
}

// Calls visit(offset in a, offset in b) for the positions [begin, end) of the rest dims, in
// row-major order.
template <typename Visit>
void walk_range(const RestPlan& p, int64_t begin, int64_t end, Visit&& visit) {
  const int nd = static_cast<int>(p.sizes.size());
  int64_t idx[64] = {0};
  int64_t oa = 0, ob = 0;
  for (int64_t d = nd - 1, rem = begin; d >= 0; --d) {
    idx[d] = rem % p.sizes[d];
    rem /= p.sizes[d];
    oa += idx[d] * p.a_strides[d];
    ob += idx[d] * p.b_strides[d];
  }
  for (int64_t i = begin; i < end; ++i) {
    visit(oa, ob);
    for (int d = nd - 1; d >= 0; --d) {
      if (++idx[d] < p.sizes[d]) {
        oa += p.a_strides[d];
        ob += p.b_strides[d];
        break;
      }
      oa -= (p.sizes[d] - 1) * p.a_strides[d];
      ob -= (p.sizes[d] - 1) * p.b_strides[d];
      idx[d] = 0;
    }
  }
}

// Calls visit(offset in a, offset in b) for every position of the rest dims.
template <typename Visit>
void walk(const RestPlan& p, Visit&& visit) {
  walk_range(p, 0, p.numel, visit);
}

// walk over the pool, for visits that each take all n indices of a slice that is not a run.
template <typename Visit>
void walk_parallel(const RestPlan& p, int64_t n, Visit&& visit) {
  parallel_for(0, p.numel, std::max<int64_t>(1, 32768 / n), [&](int64_t b, int64_t e) { walk_range(p, b, e, visit); });
}

// Whether the rest dims are one unit-stride run in both tensors (a row of a contiguous
// matrix, say): then each slice is a single copy of p.numel elements.
bool rest_is_run(const RestPlan& p) {
  int64_t want = 1;
  for (size_t d = p.sizes.size(); d-- > 0;) {
    if (p.sizes[d] == 1) continue;
    if (p.a_strides[d] != want || p.b_strides[d] != want) return false;
    want *= p.sizes[d];
  }
  return true;
}

// How many indices ahead select_indices fetches its source slices.
constexpr int64_t kAhead = 4;

void check_indices(const Tensor& index, int64_t size) {
  const int64_t* ix = index.data<int64_t>();
  for (int64_t j = 0; j < index.numel(); ++j)
    TG_CHECK_INDEX(ix[j] >= 0 && ix[j] < size, "index out of range in self");
}

}  // namespace

void select_indices(const Tensor& out, const Tensor& in, int64_t dim, const Tensor& index) {
  TG_CHECK(out.dim() <= 64 && index.numel() == out.size(dim), "select_indices: bad geometry");
  check_indices(index, in.size(dim));
  RestPlan p = rest_of(out, in, dim);
  const int64_t n = index.numel();
  if (p.numel == 0 || n == 0) return;
  const int64_t so = out.stride(dim), si = in.stride(dim);
  const int64_t* ix = index.data<int64_t>();
  dispatch_all(out.dtype(), [&](auto tag) {
    using T = TG_TYPE(tag);
    T* o = out.data<T>();
    const T* s = in.data<T>();
    if (!rest_is_run(p)) {
      // Slices that are not runs (columns, when dim is the last): each position of the other
      // dims takes all n indices in turn, so a row of a contiguous tensor is read and written
      // along itself, instead of n passes down the columns (indexSelect(1) of 1024 indices
      // over 1024 x 1024 float32, one thread: 5.8 -> 0.37 ms).
      walk_parallel(p, n, [&](int64_t oa, int64_t ob) {
        T* orow = o + oa;
        const T* srow = s + ob;
        for (int64_t j = 0; j < n; ++j) orow[j * so] = srow[ix[j] * si];
      });
      return;
    }
    const int64_t grain = std::max<int64_t>(1, 32768 / p.numel);
    parallel_for(0, n, grain, [&](int64_t b, int64_t e) {
      for (int64_t j = b; j < e; ++j) {
        // The slices of random indices are random rows: fetch a few ahead (indexSelect of
        // 4096 rows of a 10000 x 128 float32 table, one thread: 0.90x the time).
        if (j + kAhead < e) prefetch_lines(s + ix[j + kAhead] * si, std::min<size_t>(p.numel * sizeof(T), 1024));
        const T* sj = s + ix[j] * si;
        std::copy(sj, sj + p.numel, o + j * so);
      }
    });
  });
}

void add_indices(const Tensor& out, int64_t dim, const Tensor& index, const Tensor& src) {
  TG_CHECK(out.dim() <= 64 && index.numel() == src.size(dim), "add_indices: bad geometry");
  check_indices(index, out.size(dim));
  RestPlan p = rest_of(out, src, dim);
  const int64_t n = index.numel();
  if (p.numel == 0 || n == 0) return;
  const int64_t so = out.stride(dim), ss = src.stride(dim);
  const int64_t* ix = index.data<int64_t>();
  dispatch_all(out.dtype(), [&](auto tag) {
    using T = TG_TYPE(tag);
    T* o = out.data<T>();
    const T* s = src.data<T>();
    if (!rest_is_run(p)) {
      // As in select_indices, position by position of the other dims, each taking the n
      // indices in order; positions write disjoint elements, so they split over the pool.
      walk_parallel(p, n, [&](int64_t oa, int64_t ob) {
        T* orow = o + oa;
        const T* srow = s + ob;
        for (int64_t j = 0; j < n; ++j) orow[ix[j] * so] = static_cast<T>(orow[ix[j] * so] + srow[j * ss]);
      });
      return;
    }
    // Slice by slice in index order: repeated indices write the same elements.
    for (int64_t j = 0; j < n; ++j) {
      T* oj = o + ix[j] * so;
      const T* sj = s + j * ss;
      walk(p, [&](int64_t oa, int64_t ob) { oj[oa] = static_cast<T>(oj[oa] + sj[ob]); });
    }
  });
}

namespace {
// The batched transpose of copy_transposed: nb matrices, rows x cols of dst each; dst
// contiguous, src element (r, c) of batch b at src_batch(b) + r + c * col_stride (elements).
// Tiles of 8 x 8 elements: a column walk touches one source line per column, and at a pitch
// that is a multiple of 1 KiB those lines share a few L1 sets of 8 ways each, which larger
// tiles thrash; at other pitches 8 x 8 measured as fast as 16 or 32 (this loop compiled as the
// addon is, one thread, ms for 1000 / 1024 / 1031 square floats: 8-tiles 1.3 / 1.8 / 1.2,
// 32-tiles 3.1 / 4.7 / 4.6, on a loaded host). 1024 x 1024 with the whole op: 3.3 ms with
// 32-tiles, 0.8 ms with 8-tiles, PyTorch 2.13 0.7 ms.
template <typename E, typename BatchOffset>
void transpose_tiles(E* dst, const E* src, int64_t nb, int64_t rows, int64_t cols, int64_t col_stride, BatchOffset src_batch) {
  constexpr int64_t kTile = 8;
  const int64_t row_tiles = (rows + kTile - 1) / kTile;
  const int64_t grain = std::max<int64_t>(1, 16384 / (kTile * std::max<int64_t>(cols, 1)));
  parallel_for(0, nb * row_tiles, grain, [&](int64_t begin, int64_t end) {
    for (int64_t t = begin; t < end; ++t) {
      const int64_t b = t / row_tiles, r0 = (t % row_tiles) * kTile, r1 = std::min(rows, r0 + kTile);
      E* out = dst + b * rows * cols;
      const E* in = src + src_batch(b);
      for (int64_t c0 = 0; c0 < cols; c0 += kTile) {
        const int64_t c1 = std::min(cols, c0 + kTile);
        for (int64_t r = r0; r < r1; ++r)
          for (int64_t c = c0; c < c1; ++c) out[r * cols + c] = in[r + c * col_stride];
      }
    }
  });
}
}  // namespace

bool copy_transposed(const Tensor& dst, const Tensor& src) {
  if (dst.dtype() != src.dtype() || !dst.is_contiguous() || dst.numel() < 4096) return false;
  Shape sizes, strides;
  for (int64_t d = 0; d < src.dim(); ++d)
    if (src.size(d) != 1) sizes.push_back(src.size(d)), strides.push_back(src.stride(d));
  const size_t nd = sizes.size();
  if (nd < 2 || strides[nd - 2] != 1 || strides[nd - 1] == 1) return false;
  const int64_t rows = sizes[nd - 2], cols = sizes[nd - 1], col_stride = strides[nd - 1];
  if (rows < 8 || cols < 8) return false;
  // The batch dims (all before the last two) in row-major order, as dst lays them out.
  const Shape batch_sizes(sizes.begin(), sizes.end() - 2), batch_strides(strides.begin(), strides.end() - 2);
  int64_t nb = 1;
  for (int64_t s : batch_sizes) nb *= s;
  auto src_batch = [&](int64_t b) {
    int64_t off = 0;
    for (size_t d = batch_sizes.size(); d-- > 0;) off += (b % batch_sizes[d]) * batch_strides[d], b /= batch_sizes[d];
    return off;
  };
  const size_t esize = dtype_size(dst.dtype());
  auto run = [&](auto tag) {
    using E = decltype(tag);
    transpose_tiles<E>(reinterpret_cast<E*>(dst.impl()->data()), reinterpret_cast<const E*>(src.impl()->data()),
                       nb, rows, cols, col_stride, src_batch);
  };
  if (esize == 1) run(uint8_t{});
  else if (esize == 4) run(uint32_t{});
  else if (esize == 8) run(uint64_t{});
  else return false;
  return true;
}

// Note [Cat in one pass]: cat writes out's rows in order, each from every part in turn,
// rather than copying one part at a time into its strided slice of out. Part by part, each
// part's pass walks all of out's rows, and a part repeated in the list (cat([m, m], 1)) is
// read again from cache; in one pass, out is written once, front to back. cat([m, m], 1) of a
// 1024 x 1024 float32 m on one Zen 4 core: 213 -> 179 us. A large plain copy goes through
// here too, as one run, so both split over the pool: threads take ranges of out's bytes, each
// range whole memcpy calls on the pieces it covers (on two threads: cat([m, m], 0) and
// m.clone() 0.5-0.56x of one memcpy's time).
void concat_rows(char* out, int64_t rows, const std::vector<ByteRun>& runs) {
  int64_t row_bytes = 0;
  for (const ByteRun& r : runs) row_bytes += r.bytes;
  const int64_t total = rows * row_bytes;
  if (total == 0) return;
  // Writes out's bytes [b, e): from row b / row_bytes, the run holding b's offset in the row.
  auto write = [&](int64_t b, int64_t e) {
    int64_t row = b / row_bytes, at = b % row_bytes;
    size_t i = 0;
    int64_t start = 0;  // offset of run i in a row
    while (start + runs[i].bytes <= at) start += runs[i++].bytes;
    while (b < e) {
      const int64_t n = std::min(start + runs[i].bytes - at, e - b);
      std::memcpy(out + b, runs[i].data + row * runs[i].bytes + (at - start), static_cast<size_t>(n));
      b += n;
      at += n;
      if (at == row_bytes) {
        at = start = 0;
        i = 0;
        ++row;
      } else if (at == start + runs[i].bytes) {
        start = at;
        ++i;
      }
    }
  };
  // The elementwise grain of float32 elements, for a read and a write of each.
  constexpr int64_t kGrainBytes = kElementwiseGrain * 8;
  if (total < 2 * kGrainBytes) write(0, total);
  else parallel_for(0, total, kGrainBytes, write);
}

void triangle(const Tensor& out, const Tensor& in, int64_t k, bool lower) {
  const int64_t r = out.size(out.dim() - 2), c = out.size(out.dim() - 1);
  if (out.numel() == 0) return;
  const int64_t rows = out.numel() / c, es = static_cast<int64_t>(dtype_size(out.dtype()));
  // Diagonals past either corner keep every column or none; clamped, i + k stays in range.
  k = std::clamp<int64_t>(k, -r - 1, c + 1);
  char* dst = static_cast<char*>(out.impl()->data());
  const char* src = static_cast<const char*>(in.impl()->data());
  parallel_for(0, rows, std::max<int64_t>(1, kElementwiseGrain / c), [&](int64_t b, int64_t e) {
    for (int64_t row = b; row < e; ++row) {
      const int64_t i = row % r;
      // The kept columns [lo, hi): j - i <= k (lower) or j - i >= k.
      const int64_t lo = lower ? 0 : std::clamp<int64_t>(i + k, 0, c);
      const int64_t hi = lower ? std::clamp<int64_t>(i + k + 1, 0, c) : c;
      char* o = dst + row * c * es;
      std::memset(o, 0, static_cast<size_t>(lo * es));
      std::memcpy(o + lo * es, src + (row * c + lo) * es, static_cast<size_t>((hi - lo) * es));
      std::memset(o + hi * es, 0, static_cast<size_t>((c - hi) * es));
    }
  });
}

}  // namespace cpu
}  // namespace tg

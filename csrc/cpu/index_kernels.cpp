// Gathers/scatters along one dim, nonzero and searchsorted (see index_kernels.h). Gathers and
// scatters run over the index's shape in innermost runs (cpu/loops.h), every tensor through
// its own strides; index values are checked against the indexed dim (no negative wrapping,
// as in PyTorch) before any element is touched.
#include "cpu/index_kernels.h"
#include <algorithm>
#include <array>
#include <atomic>
#include <vector>
#include <cstring>
#include "core/error.h"
#include "cpu/loops.h"
#include "cpu/parallel.h"
#include "cpu/prefetch.h"

namespace tg {
namespace cpu {
namespace {

// Visits every position of `sizes`, passing the element offset of each of K tensors.
template <size_t K, typename Visit>
void walk_n(const Shape& sizes, const std::array<const Shape*, K>& strides, Visit&& visit) {
  const int nd = static_cast<int>(sizes.size());
  int64_t numel = 1;
  for (int64_t s : sizes) numel *= s;
  if (numel == 0) return;
  std::vector<int64_t> idx(nd, 0);
  std::array<int64_t, K> off{};
  for (int64_t i = 0; i < numel; ++i) {
    visit(off, idx);
    for (int d = nd - 1; d >= 0; --d) {
      if (++idx[d] < sizes[d]) {
        for (size_t k = 0; k < K; ++k) off[k] += (*strides[k])[d];
        break;
      }
      for (size_t k = 0; k < K; ++k) off[k] -= (sizes[d] - 1) * (*strides[k])[d];
      idx[d] = 0;
    }
  }
}

// A view of t with the sizes of index and t's strides, except 0 along dim: the element that
// index position p starts from, before index[p] moves it along dim.
Tensor along_index(const Tensor& t, const Tensor& index, int64_t dim) {
  Shape st = t.strides();
  st[dim] = 0;
  return Tensor::view_of(t, index.sizes(), st, t.impl()->offset());
}

// Whether the n index values at p (byte stride s) all lie in [0, size). A value v is outside
// when it is negative or v - size is not, so OR-ing v | ~(v - size) over the run leaves the
// sign bit clear only if every value is inside. Adds and ORs vectorize at every ISA level,
// where the 64-bit compare of v < size does not (SSE2 has none): scatterAdd(1, ...) over
// 1024 x 1024 float32 spent a quarter of its time in this scan.
bool run_in_range(const char* p, int64_t s, int64_t n, int64_t size) {
  const uint64_t limit = static_cast<uint64_t>(size);
  uint64_t outside = 0;
  auto visit = [&](uint64_t v) { outside |= v | ~(v - limit); };
  if (s == sizeof(int64_t)) {
    const uint64_t* ix = reinterpret_cast<const uint64_t*>(p);
    for (int64_t i = 0; i < n; ++i) visit(ix[i]);
  } else {
    for (int64_t i = 0; i < n; ++i) visit(*reinterpret_cast<const uint64_t*>(p + i * s));
  }
  return (outside >> 63) == 0;
}

// Throws PyTorch's error for the first index value (in row-major order) outside [0, size).
void throw_first_bad_index(const Tensor& index, int64_t size, int64_t dim) {
  const int64_t* ix = index.data<int64_t>();
  Shape st = index.strides();
  walk_n<1>(index.sizes(), {&st}, [&](const std::array<int64_t, 1>& o, const std::vector<int64_t>&) {
    int64_t v = ix[o[0]];
    TG_CHECK_INDEX(v >= 0 && v < size, "index ", v, " is out of bounds for dimension ", dim, " with size ", size);
  });
}

// Checks every index value before anything is written; the scan runs on the pool.
void check_index_values(const Tensor& index, int64_t size, int64_t dim) {
  std::atomic<bool> bad{false};
  for_each_run<1>(index.sizes(), {&index}, [&](std::array<char*, 1> p, std::array<int64_t, 1> s, int64_t n) {
    if (!run_in_range(p[0], s[0], n, size)) bad.store(true, std::memory_order_relaxed);
  });
  if (bad.load()) throw_first_bad_index(index, size, dim);
}

// Note [Slice prefetch]: a gather or scatter along a unit-stride dim reads (or updates) its
// slice in the index's order, which the hardware prefetchers cannot follow when it is random.
// So a run first asks for every cache line of its slice, where the slice fits in L2 and the
// run touches about one element per line or more. 1024 x 1024 float32, random indices along
// dim 1, one and two threads (bench/RESULTS.md, "Slice prefetch ..."): gather 0.68-0.93x the
// time (the gain depends on the old build it is timed against), scatterAdd 0.76-0.83x.
// Always inlined, like prefetch_lines (cpu/prefetch.h), or GCC drops its calls.
template <bool Write>
__attribute__((always_inline)) inline void prefetch_slice(const void* slice, uint64_t bytes, int64_t n) {
  if (bytes <= (uint64_t{256} << 10) && static_cast<uint64_t>(n) * 64 >= bytes) prefetch_lines<Write>(slice, bytes);
}

}  // namespace

void gather_dim(const Tensor& out, const Tensor& in, int64_t dim, const Tensor& index) {
  // out is a fresh tensor (every caller makes one), so the index values are checked in the
  // same pass that reads them: a bad one reads element 0 of its slice instead (never outside
  // the tensor), and is reported after the loop. The index is masked, not selected, which the
  // compiler would turn into a branch.
  // Along a dim of size 0 there is no element 0 to read in place of a bad index, and every
  // index is bad.
  if (in.size(dim) == 0) throw_first_bad_index(index, 0, dim);
  const Tensor from = along_index(in, index, dim);
  const int64_t sd = in.stride(dim);
  const uint64_t size = static_cast<uint64_t>(in.size(dim));  // negative values wrap to huge ones
  std::atomic<bool> bad{false};
  dispatch_all(out.dtype(), [&](auto tag) {
    using T = TG_TYPE(tag);
    // Positions of index are independent, so the runs may go to the pool.
    for_each_run<3>(index.sizes(), {&out, &from, &index}, [&](std::array<char*, 3> p, std::array<int64_t, 3> s, int64_t n) {
      uint64_t ok = 1;
      if (s[0] == sizeof(T) && s[1] == 0 && s[2] == sizeof(int64_t)) {  // along the innermost dim
        T* o = reinterpret_cast<T*>(p[0]);
        const T* slice = reinterpret_cast<const T*>(p[1]);
        const uint64_t* ix = reinterpret_cast<const uint64_t*>(p[2]);
        auto at = [&](uint64_t v) { return slice[static_cast<int64_t>(v < size ? v : 0) * sd]; };
        if (sd == 1) prefetch_slice<false>(slice, size * sizeof(T), n);
        int64_t i = 0;
        // Four loads issued before their stores (1024 x 1024, one thread: 0.94-0.98x the time).
        for (; i + 4 <= n; i += 4) {
          const uint64_t v0 = ix[i], v1 = ix[i + 1], v2 = ix[i + 2], v3 = ix[i + 3];
          ok &= static_cast<uint64_t>((v0 < size) & (v1 < size) & (v2 < size) & (v3 < size));
          const T x0 = at(v0), x1 = at(v1), x2 = at(v2), x3 = at(v3);
          o[i] = x0;
          o[i + 1] = x1;
          o[i + 2] = x2;
          o[i + 3] = x3;
        }
        for (; i < n; ++i) {
          ok &= static_cast<uint64_t>(ix[i] < size);
          o[i] = at(ix[i]);
        }
      } else {
        for (int64_t i = 0; i < n; ++i) {
          const uint64_t v = *reinterpret_cast<const uint64_t*>(p[2] + i * s[2]);
          const uint64_t in_range = v < size;
          ok &= in_range;
          *reinterpret_cast<T*>(p[0] + i * s[0]) =
              reinterpret_cast<const T*>(p[1] + i * s[1])[static_cast<int64_t>(v & (0 - in_range)) * sd];
        }
      }
      if (!ok) bad.store(true, std::memory_order_relaxed);
    });
  });
  if (bad.load()) throw_first_bad_index(index, in.size(dim), dim);
}

void scatter_dim(const Tensor& out, int64_t dim, const Tensor& index, const Tensor& src, ScatterMode mode) {
  check_index_values(index, out.size(dim), dim);
  if (index.numel() == 0) return;
  const int64_t sd = out.stride(dim);
  // Note [Parallel scatter]: two positions of index write the same element of out only if
  // they differ along dim alone, and then in index order (the last assignment wins; sums add
  // in that order). With the index's positions numbered (o, i, n) in row-major order (o over
  // the dims before dim, i along it, n over those after), the pool splits the o (each thread
  // walks whole row-major blocks), or, where there is one o, the n (each thread walks i in
  // order over its own n). Either way every element of out sees its writes in index order: the
  // same bits as one thread. 1024 x 1024, two threads: scatterAdd(1, ...) 0.65x the one-thread
  // time; scatterAdd(0, ...) gains nothing (its writes land in random rows of out, and walking
  // tiles of columns down the rows instead, for locality in out, ran 1.5x slower: the index and
  // src are then read a column at a time).
  const int64_t along = index.dim() == 0 ? 1 : index.size(dim);
  int64_t inner = 1;
  for (int64_t d = dim + 1; d < index.dim(); ++d) inner *= index.size(d);
  const int64_t outer = index.numel() / (along * inner), block = along * inner;
  const Tensor to = along_index(out, index, dim);
  auto plan = make_plan<3>(index.sizes(), {&to, &src, &index});
  std::array<char*, 3> base{static_cast<char*>(to.impl()->data()), static_cast<char*>(src.impl()->data()),
                            static_cast<char*>(index.impl()->data())};
  dispatch_all(out.dtype(), [&](auto tag) {
    using T = TG_TYPE(tag);
    auto scatter_with = [&](auto combine) {
      auto run = [&](std::array<char*, 3> p, std::array<int64_t, 3> s, int64_t n) {
        if (s[0] == 0 && sd == 1) prefetch_slice<true>(p[0], static_cast<uint64_t>(out.size(dim)) * sizeof(T), n);
        for (int64_t i = 0; i < n; ++i) {
          const int64_t v = *reinterpret_cast<const int64_t*>(p[2] + i * s[2]);
          T& dst = reinterpret_cast<T*>(p[0] + i * s[0])[v * sd];
          dst = combine(dst, *reinterpret_cast<const T*>(p[1] + i * s[1]));
        }
      };
      if (outer > 1) {
        parallel_for(0, outer, std::max<int64_t>(1, kElementwiseGrain / block),
                     [&](int64_t b, int64_t e) { for_each_run_range<3>(plan, base, b * block, e * block, run); });
      } else {
        parallel_for(0, inner, std::max<int64_t>(1, kElementwiseGrain / along), [&](int64_t b, int64_t e) {
          for (int64_t i = 0; i < along; ++i) for_each_run_range<3>(plan, base, i * inner + b, i * inner + e, run);
        });
      }
    };
    switch (mode) {
      case ScatterMode::Assign: return scatter_with([](T, T x) { return x; });
      case ScatterMode::Add: return scatter_with([](T d, T x) { return static_cast<T>(d + x); });
      case ScatterMode::Mul: return scatter_with([](T d, T x) { return static_cast<T>(d * x); });
      // NaN wins, as in PyTorch's scatter_reduce amax/amin.
      case ScatterMode::Max: return scatter_with([](T d, T x) { return x != x || x > d ? x : d; });
      case ScatterMode::Min: return scatter_with([](T d, T x) { return x != x || x < d ? x : d; });
    }
  });
}

namespace {

// Note [Contiguous nonzero]: the input (contiguous: the op copies any other) is read twice, in blocks of kNonzeroBlock
// elements over the pool: once to count each block's nonzeros (a loop that vectorizes), then,
// with the counts summed into each block's first row of out, to write the coordinates, carried
// along by an odometer from the block's first element. The result is allocated once, at its
// size. 1M-element bool mask, half set, one thread: 9.9 -> 2.8 ms (PyTorch 2.13: 5.9 ms).
constexpr int64_t kNonzeroBlock = 16384;

Tensor nonzero_contiguous(const Tensor& in) {
  const int64_t nd = in.dim(), numel = in.numel();
  const int64_t blocks = (numel + kNonzeroBlock - 1) / kNonzeroBlock;
  std::vector<int64_t> first(static_cast<size_t>(blocks) + 1, 0);  // block b's first output row
  Tensor out;
  dispatch_all(in.dtype(), [&](auto tag) {
    using T = TG_TYPE(tag);
    const T* s = in.data<T>();
    auto block_end = [&](int64_t b) { return std::min(numel, (b + 1) * kNonzeroBlock); };
    parallel_for(0, blocks, grain_per_item(kNonzeroBlock), [&](int64_t b0, int64_t b1) {
      for (int64_t b = b0; b < b1; ++b) {
        int64_t count = 0;
        for (int64_t i = b * kNonzeroBlock; i < block_end(b); ++i) count += s[i] != T(0);
        first[b + 1] = count;
      }
    });
    for (int64_t b = 0; b < blocks; ++b) first[b + 1] += first[b];
    out = Tensor::empty({first[blocks], nd}, DType::Int64, in.device());
    int64_t* o = out.data<int64_t>();
    // Every element's coordinates are written, and the row advances only past a nonzero: no
    // branch on the data (half-set masks mispredicted every other element). The write after a
    // block's last nonzero would land in the next block's rows, so it goes to `spare` instead.
    parallel_for(0, blocks, grain_per_item(kNonzeroBlock), [&](int64_t b0, int64_t b1) {
      int64_t spare[64], size[64], idx[64];
      for (int64_t d = 0; d < nd; ++d) size[d] = in.size(d);
      const int64_t last = nd - 1;
      for (int64_t b = b0; b < b1; ++b) {
        int64_t* row = o + first[b] * nd;
        int64_t* const end = o + first[b + 1] * nd;
        for (int64_t d = last, rem = b * kNonzeroBlock; d >= 0; --d) idx[d] = rem % size[d], rem /= size[d];
        for (int64_t i = b * kNonzeroBlock; i < block_end(b); ++i) {
          int64_t* const to = row < end ? row : spare;
          if (nd == 1) {
            to[0] = i;
          } else {
            for (int64_t d = 0; d < nd; ++d) to[d] = idx[d];
            // The odometer: its carry runs once a row. idx[0] reaches size[0] only past the end.
            if (++idx[last] == size[last])
              for (int64_t d = last; d > 0 && idx[d] == size[d]; --d) idx[d] = 0, ++idx[d - 1];
          }
          row += static_cast<int64_t>(s[i] != T(0)) * nd;  // arithmetic: GCC branches on a ?:
        }
      }
    });
  });
  return out;
}

}  // namespace

Tensor nonzero(const Tensor& in) {
  TG_CHECK(in.is_contiguous() && in.dim() >= 1, "nonzero kernel: expected a contiguous tensor of 1 or more dims");
  return nonzero_contiguous(in);
}

void searchsorted(const Tensor& out, const Tensor& sorted, const Tensor& values, bool right) {
  // sorted, values, out are contiguous and of one dtype (out int64).
  const int64_t len = sorted.dim() == 0 ? 1 : sorted.size(sorted.dim() - 1);
  const int64_t nv = values.dim() == 0 ? 1 : values.size(values.dim() - 1);
  const bool one_d = sorted.dim() <= 1;
  int64_t* o = out.data<int64_t>();
  dispatch_all(sorted.dtype(), [&](auto tag) {
    using T = TG_TYPE(tag);
    const T* s = sorted.data<T>();
    const T* v = values.data<T>();
    for (int64_t i = 0; i < values.numel(); ++i) {
      const T* row = one_d ? s : s + (i / std::max<int64_t>(nv, 1)) * len;
      const T* pos = right ? std::upper_bound(row, row + len, v[i]) : std::lower_bound(row, row + len, v[i]);
      o[i] = pos - row;
    }
  });
}

}  // namespace cpu
}  // namespace tg

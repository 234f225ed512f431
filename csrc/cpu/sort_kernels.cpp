// Sorting and selection along the last dim of contiguous tensors (declared in
// reduce_kernels.h): sort_last is a stable LSD radix sort; topk_last and kth_last run the
// selection algorithms of PyTorch's CPU kernels step for step, so that among equal elements
// they pick the same indices in the same order. Rows are independent and run in parallel.
#include <algorithm>
#include <cstring>
#include <memory>
#include <type_traits>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include "core/error.h"
#include "cpu/parallel.h"
#include "cpu/reduce_kernels.h"

namespace tg {
namespace cpu {
namespace {

// Note [Sort keys]
// Every comparison here is between unsigned keys that order elements as PyTorch's NaN-aware
// comparators do: numbers by value, -0.0 equal to +0.0, every NaN equal to every other NaN
// and above +inf. A float maps to its key by flipping all bits of a negative and the sign bit
// of a positive (after x + 0 turns -0.0 into +0.0), a NaN to the largest key; a signed
// integer by flipping its sign bit. Descending sorts and largest-first selections use the
// complemented key (~key), under which equal elements stay equal, so a stable ascending
// sort of ~key is PyTorch's stable descending sort.
template <typename T>
using Key = std::conditional_t<sizeof(T) == 8, uint64_t, uint32_t>;

template <typename T>
Key<T> key_of(T x) {
  using K = Key<T>;
  constexpr int top = 8 * sizeof(K) - 1;
  if constexpr (std::is_floating_point_v<T>) {
    const T z = x + T(0);
    K u;
    std::memcpy(&u, &z, sizeof u);
    const K k = u ^ ((K(0) - (u >> top)) | (K(1) << top));
    return x != x ? ~K(0) : k;
  } else if constexpr (std::is_signed_v<T>) {
    return static_cast<K>(x) ^ (K(1) << top);
  } else {
    return static_cast<K>(x);
  }
}

// An element of a row being sorted: its key and its index in the row.
template <typename K>
struct Item {
  K key;
  uint32_t idx;
};

// Orders items by key alone (a function object, so the std algorithms inline it).
struct KeyBefore {
  template <typename K>
  bool operator()(const Item<K>& a, const Item<K>& b) const { return a.key < b.key; }
};

int64_t row_len(const Tensor& t) { return t.dim() == 0 ? 1 : t.size(t.dim() - 1); }

// The row length n of `in` and its row count; every operand must be contiguous and rows
// indexable by uint32_t.
std::pair<int64_t, int64_t> rows_of(const char* op, const Tensor& in, std::initializer_list<const Tensor*> outs) {
  TG_CHECK(in.is_contiguous(), op, ": expected a contiguous tensor");
  for (const Tensor* t : outs) TG_CHECK(t->is_contiguous(), op, ": expected a contiguous tensor");
  const int64_t n = row_len(in);
  TG_CHECK(n <= int64_t{UINT32_MAX}, op, ": rows of more than 2^32 - 1 elements are not supported (got ", n, ")");
  return {n, n == 0 ? 0 : in.numel() / n};
}

// Loads row x[0..n) as items with keys key_of(x) ^ flip.
template <typename T>
void load_items(Item<Key<T>>* a, const T* x, int64_t n, Key<T> flip) {
  for (int64_t i = 0; i < n; ++i) a[i] = {key_of(x[i]) ^ flip, static_cast<uint32_t>(i)};
}

// Writes the first m items of a as values x[idx] (the input's own bits, -0.0 and NaN
// payloads included) and int64 indices.
template <typename T, typename K>
void store_items(T* v, int64_t* ix, const Item<K>* a, const T* x, int64_t m) {
  for (int64_t j = 0; j < m; ++j) {
    v[j] = x[a[j].idx];
    ix[j] = a[j].idx;
  }
}

// ---- sort

// Sorts a[0..n) stably by key: insertion sort for short runs, otherwise an LSD radix sort a
// byte per pass on key - min(key), so that small integers of either sign take only their
// low bytes' passes; bytes in which all keys agree are skipped. tmp holds n items of
// scratch. Returns whichever of a and tmp holds the result (its keys less their minimum).
template <typename K>
Item<K>* sort_items(Item<K>* a, Item<K>* tmp, int64_t n) {
  constexpr int kBytes = sizeof(K);
  if (n <= 32) {
    for (int64_t i = 1; i < n; ++i) {
      const Item<K> e = a[i];
      int64_t j = i;
      for (; j > 0 && e.key < a[j - 1].key; --j) a[j] = a[j - 1];
      a[j] = e;
    }
    return a;
  }
  K lo = ~K(0), hi = 0;
  for (int64_t i = 0; i < n; ++i) {
    lo = std::min(lo, a[i].key);
    hi = std::max(hi, a[i].key);
  }
  int bytes = 0;
  while (bytes < kBytes && (hi - lo) >> (8 * bytes) != 0) ++bytes;
  uint32_t count[kBytes][256] = {};
  for (int64_t i = 0; i < n; ++i) {
    const K k = a[i].key -= lo;
    for (int b = 0; b < bytes; ++b) ++count[b][(k >> (8 * b)) & 0xff];
  }
  for (int b = 0; b < bytes; ++b) {
    uint32_t* c = count[b];
    if (c[(a[0].key >> (8 * b)) & 0xff] == static_cast<uint32_t>(n)) continue;  // one digit: the pass keeps the order
    for (uint32_t d = 0, sum = 0; d < 256; ++d) {
      const uint32_t t = c[d];
      c[d] = sum;
      sum += t;
    }
    for (int64_t i = 0; i < n; ++i) tmp[c[(a[i].key >> (8 * b)) & 0xff]++] = a[i];
    std::swap(a, tmp);
  }
  return a;
}

template <typename T>
void sort_rows(T* v, int64_t* ix, const T* x, int64_t rows, int64_t n, bool descending) {
  using K = Key<T>;
  const K flip = descending ? ~K(0) : K(0);
  parallel_for(0, rows, grain_per_item(8 * n), [&](int64_t r0, int64_t r1) {
    std::unique_ptr<Item<K>[]> buf(new Item<K>[static_cast<size_t>(2 * n)]);
    for (int64_t r = r0; r < r1; ++r) {
      load_items(buf.get(), x + r * n, n, flip);
      store_items(v + r * n, ix + r * n, sort_items(buf.get(), buf.get() + n, n), x + r * n, n);
    }
  });
}

// ---- selection by rank

// Note [Unique ranks]
// Which of several equal elements topk and kthvalue return is decided by PyTorch's
// algorithms (Notes [Topk ties], [Kthvalue ties]), whose exact steps are slow to take.
// When the answer involves no tie it is the same whatever the algorithm, so the kernels
// first find the answer a faster way and take the exact path only when a tie decides it:
// kthvalue when the key at rank k (found by a radix selection) is shared; topk (sorted)
// when two of the k chosen share a key or the k-th shares it with the next. Random data
// takes the exact path rarely; rows full of ties (integer labels) take it often and pay
// for the failed attempt.

// The key at 0-based rank k among the keys key_of(x[i]) ^ flip of row x[0..n), with how
// many keys are below it and how many equal it: an MSD radix selection, a byte per level,
// each level keeping the keys of the bucket that holds rank k, until few are left for
// nth_element. cand holds n keys of scratch.
template <typename T>
struct Rank {
  Key<T> key;
  int64_t below, equal;
};

template <typename T>
Rank<T> rank_key(const T* x, int64_t n, int64_t k, Key<T> flip, Key<T>* cand) {
  using K = Key<T>;
  for (int64_t i = 0; i < n; ++i) cand[i] = key_of(x[i]) ^ flip;
  int64_t below = 0, m = n;
  for (int shift = 8 * sizeof(K) - 8; shift >= 0 && m > 64; shift -= 8) {
    auto digit = [shift](K key) { return static_cast<unsigned>(key >> shift) & 0xff; };
    // Four histograms, so that runs of one digit do not wait on one counter.
    uint32_t count[4][256] = {};
    int64_t i = 0;
    for (; i + 4 <= m; i += 4)
      for (int h = 0; h < 4; ++h) ++count[h][digit(cand[i + h])];
    for (; i < m; ++i) ++count[0][digit(cand[i])];
    unsigned d = 0;
    for (uint32_t c; below + (c = count[0][d] + count[1][d] + count[2][d] + count[3][d]) <= k; ++d) below += c;
    int64_t kept = 0;
    for (int64_t j = 0; j < m; ++j) {  // branch-free: the bucket's keys are a random subset
      cand[kept] = cand[j];
      kept += digit(cand[j]) == d;
    }
    m = kept;
  }
  std::nth_element(cand, cand + (k - below), cand + m);
  const K key = cand[k - below];
  int64_t equal = 0;
  for (int64_t j = 0; j < m; ++j) {
    below += cand[j] < key;
    equal += cand[j] == key;
  }
  return {key, below, equal};
}

// The index of the j-th (0-based) element of x[0..n) whose key is `key`, in row order (n
// when there are not that many).
template <typename T>
int64_t index_of_key(const T* x, int64_t n, Key<T> key, Key<T> flip, int64_t j) {
  for (int64_t i = 0; i < n; ++i)
    if ((key_of(x[i]) ^ flip) == key && j-- == 0) return i;
  return n;
}

// ---- topk

int lowest_bit(unsigned m) {
#if defined(__GNUC__)
  return __builtin_ctz(m);
#else
  int b = 0;
  while (!(m >> b & 1)) ++b;
  return b;
#endif
}

// Whether x comes before the heap's top element tv (not NaN) for topk: x > tv or NaN for
// largest, x < tv otherwise.
template <bool Largest, typename T>
bool beats(T x, T tv) { return Largest ? !(x <= tv) : x < tv; }

// Bit j set where x[j] beats tv, for j in [0, 16): vector compares for float, double and
// int32 (GCC leaves the scalar loop unvectorized once inlined into next_contender's loop).
template <bool Largest, typename T>
unsigned block_beats(const T* x, T tv) {
#ifdef __SSE2__
  if constexpr (std::is_same_v<T, float>) {
    const __m128 t = _mm_set1_ps(tv);
    unsigned m = 0;
    for (int j = 0; j < 16; j += 4) {
      const __m128 v = _mm_loadu_ps(x + j);
      m |= static_cast<unsigned>(_mm_movemask_ps(Largest ? _mm_cmpnle_ps(v, t) : _mm_cmplt_ps(v, t))) << j;
    }
    return m;
  } else if constexpr (std::is_same_v<T, double>) {
    const __m128d t = _mm_set1_pd(tv);
    unsigned m = 0;
    for (int j = 0; j < 16; j += 2) {
      const __m128d v = _mm_loadu_pd(x + j);
      m |= static_cast<unsigned>(_mm_movemask_pd(Largest ? _mm_cmpnle_pd(v, t) : _mm_cmplt_pd(v, t))) << j;
    }
    return m;
  } else if constexpr (std::is_same_v<T, int32_t>) {
    const __m128i t = _mm_set1_epi32(tv);
    unsigned m = 0;
    for (int j = 0; j < 16; j += 4) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(x + j));
      const __m128i c = Largest ? _mm_cmpgt_epi32(v, t) : _mm_cmpgt_epi32(t, v);
      m |= static_cast<unsigned>(_mm_movemask_ps(_mm_castsi128_ps(c))) << j;
    }
    return m;
  }
#endif
  unsigned m = 0;
  for (int j = 0; j < 16; ++j) m |= static_cast<unsigned>(beats<Largest>(x[j], tv)) << j;
  return m;
}

// The index of the first x[i] (from <= i < n) that beats tv, or n.
template <bool Largest, typename T>
int64_t next_contender(const T* x, int64_t from, int64_t n, T tv) {
  int64_t i = from;
  for (; i + 16 <= n; i += 16)
    if (unsigned m = block_beats<Largest>(x + i, tv)) return i + lowest_bit(m);
  for (; i < n; ++i)
    if (beats<Largest>(x[i], tv)) return i;
  return n;
}

// Note [Topk ties]
// PyTorch's CPU topk (TopKImpl.h) runs std::partial_sort when k * 64 <= n and otherwise
// std::nth_element followed, when sorted, by std::sort of the first k - 1 elements, on
// (value, index) pairs compared by value only; which of several equal elements are kept,
// and their order, is whatever those algorithms leave. Here the comparator agrees with
// PyTorch's on every pair (Note [Sort keys]) and the algorithms are libstdc++'s, so the
// results match PyTorch's Linux builds exactly: the nth_element path calls the std
// functions, and the partial_sort path takes the steps of libstdc++'s heap selection
// (the SGI STL heap below): a max-heap of the first k elements; each later element that
// compares before the top replaces it (adjust_heap from the root); then the heap is sorted
// by moving its top to the back k - 1 times. Elements that do not compare before the top
// are skipped in blocks without building their items.

// libstdc++'s __adjust_heap: moves the hole at `hole` down to a leaf, always to the child
// that compares later (the right one on ties), then sifts v up from there to `hole`.
template <typename K>
void adjust_heap(Item<K>* h, int64_t hole, int64_t len, Item<K> v) {
  const int64_t top = hole;
  int64_t child = hole;
  while (child < (len - 1) / 2) {
    child = 2 * (child + 1);
    child -= h[child].key < h[child - 1].key;
    h[hole] = h[child];
    hole = child;
  }
  if ((len & 1) == 0 && child == (len - 2) / 2) {
    child = 2 * (child + 1);
    h[hole] = h[child - 1];
    hole = child - 1;
  }
  for (int64_t parent = (hole - 1) / 2; hole > top && h[parent].key < v.key; parent = (hole - 1) / 2) {
    h[hole] = h[parent];
    hole = parent;
  }
  h[hole] = v;
}

template <bool Largest, typename T>
void heap_topk(Item<Key<T>>* h, const T* x, int64_t n, int64_t k) {
  using K = Key<T>;
  constexpr K flip = Largest ? ~K(0) : K(0);
  load_items(h, x, k, flip);
  for (int64_t parent = (k - 2) / 2; k >= 2 && parent >= 0; --parent) adjust_heap(h, parent, k, h[parent]);
  for (int64_t i = k; i < n; ++i) {
    const T tv = x[h[0].idx];
    if (tv != tv) {
      if (Largest) break;  // a NaN top is never displaced
    } else {
      i = next_contender<Largest>(x, i, n, tv);
      if (i == n) break;
    }
    const Item<K> e{key_of(x[i]) ^ flip, static_cast<uint32_t>(i)};
    if (e.key < h[0].key) adjust_heap(h, 0, k, e);  // false only for a NaN after a NaN top
  }
  for (int64_t last = k - 1; last > 0; --last) {
    const Item<K> v = h[last];
    h[last] = h[0];
    adjust_heap(h, 0, last, v);
  }
}

// Whether a fast path that can fail is worth trying on the next row of a chunk: not once it
// has failed three times more than it succeeded, as on rows full of ties.
struct Attempts {
  int64_t wins = 0, losses = 0;
  bool worth() const { return losses < wins + 3; }
  bool record(bool ok) {
    ++(ok ? wins : losses);
    return ok;
  }
};

// Sorts the m >= k candidates a[0..m) (every element whose key is at or below some bound;
// 2m items of room) and says whether their k first are the answer whatever the algorithm:
// no two of them share a key, nor does the k-th with the next (Note [Unique ranks]).
template <typename K>
bool sort_unique(Item<K>*& a, int64_t m, int64_t k) {
  a = sort_items(a, a + m, m);
  for (int64_t j = 1; j < std::min(m, k + 1); ++j)
    if (a[j].key == a[j - 1].key) return false;
  return true;
}

// The k first of row x[0..n) in key order, sorted, into a (2n items), or false when a tie
// decides them. For k * 64 > n the bound on their keys is the k-th key itself (rank_key);
// otherwise it is the k-th smallest of the minima of 32-key blocks (k blocks hold a key at
// or below it), and only the blocks whose minimum is within it are searched. keys holds
// n + n / 16 + 2 keys of scratch.
template <typename T>
bool unique_topk(Item<Key<T>>*& a, const T* x, int64_t n, int64_t k, Key<T> flip, Key<T>* keys) {
  using K = Key<T>;
  int64_t m = 0;
  if (k * 64 > n) {
    const Rank<T> r = rank_key(x, n, k - 1, flip, keys);
    if (r.equal != 1) return false;
    for (int64_t i = 0; i < n; ++i) {  // branch-free, as in rank_key
      const K key = key_of(x[i]) ^ flip;
      a[m] = {key, static_cast<uint32_t>(i)};
      m += key <= r.key;
    }
    return sort_unique(a, m, k);
  }
  constexpr int64_t kBlock = 32;
  const int64_t nb = (n + kBlock - 1) / kBlock;
  K *mins = keys + n, *kth = mins + nb;
  for (int64_t i = 0; i < n; ++i) keys[i] = key_of(x[i]) ^ flip;
  for (int64_t b = 0; b < nb; ++b) {
    K lo = keys[b * kBlock];
    for (int64_t i = b * kBlock + 1; i < std::min(n, (b + 1) * kBlock); ++i) lo = std::min(lo, keys[i]);
    mins[b] = kth[b] = lo;
  }
  std::nth_element(kth, kth + k - 1, kth + nb);
  const K bound = kth[k - 1];
  for (int64_t b = 0; b < nb; ++b) {
    if (mins[b] > bound) continue;
    for (int64_t i = b * kBlock; i < std::min(n, (b + 1) * kBlock); ++i) {
      a[m] = {keys[i], static_cast<uint32_t>(i)};
      m += keys[i] <= bound;
    }
  }
  return sort_unique(a, m, k);
}

template <typename T>
void topk_rows(T* v, int64_t* ix, const T* x, int64_t rows, int64_t n, int64_t k, bool largest, bool sorted) {
  using K = Key<T>;
  const K flip = largest ? ~K(0) : K(0);
  const bool heap = k * 64 <= n;
  // Heap selection skips most of a long row in vector compares, while unique_topk reads it
  // all: with random rows they break even at n of 128-256 k.
  const bool try_unique = heap ? n <= 128 * k : sorted;
  parallel_for(0, rows, grain_per_item(heap ? n : 4 * n), [&](int64_t r0, int64_t r1) {
    std::unique_ptr<Item<K>[]> buf(new Item<K>[static_cast<size_t>(try_unique ? 2 * n : heap ? k + 1 : n)]);
    std::unique_ptr<K[]> keys(try_unique ? new K[static_cast<size_t>(n + n / 16 + 2)] : nullptr);
    Attempts unique;
    for (int64_t r = r0; r < r1; ++r) {
      const T* xr = x + r * n;
      Item<K>* a = buf.get();  // unique_topk may leave its result in the second half
      if (!(try_unique && unique.worth() && unique.record(unique_topk(a, xr, n, k, flip, keys.get())))) {
        a = buf.get();
        if (heap && largest) {
          heap_topk<true>(a, xr, n, k);
        } else if (heap) {
          heap_topk<false>(a, xr, n, k);
        } else {
          load_items(a, xr, n, flip);
          std::nth_element(a, a + k - 1, a + n, KeyBefore{});
          if (sorted) std::sort(a, a + k - 1, KeyBefore{});
        }
      }
      store_items(v + r * k, ix + r * k, a, xr, k);
    }
  });
}

// ---- kthvalue / median

// Note [Kthvalue ties]
// PyTorch's kthvalue runs quick_select_template (Sorting.cpp: Sedgewick's partitioning with
// a median-of-three pivot) on (value, index) pairs compared by value; the index it returns
// among equal values is wherever that leaves them, so the same steps are taken here when
// the k-th value is tied. For median PyTorch orders by (value, index) with
// std::nth_element, a total order under which any selection returns the same element.
template <typename K, typename Gt>
void quick_select(Item<K>* a, int64_t n, int64_t k, Gt gt) {
  int64_t lo = 0, hi = n - 1;
  while (hi > lo) {
    if (hi == lo + 1) {
      if (gt(a[lo], a[hi])) std::swap(a[lo], a[hi]);
      return;
    }
    // Order a[lo + 1] <= a[lo] <= a[hi] from three candidates: a[lo] is the pivot, and the
    // other two stop the scans below at the ends.
    std::swap(a[(lo + hi) >> 1], a[lo + 1]);
    if (gt(a[lo + 1], a[hi])) std::swap(a[lo + 1], a[hi]);
    if (gt(a[lo], a[hi])) std::swap(a[lo], a[hi]);
    if (gt(a[lo + 1], a[lo])) std::swap(a[lo + 1], a[lo]);
    const Item<K> piv = a[lo];
    int64_t i = lo + 1, j = hi;
    while (true) {
      do ++i; while (gt(piv, a[i]));
      do --j; while (gt(a[j], piv));
      if (j < i) break;
      std::swap(a[i], a[j]);
    }
    std::swap(a[lo], a[j]);
    if (j <= k) lo = i;
    if (j >= k) hi = j - 1;
  }
}

template <typename T>
void kth_rows(T* v, int64_t* ix, const T* x, int64_t rows, int64_t n, int64_t k, bool median) {
  using K = Key<T>;
  parallel_for(0, rows, grain_per_item(4 * n), [&](int64_t r0, int64_t r1) {
    std::unique_ptr<Item<K>[]> buf(new Item<K>[static_cast<size_t>(n)]);
    std::unique_ptr<K[]> cand(new K[static_cast<size_t>(n)]);
    Item<K>* a = buf.get();
    Attempts unique;
    for (int64_t r = r0; r < r1; ++r) {
      const T* xr = x + r * n;
      int64_t pick = n;
      if constexpr (std::is_floating_point_v<T>) {
        if (median) pick = std::find_if(xr, xr + n, [](T e) { return e != e; }) - xr;
      }
      if (pick == n && (median || unique.worth())) {
        // Median's (value, index) order ranks equal keys by index: the answer is always
        // the (k - below)-th element with the rank's key (Note [Unique ranks]).
        const Rank<T> rk = rank_key(xr, n, k, K(0), cand.get());
        if (median || unique.record(rk.equal == 1)) pick = index_of_key(xr, n, rk.key, K(0), k - rk.below);
      }
      if (pick < n) {
        v[r] = xr[pick];
        ix[r] = pick;
        continue;
      }
      load_items(a, xr, n, K(0));
      quick_select(a, n, k, [](const Item<K>& p, const Item<K>& q) { return p.key > q.key; });
      store_items(v + r, ix + r, a + k, xr, 1);
    }
  });
}

}  // namespace

void sort_last(const Tensor& values, const Tensor& indices, const Tensor& in, bool descending, bool stable) {
  (void)stable;  // always stable: equal elements keep their input order
  auto [n, rows] = rows_of("sort", in, {&values, &indices});
  dispatch_all(in.dtype(), [&](auto tag) {
    using T = TG_TYPE(tag);
    sort_rows(values.data<T>(), indices.data<int64_t>(), in.data<T>(), rows, n, descending);
  });
}

void topk_last(const Tensor& values, const Tensor& indices, const Tensor& in, int64_t k, bool largest, bool sorted) {
  auto [n, rows] = rows_of("topk", in, {&values, &indices});
  TG_CHECK(k >= 0 && k <= n, "topk: k = ", k, " is out of range for rows of ", n);
  if (k == 0) return;
  dispatch_all(in.dtype(), [&](auto tag) {
    using T = TG_TYPE(tag);
    topk_rows(values.data<T>(), indices.data<int64_t>(), in.data<T>(), rows, n, k, largest, sorted);
  });
}

void kth_last(const Tensor& values, const Tensor& indices, const Tensor& in, int64_t k, bool median) {
  auto [n, rows] = rows_of(median ? "median" : "kthvalue", in, {&values, &indices});
  TG_CHECK(k >= 0 && k < n, median ? "median" : "kthvalue", ": position ", k, " is out of range for rows of ", n);
  dispatch_all(in.dtype(), [&](auto tag) {
    using T = TG_TYPE(tag);
    kth_rows(values.data<T>(), indices.data<int64_t>(), in.data<T>(), rows, n, k, median);
  });
}

}  // namespace cpu
}  // namespace tg

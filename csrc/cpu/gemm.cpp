#include "cpu/gemm.h"

#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>
#include "core/backend.h"
#include "cpu/parallel.h"
#include "cpu/vec.h"

#ifdef TG_HAVE_CBLAS
#include <cblas.h>
#endif

#ifndef TG_BLAS_NAME
#define TG_BLAS_NAME "builtin"
#endif

#ifdef TG_HAVE_CBLAS
constexpr bool kHaveBlas = true;
#else
constexpr bool kHaveBlas = false;
#endif

namespace tg {
namespace cpu {
namespace {

// A matrix operand as (pointer, leading dimension, transposed?) in row-major terms, or
// none when neither stride is 1 (then the caller packs it first).
struct MatRef {
  bool ok = false;
  bool trans = false;
  int64_t ld = 0;
};

MatRef mat_ref(const Tensor& t) {
  MatRef r;
  const int64_t rows = t.size(0), cols = t.size(1), s0 = t.stride(0), s1 = t.stride(1);
  const int64_t rmax = rows > 1 ? rows : 1, cmax = cols > 1 ? cols : 1;
  if ((cols == 1 || s1 == 1) && (rows == 1 || s0 >= cmax)) {
    r.ok = true;
    r.ld = rows == 1 ? cmax : s0;
  } else if ((rows == 1 || s0 == 1) && (cols == 1 || s1 >= rmax)) {
    r.ok = true;
    r.trans = true;
    r.ld = cols == 1 ? rmax : s1;
  }
  return r;
}

Tensor packed(const Tensor& t) {
  Tensor c = Tensor::empty(t.sizes(), t.dtype(), t.device());
  backend_for(t.device()).copy(c, t);
  return c;
}

// Built-in kernel for dtypes other than float32 (and float64 without BLAS) on row-major
// operands: i-k-j order so the inner loop streams rows of b and c (vectorizable). Blocked
// over k and j to stay in cache.
template <typename T>
void gemm_builtin(int64_t M, int64_t N, int64_t K, T alpha, const T* A, int64_t lda, bool ta, const T* B, int64_t ldb,
                  bool tb, T beta, T* C, int64_t ldc) {
  for (int64_t i = 0; i < M; ++i) {
    T* crow = C + i * ldc;
    if (beta == T(0)) std::fill(crow, crow + N, T(0));
    else if (beta != T(1)) for (int64_t j = 0; j < N; ++j) crow[j] *= beta;
  }
  // Pack B row-major once if it is transposed, so the inner loop is unit stride.
  std::vector<T> bpack;
  if (tb) {
    bpack.resize(static_cast<size_t>(K * N));
    for (int64_t k = 0; k < K; ++k)
      for (int64_t j = 0; j < N; ++j) bpack[k * N + j] = B[j * ldb + k];
    B = bpack.data();
    ldb = N;
  }
  constexpr int64_t KB = 256, JB = 512;
  // Rows of C are independent: split them over the pool, about 64K multiply-adds a chunk.
  const int64_t grain = std::max<int64_t>(1, 65536 / std::max<int64_t>(1, N * K));
  parallel_for(0, M, grain, [&](int64_t i0, int64_t i1) {
    for (int64_t k0 = 0; k0 < K; k0 += KB) {
      int64_t k1 = std::min(K, k0 + KB);
      for (int64_t j0 = 0; j0 < N; j0 += JB) {
        int64_t j1 = std::min(N, j0 + JB);
        for (int64_t i = i0; i < i1; ++i) {
          T* crow = C + i * ldc;
          for (int64_t k = k0; k < k1; ++k) {
            T aik = alpha * (ta ? A[k * lda + i] : A[i * lda + k]);
            // Skipping zeros is exact for integers; for floats 0 * inf and 0 * NaN are NaN.
            if constexpr (!std::is_floating_point<T>::value) {
              if (aik == T(0)) continue;
            }
            const T* brow = B + k * ldb;
            for (int64_t j = j0; j < j1; ++j) crow[j] += aik * brow[j];
          }
        }
      }
    }
  });
}

// Note [Built-in gemm]: without BLAS (or with TENSORGRAD_GEMM=builtin), float32 products at
// the baseline and AVX-512 levels (the AVX2 level runs Note [Packed AVX2 gemm]) are blocked
// and packed: a KC x NC block of B goes into panels of gemm_nr columns (each kc
// rows of gemm_nr floats, zero-padded past N), each MC x KC block of A into panels of kGemmMR
// rows (kc columns of kGemmMR floats, zero-padded past M), and the register tile
// (vec().gemm_tile_f32, compiled per ISA) runs over every panel pair. A B panel (kc x nr,
// 32 KiB with AVX-512) stays in L1 while a block of A (96 x 256 floats) sits in L2. Row
// panels of A are split over the pool; the caller packs B once per block.
void gemm_builtin_f32(bool ta, bool tb, int64_t M, int64_t N, int64_t K, float alpha, const float* A, int64_t lda,
                      const float* B, int64_t ldb, float beta, float* C, int64_t ldc) {
  const VecKernels& v = vec();
  const int64_t MR = kGemmMR, NR = v.gemm_nr;
  constexpr int64_t KC = 256, NC = 2048, MC_PANELS = 16;
  if (beta != 0.0f && beta != 1.0f)
    for (int64_t i = 0; i < M; ++i)
      for (int64_t j = 0; j < N; ++j) C[i * ldc + j] *= beta;
  const int64_t m_panels = (M + MR - 1) / MR;
  thread_local std::vector<float> bpack;  // reused across calls, like apack below
  for (int64_t jc = 0; jc < N; jc += NC) {
    const int64_t nc = std::min(NC, N - jc), n_panels = (nc + NR - 1) / NR;
    for (int64_t pc = 0; pc < K; pc += KC) {
      const int64_t kc = std::min(KC, K - pc);
      bpack.resize(static_cast<size_t>(n_panels * NR * kc));
      for (int64_t jp = 0; jp < n_panels; ++jp) {
        float* dst = bpack.data() + jp * NR * kc;
        const int64_t j0 = jc + jp * NR, nr = std::min(NR, N - j0);
        for (int64_t k = 0; k < kc; ++k, dst += NR) {
          int64_t j = 0;
          if (!tb) for (const float* src = B + (pc + k) * ldb + j0; j < nr; ++j) dst[j] = src[j];
          else for (const float* src = B + j0 * ldb + pc + k; j < nr; ++j) dst[j] = src[j * ldb];
          for (; j < NR; ++j) dst[j] = 0.0f;
        }
      }
      // beta == 0 never reads C (NaN there does not leak into the result), as in BLAS.
      const bool accumulate = pc > 0 || beta != 0.0f;
      const int64_t grain = std::max<int64_t>(1, (1 << 20) / std::max<int64_t>(1, MR * nc * kc));
      const float* bpacked = bpack.data();  // the caller's buffer (workers have their own bpack)
      parallel_for(0, m_panels, grain, [&](int64_t p0, int64_t p1) {
        thread_local std::vector<float> apack;
        for (int64_t q0 = p0; q0 < p1; q0 += MC_PANELS) {
          const int64_t q1 = std::min(p1, q0 + MC_PANELS);
          apack.resize(static_cast<size_t>((q1 - q0) * MR * kc));
          for (int64_t q = q0; q < q1; ++q) {
            float* dst = apack.data() + (q - q0) * MR * kc;
            const int64_t i0 = q * MR, mr = std::min(MR, M - i0);
            for (int64_t k = 0; k < kc; ++k, dst += MR) {
              int64_t i = 0;
              if (!ta) for (const float* src = A + i0 * lda + pc + k; i < mr; ++i) dst[i] = src[i * lda];
              else for (const float* src = A + (pc + k) * lda + i0; i < mr; ++i) dst[i] = src[i];
              for (; i < MR; ++i) dst[i] = 0.0f;
            }
          }
          for (int64_t jp = 0; jp < n_panels; ++jp) {
            const int64_t j0 = jc + jp * NR, nr = std::min(NR, N - j0);
            const float* bp = bpacked + jp * NR * kc;
            for (int64_t q = q0; q < q1; ++q) {
              const int64_t i0 = q * MR, mr = std::min(MR, M - i0);
              v.gemm_tile_f32(kc, apack.data() + (q - q0) * MR * kc, bp, C + i0 * ldc + j0, ldc, static_cast<int>(mr),
                              static_cast<int>(nr), alpha, accumulate);
            }
          }
        }
      });
    }
  }
}

// TENSORGRAD_GEMM picks the float32 product kernels, for tests and comparisons: `builtin`
// sends float32 and float64 products to the built-in packed gemms even when BLAS is linked;
// `direct` sends every float32 product the direct gemm can take to it, whatever its shape;
// `packed` sends every float32 product to the packed AVX2 gemm (at the AVX2 level); `blas`
// uses neither the direct gemm nor the packed one. Unset (or any other value), Notes [Direct
// gemm] and [Packed AVX2 gemm] decide.
enum class GemmMode { Auto, Builtin, Direct, Blas, Packed };

double gemm_flops(int64_t M, int64_t N, int64_t K) {
  return 2.0 * static_cast<double>(M) * static_cast<double>(N) * static_cast<double>(K);
}
// Products below this stay on the calling thread (Note [BLAS threads]).
constexpr double kSplitFlops = 2.5e6;

GemmMode gemm_mode() {
  static const GemmMode mode = [] {
    const char* e = std::getenv("TENSORGRAD_GEMM");
    if (!e) return GemmMode::Auto;
    if (std::strcmp(e, "builtin") == 0) return GemmMode::Builtin;
    if (std::strcmp(e, "direct") == 0) return GemmMode::Direct;
    if (std::strcmp(e, "blas") == 0) return GemmMode::Blas;
    if (std::strcmp(e, "packed") == 0) return GemmMode::Packed;
    return GemmMode::Auto;
  }();
  return mode;
}
bool builtin_forced() { return gemm_mode() == GemmMode::Builtin; }

void gemm_direct(bool ta, int64_t M, int64_t N, int64_t K, float alpha, const float* A, int64_t lda, const float* B,
                 int64_t ldb, float beta, float* C, int64_t ldc) {
  GemmDirectF32* run = vec().gemm_direct_f32;
  const int64_t rsa = ta ? 1 : lda, csa = ta ? lda : 1;
  const int threads = get_num_threads();
  constexpr int64_t MR = 8;  // the tile's rows: threads get whole tiles, so only the last block has an edge
  const int64_t panels = (M + MR - 1) / MR;
  if (threads <= 1 || gemm_flops(M, N, K) < kSplitFlops || panels < 2) {
    run(M, N, K, alpha, A, rsa, csa, B, ldb, beta, C, ldc);
    return;
  }
  // parallel_for splits only when there are two grains of work: a grain of panels / threads.
  parallel_for(0, panels, panels / threads, [&](int64_t p0, int64_t p1) {
    const int64_t i0 = p0 * MR, i1 = std::min(M, p1 * MR);
    run(i1 - i0, N, K, alpha, A + i0 * rsa, rsa, csa, B, ldb, beta, C + i0 * ldc, ldc);
  });
}

// Note [BLAS threads]: OpenBLAS runs single-threaded inside tensorgrad's pool (see
// parallel.cpp): a large product is split into column (or row) blocks, one cblas call per
// block on a pool thread, so the pool and BLAS never run more threads than setNumThreads
// allows. Two sets of threads spinning on the same cores made products and the elementwise
// ops around them slower with two threads than with one (and OpenBLAS's own threading, tried
// again on the MLP step, still ran 1.3x slower). The packed AVX2 gemm is split the same way.
//
// Blocks go along the larger of M and N, so the smaller operand is the one each call packs
// again; with K < 64 packing is cheap and the rows of C stay whole, so those split by rows
// (the MLP's last layer on two threads: 256x512 @ 512x10 55 -> 21-35 us, 512x256 @ 256x10
// 64 -> 18-31 us). Below 2.5 MFLOP (about 12 us a thread) a second thread is a gamble on
// this shared 2-core host: 64x100x100 ran 2x faster in some processes and 2x slower in others.
// `call(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)` runs one block.
template <typename T, typename Call>
void split_gemm(const Call& call, bool ta, bool tb, int64_t M, int64_t N, int64_t K, T alpha, const T* A, int64_t lda,
                const T* B, int64_t ldb, T beta, T* C, int64_t ldc) {
  const int threads = get_num_threads();
  if (threads <= 1 || gemm_flops(M, N, K) < kSplitFlops) {
    call(ta, tb, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
    return;
  }
  if (N >= M && K >= 64) {
    // Column blocks of B and C. B is K x N (or N x K when transposed).
    const int64_t grain = std::max<int64_t>(16, N / threads);
    parallel_for(0, N, grain, [&](int64_t j0, int64_t j1) {
      call(ta, tb, M, j1 - j0, K, alpha, A, lda, tb ? B + j0 * ldb : B + j0, ldb, beta, C + j0, ldc);
    });
  } else {
    // Row blocks of A and C. A is M x K (or K x M when transposed).
    const int64_t grain = std::max<int64_t>(16, M / threads);
    parallel_for(0, M, grain, [&](int64_t i0, int64_t i1) {
      call(ta, tb, i1 - i0, N, K, alpha, ta ? A + i0 : A + i0 * lda, lda, B, ldb, beta, C + i0 * ldc, ldc);
    });
  }
}

#ifdef TG_HAVE_CBLAS
template <typename T>
void blas_call(bool ta, bool tb, int64_t m, int64_t n, int64_t k, T alpha, const T* a, int64_t lda, const T* b,
               int64_t ldb, T beta, T* c, int64_t ldc) {
  if constexpr (std::is_same<T, float>::value) {
    cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, m, n, k, alpha, a, lda, b,
                ldb, beta, c, ldc);
  } else {
    cblas_dgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, m, n, k, alpha, a, lda, b,
                ldb, beta, c, ldc);
  }
}
#endif

}  // namespace

// Note [Direct gemm]: a float32 product whose B has unit-stride rows can skip packing:
// vec().gemm_direct_f32 (cpu/gemm_direct.inc) broadcasts A where it lies (row-major or
// transposed) against B's rows read in place, in 8 x 32 register tiles with masked edges
// (edges of 1-8 columns run apart: Note [Narrow edges] in cpu/gemm_direct.inc).
// BLAS packs both operands on every call; where B stays in L2 between row panels, that copy
// costs more than the unpacked reads do. On one Zen 4 core, the seed-004 products
// (64x1000 @ 1000x100 and its weight gradient 1000x64^T @ 64x100) take 122-124 and 128-133 us
// against OpenBLAS's 140-151 and 137-144, and narrow outputs (N = 10) 0.6-0.75x OpenBLAS's
// time. Where B outgrows L2 each row panel streams it again from L3: 256x784 @ 784x512 ran
// 5-10% faster alone but slower inside the MLP step, beside the other tensors, and a
// 2048x2048 B (rows 8 KiB apart, in a few L1 sets) 4x slower. So the direct gemm takes a
// product only when:
//   - the CPU runs the AVX-512 kernels (only that level has a direct tile; measured on Zen 4,
//     whose 512-bit instructions are split in two, as OpenBLAS's Cooperlake kernels are);
//   - B is not transposed, N <= 512 and K * N < 2^17 (B under 512 KiB);
//   - 2 M N K >= 2 MFLOP (below that OpenBLAS's small-matrix kernels are as fast or faster);
//   - M <= 512 rows unless N <= 128 (alone, the losses, up to 1.09x, had M >= 512, N >= 256).
// Row panels are split over the pool in whole 8-row tiles (rows of C are independent, so the
// split changes no bit of the result).
bool gemm_direct_enabled() {
  return vec().gemm_direct_f32 && gemm_mode() != GemmMode::Blas && gemm_mode() != GemmMode::Builtin;
}

bool gemm_direct_takes(int64_t M, int64_t N, int64_t K) {
  if (!gemm_direct_enabled()) return false;
  if (gemm_mode() == GemmMode::Direct) return true;
  return N <= 512 && K * N < (int64_t{1} << 17) && gemm_flops(M, N, K) >= 2e6 && (M <= 512 || N <= 128);
}

// Note [Packed AVX2 gemm]: on CPUs whose best level is AVX2 (no AVX-512), every float32
// product runs on vec().gemm_packed_f32 (cpu/gemm_packed.inc), split over the pool as BLAS
// calls are (Note [BLAS threads]); float64 stays with BLAS. It is the usual blocked gemm:
// KC x NC blocks of B packed into 16-column panels, MC x KC blocks of A into 6-row panels, and
// a 6 x 16 register tile (12 accumulators) over each pair; what sets it apart from the generic
// built-in gemm (Note [Built-in gemm]) is that both operands, in either layout, are packed
// with vector loads and 8 x 8 register transposes, that edge panels run tiles of their own
// size (1-6 rows, 8 or 16 columns) instead of a full tile, and that with a single B panel
// (N <= 16) the tile reads A where it lies, since packing it would cost as much as the product;
// a matrix-vector product (N = 1) runs as its transpose, reading A in order. Where A is one
// block (M <= 144), each B panel is packed just before its tiles, into a buffer that stays in
// L1 (3-13% off products with M = 8-64 on the Zen 3 host below, the seed-004 shapes among
// them); and a last row panel of 1 or 2 rows runs with the one before as 4 + 3 or 4 + 4 rows,
// since a tile of ROWS rows keeps only 2 ROWS of the 8 sums the FMA pipes need in flight (5-8%
// off M = 8 and 14). Where A has several blocks, the tiles over one B panel fetch the next into
// L2 (1-4% off squares of 1024-2048 on a loaded host, 512 within 2%, alternated in one process
// with the code without it, in both orders). The convolutions give it their column matrices
// without forming them (Note [Tap matrices] in conv_kernels.cpp).
// On the Zen 3 host of bench/RESULTS.md, one core, against OpenBLAS 0.3.21's Zen kernels
// timed alternately in one process (bench/gemm_packed_ab.cc, median of 21 rounds, two runs),
// its time over OpenBLAS's: 0.37 at 16^3 (OpenBLAS's per-call cost is larger), 0.67-0.69 for
// 512 x 512 matrix-vector products, 0.61-1.01 with K or N = 10, 0.76-0.93 for conv2d's im2col
// products, 0.84-1.05 for the seed-004 shapes, 0.86-1.02 for the MLP's, 0.83-1.00 for squares
// up to 1024, and 0.99-1.05 at 2048 (the host's noise spans about 5%).
// TENSORGRAD_GEMM=blas keeps float32 on BLAS, `packed` forces this gemm (at the AVX2 level),
// and `builtin` runs it as the built-in gemm of the AVX2 level.
bool gemm_packed_enabled() { return vec().gemm_packed_f32 && gemm_mode() != GemmMode::Blas; }

const char* blas_name() {
  static const std::string name = [] {
    const std::string packed = vec().gemm_packed_f32 ? "" : ", unused: no AVX2 level";
    switch (gemm_mode()) {
      case GemmMode::Builtin: return std::string("builtin (TENSORGRAD_GEMM=builtin)");
      case GemmMode::Direct:
        // Only the AVX-512 kernels have a direct tile; elsewhere BLAS (or a built-in gemm) runs.
        return std::string(TG_BLAS_NAME) +
               (vec().gemm_direct_f32 ? " (TENSORGRAD_GEMM=direct)" : " (TENSORGRAD_GEMM=direct, unused: no AVX-512)");
      case GemmMode::Blas: return std::string(TG_BLAS_NAME " (TENSORGRAD_GEMM=blas)");
      case GemmMode::Packed: return std::string(TG_BLAS_NAME " (TENSORGRAD_GEMM=packed") + packed + ")";
      case GemmMode::Auto: break;
    }
    if (vec().gemm_packed_f32 && kHaveBlas) return std::string(TG_BLAS_NAME ", float32 on the packed AVX2 gemm");
    return std::string(TG_BLAS_NAME);
  }();
  return name.c_str();
}

void gemm_strided(const Tensor& c_in, const Tensor& a_in, const Tensor& b_in, double alpha, double beta) {
  const int64_t M = a_in.size(0), K = a_in.size(1), N = b_in.size(1);
  if (M == 0 || N == 0) return;
  Tensor a = a_in, b = b_in;
  MatRef ra = mat_ref(a), rb = mat_ref(b);
  if (!ra.ok) { a = packed(a); ra = mat_ref(a); }
  if (!rb.ok) { b = packed(b); rb = mat_ref(b); }
  // C must be row-major with unit column stride; otherwise compute into a temporary.
  Tensor c = c_in;
  bool c_direct = (c.stride(1) == 1 || N == 1) && (M == 1 || c.stride(0) >= N);
  if (!c_direct) c = packed(c_in);
  const int64_t ldc = M == 1 ? N : c.stride(0);
  if (K == 0) {
    dispatch_all(c.dtype(), [&](auto tag) {
      using T = TG_TYPE(tag);
      T* cp = c.data<T>();
      for (int64_t i = 0; i < M; ++i)
        for (int64_t j = 0; j < N; ++j) cp[i * ldc + j] = beta == 0 ? T(0) : static_cast<T>(cp[i * ldc + j] * beta);
    });
  } else {
    if (c.dtype() == DType::Float32 && !rb.trans && gemm_direct_takes(M, N, K)) {
      gemm_direct(ra.trans, M, N, K, static_cast<float>(alpha), a.data<float>(), ra.ld, b.data<float>(), rb.ld,
                  static_cast<float>(beta), c.data<float>(), ldc);
    } else if (c.dtype() == DType::Float32 && gemm_packed_enabled()) {
      split_gemm<float>(*vec().gemm_packed_f32, ra.trans, rb.trans, M, N, K, static_cast<float>(alpha), a.data<float>(),
                        ra.ld, b.data<float>(), rb.ld, static_cast<float>(beta), c.data<float>(), ldc);
    } else if (c.dtype() == DType::Float32 && (builtin_forced() || !kHaveBlas)) {
      gemm_builtin_f32(ra.trans, rb.trans, M, N, K, static_cast<float>(alpha), a.data<float>(), ra.ld, b.data<float>(),
                       rb.ld, static_cast<float>(beta), c.data<float>(), ldc);
    } else
#ifdef TG_HAVE_CBLAS
    if (c.dtype() == DType::Float32) {
      split_gemm<float>(blas_call<float>, ra.trans, rb.trans, M, N, K, static_cast<float>(alpha), a.data<float>(), ra.ld,
                        b.data<float>(), rb.ld, static_cast<float>(beta), c.data<float>(), ldc);
    } else if (c.dtype() == DType::Float64 && !builtin_forced()) {
      split_gemm<double>(blas_call<double>, ra.trans, rb.trans, M, N, K, alpha, a.data<double>(), ra.ld, b.data<double>(),
                         rb.ld, beta, c.data<double>(), ldc);
    } else
#endif
    {
      dispatch_all(c.dtype(), [&](auto tag) {
        using T = TG_TYPE(tag);
        if constexpr (std::is_same<T, bool>::value) {
          fail(ErrorKind::DType, "\"addmm_impl_cpu_\" not implemented for 'Bool'");
        } else {
          gemm_builtin<T>(M, N, K, static_cast<T>(alpha), a.data<T>(), ra.ld, ra.trans, b.data<T>(), rb.ld, rb.trans,
                          static_cast<T>(beta), c.data<T>(), ldc);
        }
      });
    }
  }
  if (!c_direct) backend_for(c_in.device()).copy(c_in, c);
}

}  // namespace cpu
}  // namespace tg

// The packed AVX2 float32 gemm (csrc/cpu/gemm_packed.inc, Note [Packed AVX2 gemm] in
// csrc/cpu/gemm.cpp) against OpenBLAS's cblas_sgemm, one thread, timed alternately in one
// process: each of 21 rounds times a batch of one and then of the other, and the line gives
// both medians (GFLOP/s) and the median time ratio (packed / OpenBLAS). Alternating in one
// process keeps the host's minute-to-minute drift out of the ratio. Needs an AVX2 CPU and
// libopenblas-dev; not part of npm test:
//
//   g++ -O3 -std=gnu++17 -Icsrc -o /tmp/gemm_packed_ab bench/gemm_packed_ab.cc -lopenblas
//   /tmp/gemm_packed_ab
#include <immintrin.h>
#include <cblas.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <new>
#include <vector>

#include "packed_gemm_avx2.h"

int main() {
  if (!__builtin_cpu_supports("avx2") || !__builtin_cpu_supports("fma")) {
    std::fprintf(stderr, "gemm_packed_ab: this CPU has no AVX2/FMA\n");
    return 1;
  }
  openblas_set_num_threads(1);
  // M, N, K, A transposed, B transposed: tiny squares, matrix-vector and narrow products, the
  // seed-004 and MLP products (forward and both gradients), conv2d's im2col products, squares.
  const int64_t shapes[][5] = {
      {16, 16, 16, 0, 0},     {64, 64, 64, 0, 0},     {1, 512, 512, 0, 0},     {512, 1, 512, 1, 0},
      {512, 1, 512, 0, 0},
      {64, 100, 1000, 0, 0},  {1000, 100, 64, 1, 0},  {64, 1000, 100, 0, 1},   {64, 10, 100, 0, 0},
      {100, 10, 64, 1, 0},    {64, 100, 10, 0, 1},    {256, 512, 784, 0, 0},   {784, 512, 256, 1, 0},
      {256, 784, 512, 0, 1},  {256, 512, 512, 0, 0},  {512, 512, 256, 1, 0},   {256, 10, 512, 0, 0},
      {512, 10, 256, 1, 0},   {256, 512, 10, 0, 1},   {64, 2304, 36, 0, 0},    {36, 64, 2304, 0, 1},
      {2304, 36, 64, 1, 0},   {256, 256, 256, 0, 0},  {512, 512, 512, 0, 0},   {512, 512, 512, 1, 1},
      {1024, 1024, 1024, 0, 0}, {2048, 2048, 2048, 0, 0}};
  for (const auto& s : shapes) {
    const int64_t M = s[0], N = s[1], K = s[2];
    const bool ta = s[3], tb = s[4];
    std::vector<float> A(M * K), B(K * N), C(M * N);
    for (float& x : A) x = static_cast<float>(std::rand()) / RAND_MAX - 0.5f;
    for (float& x : B) x = static_cast<float>(std::rand()) / RAND_MAX - 0.5f;
    const int64_t lda = ta ? M : K, ldb = tb ? K : N;
    const double flops = 2.0 * M * N * K;
    const int reps = std::max(1, static_cast<int>(2e7 / std::max(flops, 2e4)));
    std::vector<double> blas, packed;
    for (int r = 0; r < 21; ++r) {
      const double t0 = now();
      for (int i = 0; i < reps; ++i)
        cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, M, N, K, 1.0f,
                    A.data(), lda, B.data(), ldb, 0.0f, C.data(), N);
      const double t1 = now();
      for (int i = 0; i < reps; ++i)
        tg::cpu::isa_avx2::packed_gemm::gemm_packed_f32(ta, tb, M, N, K, 1.0f, A.data(), lda, B.data(), ldb, 0.0f,
                                                         C.data(), N);
      const double t2 = now();
      blas.push_back((t1 - t0) / reps);
      packed.push_back((t2 - t1) / reps);
    }
    std::sort(blas.begin(), blas.end());
    std::sort(packed.begin(), packed.end());
    std::printf("%5ldx%5ldx%5ld%s%s  openblas %5.1f  packed %5.1f GFLOP/s  packed/openblas time %.2f\n",
                static_cast<long>(M), static_cast<long>(N), static_cast<long>(K), ta ? " A^T" : "    ",
                tb ? " B^T" : "    ", flops / blas[10] / 1e9, flops / packed[10] / 1e9, packed[10] / blas[10]);
  }
}

// The packed AVX2 float32 gemm (csrc/cpu/gemm_packed.inc) against the core's FMA peak, measured
// round by round: each round runs the FMA probe's kernel (bench/probes/peak_fma.cpp), a batch
// of products of each shape, and the probe again, so a product's fraction of peak compares
// rates taken within the same second. On a shared host, where the suite's single probe at the
// start and its medians of products come from different moments, this tells whether a
// shortfall is the kernel's or the host's (a neighbour's cache traffic does not slow the
// register-only probe, but does slow the products). One thread; needs an AVX2 CPU; not part of
// npm test:
//
//   g++ -O3 -std=gnu++17 -Icsrc -o /tmp/gemm_vs_peak bench/gemm_vs_peak.cc
//   /tmp/gemm_vs_peak [rounds=15] [M N K ...]     (default shapes: squares 256 to 2048)
#include <immintrin.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <new>
#include <vector>

#include "packed_gemm_avx2.h"

// 12 independent FMA chains in registers: 2 pipes x 4 cycles of latency, with room to spare.
__attribute__((target("avx2,fma"), noinline)) static float fma_chains(long iters, float seed) {
  const __m256 a = _mm256_set1_ps(0.999999f), b = _mm256_set1_ps(1e-7f);
  __m256 c[12];
  for (int i = 0; i < 12; ++i) c[i] = _mm256_set1_ps(seed + static_cast<float>(i));
  for (long k = 0; k < iters; ++k) {
#pragma GCC unroll 12
    for (int i = 0; i < 12; ++i) c[i] = _mm256_fmadd_ps(c[i], a, b);
  }
  __m256 s = c[0];
  for (int i = 1; i < 12; ++i) s = _mm256_add_ps(s, c[i]);
  float t[8];
  _mm256_storeu_ps(t, s);
  return t[0] + t[7];
}

static volatile float g_sink;

// GFLOP/s of the probe: the best of 5 repetitions of about 5 ms each.
static double peak_now() {
  double best = 0;
  for (int r = 0; r < 5; ++r) {
    const long iters = 1000000;
    const double t0 = now();
    g_sink = fma_chains(iters, g_sink + 1.0f);
    best = std::max(best, 12.0 * 16.0 * static_cast<double>(iters) / (now() - t0) / 1e9);
  }
  return best;
}

struct Product {
  int64_t M, N, K;
  std::vector<float> A, B, C;
  std::vector<double> gflops, fraction;
};

int main(int argc, char** argv) {
  if (!__builtin_cpu_supports("avx2") || !__builtin_cpu_supports("fma")) {
    std::fprintf(stderr, "gemm_vs_peak: this CPU has no AVX2/FMA\n");
    return 1;
  }
  const int rounds = argc > 1 ? std::max(1, std::atoi(argv[1])) : 15;
  std::vector<std::array<int64_t, 3>> shapes;
  for (int i = 2; i + 2 < argc; i += 3) shapes.push_back({std::atol(argv[i]), std::atol(argv[i + 1]), std::atol(argv[i + 2])});
  if (shapes.empty()) shapes = {{256, 256, 256}, {512, 512, 512}, {1024, 1024, 1024}, {2048, 2048, 2048}};
  std::vector<Product> products;
  for (const auto& s : shapes) {
    Product p{s[0], s[1], s[2], std::vector<float>(s[0] * s[2]), std::vector<float>(s[2] * s[1]),
              std::vector<float>(s[0] * s[1]), {}, {}};
    for (float& x : p.A) x = static_cast<float>(std::rand()) / RAND_MAX - 0.5f;
    for (float& x : p.B) x = static_cast<float>(std::rand()) / RAND_MAX - 0.5f;
    products.push_back(std::move(p));
  }
  std::vector<double> peaks;
  for (int r = 0; r < rounds; ++r) {
    const double before = peak_now();
    std::vector<double> rates;
    for (Product& p : products) {
      const double flops = 2.0 * static_cast<double>(p.M * p.N * p.K);
      const int reps = std::max(1, static_cast<int>(1e9 / flops));
      const double t0 = now();
      for (int i = 0; i < reps; ++i)
        tg::cpu::isa_avx2::packed_gemm::gemm_packed_f32(false, false, p.M, p.N, p.K, 1.0f, p.A.data(), p.K, p.B.data(),
                                                         p.N, 0.0f, p.C.data(), p.N);
      rates.push_back(flops * reps / (now() - t0) / 1e9);
    }
    const double peak = std::max(before, peak_now());
    peaks.push_back(peak);
    for (size_t i = 0; i < products.size(); ++i) {
      products[i].gflops.push_back(rates[i]);
      products[i].fraction.push_back(rates[i] / peak);
    }
  }
  const auto median = [](std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
  };
  const auto [lo, hi] = std::minmax_element(peaks.begin(), peaks.end());
  std::printf("probe peak: median %.1f GFLOP/s (rounds %.1f-%.1f)\n", median(peaks), *lo, *hi);
  for (const Product& p : products) {
    const auto [flo, fhi] = std::minmax_element(p.fraction.begin(), p.fraction.end());
    std::printf("%5ldx%5ldx%5ld  median %5.1f GFLOP/s, best %5.1f; of the round's peak: median %4.1f%% (rounds %4.1f-%4.1f%%)\n",
                static_cast<long>(p.M), static_cast<long>(p.N), static_cast<long>(p.K), median(p.gflops),
                *std::max_element(p.gflops.begin(), p.gflops.end()), 100 * median(p.fraction), 100 * *flo, 100 * *fhi);
  }
}

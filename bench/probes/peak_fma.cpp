// Peak FP32 FMA throughput probe for bench/run.js (logic from ../shared/bench/peak_fma.cpp).
// Built by the runner: g++ -O3 -march=native -pthread peak_fma.cpp -o ../.build/peak_fma
// Usage: peak_fma [threads=1] [iters=2000000] [reps=25]
// Each thread runs independent FMA chains (acc = acc*a + b) held in registers, so the
// result is the core's FMA issue rate; 2 FLOPs per lane per FMA. Many short repetitions,
// reported as median and max: on a shared machine the max (a repetition that ran alone on
// its core) is the hardware's peak. Prints one JSON object.
#include <immintrin.h>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>
#include <vector>
#include <pthread.h>
#include <sched.h>

static double now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

static void pin(int cpu) {
  cpu_set_t s;
  CPU_ZERO(&s);
  CPU_SET(cpu % std::max(1u, std::thread::hardware_concurrency()), &s);
  pthread_setaffinity_np(pthread_self(), sizeof(s), &s);
}

#define FMA_BLOCK(F) F(c0) F(c1) F(c2) F(c3) F(c4) F(c5) F(c6) F(c7) F(c8) F(c9) F(c10) F(c11)

#ifdef __AVX512F__
// 16 zmm accumulators: enough to cover 2 FMA pipes x 4-cycle latency.
__attribute__((noinline)) float kern512(long iters, float seed) {
  const __m512 a = _mm512_set1_ps(0.999999f), b = _mm512_set1_ps(1e-7f);
  __m512 c0 = _mm512_set1_ps(seed), c1 = _mm512_set1_ps(seed + 1), c2 = _mm512_set1_ps(seed + 2), c3 = _mm512_set1_ps(seed + 3);
  __m512 c4 = _mm512_set1_ps(seed + 4), c5 = _mm512_set1_ps(seed + 5), c6 = _mm512_set1_ps(seed + 6), c7 = _mm512_set1_ps(seed + 7);
  __m512 c8 = _mm512_set1_ps(seed + 8), c9 = _mm512_set1_ps(seed + 9), c10 = _mm512_set1_ps(seed + 10), c11 = _mm512_set1_ps(seed + 11);
  __m512 c12 = _mm512_set1_ps(seed + 12), c13 = _mm512_set1_ps(seed + 13), c14 = _mm512_set1_ps(seed + 14), c15 = _mm512_set1_ps(seed + 15);
  for (long i = 0; i < iters; i++) {
#define F(c) c = _mm512_fmadd_ps(c, a, b);
    FMA_BLOCK(F) F(c12) F(c13) F(c14) F(c15)
#undef F
  }
  __m512 s = _mm512_add_ps(_mm512_add_ps(_mm512_add_ps(c0, c1), _mm512_add_ps(c2, c3)), _mm512_add_ps(_mm512_add_ps(c4, c5), _mm512_add_ps(c6, c7)));
  s = _mm512_add_ps(s, _mm512_add_ps(_mm512_add_ps(_mm512_add_ps(c8, c9), _mm512_add_ps(c10, c11)), _mm512_add_ps(_mm512_add_ps(c12, c13), _mm512_add_ps(c14, c15))));
  return _mm512_reduce_add_ps(s);
}
#endif

#ifdef __AVX2__
__attribute__((noinline)) float kern256(long iters, float seed) {
  const __m256 a = _mm256_set1_ps(0.999999f), b = _mm256_set1_ps(1e-7f);
  __m256 c0 = _mm256_set1_ps(seed), c1 = _mm256_set1_ps(seed + 1), c2 = _mm256_set1_ps(seed + 2), c3 = _mm256_set1_ps(seed + 3);
  __m256 c4 = _mm256_set1_ps(seed + 4), c5 = _mm256_set1_ps(seed + 5), c6 = _mm256_set1_ps(seed + 6), c7 = _mm256_set1_ps(seed + 7);
  __m256 c8 = _mm256_set1_ps(seed + 8), c9 = _mm256_set1_ps(seed + 9), c10 = _mm256_set1_ps(seed + 10), c11 = _mm256_set1_ps(seed + 11);
  for (long i = 0; i < iters; i++) {
#define F(c) c = _mm256_fmadd_ps(c, a, b);
    FMA_BLOCK(F)
#undef F
  }
  __m256 s = _mm256_add_ps(_mm256_add_ps(_mm256_add_ps(c0, c1), _mm256_add_ps(c2, c3)), _mm256_add_ps(_mm256_add_ps(c4, c5), _mm256_add_ps(c6, c7)));
  s = _mm256_add_ps(s, _mm256_add_ps(_mm256_add_ps(c8, c9), _mm256_add_ps(c10, c11)));
  float t[8];
  _mm256_storeu_ps(t, s);
  return t[0] + t[1] + t[2] + t[3] + t[4] + t[5] + t[6] + t[7];
}
#endif

volatile float g_sink;

// GFLOP/s of `nthreads` threads, each pinned to its own CPU, running kern for `iters`.
template <class K>
static double run(K kern, double flop_per_iter, int nthreads, long iters) {
  std::vector<std::thread> ts;
  double t0 = now();
  for (int t = 0; t < nthreads; t++) ts.emplace_back([=] { pin(t); g_sink = kern(iters, (float)t); });
  for (auto &t : ts) t.join();
  return flop_per_iter * iters * nthreads / (now() - t0) / 1e9;
}

template <class K>
static void report(const char *name, K kern, double flop_per_iter, int nthreads, long iters, int reps, bool &first) {
  run(kern, flop_per_iter, nthreads, iters / 4);  // warm-up, lets clocks settle
  std::vector<double> r;
  for (int i = 0; i < reps; i++) r.push_back(run(kern, flop_per_iter, nthreads, iters));
  std::sort(r.begin(), r.end());
  printf("%s\"%s\": {\"median\": %.2f, \"max\": %.2f}", first ? "" : ", ", name, r[r.size() / 2], r.back());
  first = false;
}

int main(int argc, char **argv) {
  int nthreads = argc > 1 ? atoi(argv[1]) : 1;
  long iters = argc > 2 ? atol(argv[2]) : 2000000L;
  int reps = argc > 3 ? atoi(argv[3]) : 25;
  bool first = true;
  printf("{\"threads\": %d, ", nthreads);
#ifdef __AVX512F__
  report("avx512", kern512, 16.0 * 16 * 2, nthreads, iters, reps, first);
#endif
#ifdef __AVX2__
  report("avx2", kern256, 12.0 * 8 * 2, nthreads, iters, reps, first);
#endif
  printf("}\n");
  return 0;
}

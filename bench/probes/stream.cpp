// STREAM-like memory bandwidth probe for bench/run.js (logic from ../shared/bench/stream.cpp).
// Built by the runner: g++ -O3 -march=native -fopenmp stream.cpp -o ../.build/stream
// Usage: stream [threads=1] [mega-floats per array=32] [reps=7]
// Bytes are counted STREAM-style (no write-allocate traffic): copy 8 B/elem, scale 8,
// add 12, triad 12, sum 4. Arrays must be well beyond the last-level cache (32 MiB here):
// the default is 3 arrays of 128 MiB. Also measures the cost of first-touching fresh
// pages, which is what an allocating op pays when its allocator hands memory back to the OS.
// Plain-store kernels pay a hidden write-allocate read of the destination (c = a + b moves
// 16 B/elem, counted 12), so the non-temporal (NT) store variants are the best estimate of
// what the memory system can do; an in-place op (a += b) has no write-allocate either.
// Prints one JSON object: per kernel the median and best (max) GB/s over the repetitions.
#include <immintrin.h>
#include <omp.h>
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <vector>
#include <sys/mman.h>

static double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

int main(int argc, char **argv) {
  const int nt = argc > 1 ? atoi(argv[1]) : 1;
  const long n = (argc > 2 ? atol(argv[2]) : 32) * 1024L * 1024L;
  const int reps = argc > 3 ? atoi(argv[3]) : 7;
  omp_set_num_threads(nt);
  float *a = (float *)aligned_alloc(64, n * 4), *b = (float *)aligned_alloc(64, n * 4), *c = (float *)aligned_alloc(64, n * 4);
#pragma omp parallel for schedule(static)
  for (long i = 0; i < n; i++) { a[i] = 1.0f; b[i] = 2.0f; c[i] = 0.0f; }
  const float s = 3.0f;
  struct K { const char *name; double bytes; };
  const K ks[] = {{"copy", 8}, {"scale", 8}, {"add", 12}, {"triad", 12}, {"sum", 4}, {"copy_nt", 8}, {"triad_nt", 12}};
  const int nk = sizeof(ks) / sizeof(ks[0]);
  volatile float sink = 0;
  printf("{\"threads\": %d, \"floats_per_array\": %ld", nt, n);
  for (int k = 0; k < nk; k++) {
    std::vector<double> r;
    for (int rep = 0; rep <= reps; rep++) {  // rep 0 is a warm-up
      double t0 = omp_get_wtime();
      switch (k) {
        case 0:
#pragma omp parallel for schedule(static)
          for (long i = 0; i < n; i++) c[i] = a[i];
          break;
        case 1:
#pragma omp parallel for schedule(static)
          for (long i = 0; i < n; i++) b[i] = s * c[i];
          break;
        case 2:
#pragma omp parallel for schedule(static)
          for (long i = 0; i < n; i++) c[i] = a[i] + b[i];
          break;
        case 3:
#pragma omp parallel for schedule(static)
          for (long i = 0; i < n; i++) a[i] = b[i] + s * c[i];
          break;
        case 4: {
          float tot = 0;
#pragma omp parallel for simd schedule(static) reduction(+ : tot)
          for (long i = 0; i < n; i++) tot += a[i];
          sink = tot;
          break;
        }
#ifdef __AVX512F__
        case 5:
#pragma omp parallel for schedule(static)
          for (long i = 0; i < n; i += 16) _mm512_stream_ps(c + i, _mm512_load_ps(a + i));
          _mm_sfence();
          break;
        case 6: {
          const __m512 vs = _mm512_set1_ps(s);
#pragma omp parallel for schedule(static)
          for (long i = 0; i < n; i += 16) _mm512_stream_ps(a + i, _mm512_fmadd_ps(vs, _mm512_load_ps(c + i), _mm512_load_ps(b + i)));
          _mm_sfence();
          break;
        }
#else
        case 5:
#pragma omp parallel for schedule(static)
          for (long i = 0; i < n; i += 8) _mm256_stream_ps(c + i, _mm256_load_ps(a + i));
          _mm_sfence();
          break;
        case 6: {
          const __m256 vs = _mm256_set1_ps(s);
#pragma omp parallel for schedule(static)
          for (long i = 0; i < n; i += 8) _mm256_stream_ps(a + i, _mm256_fmadd_ps(vs, _mm256_load_ps(c + i), _mm256_load_ps(b + i)));
          _mm_sfence();
          break;
        }
#endif
      }
      double dt = omp_get_wtime() - t0;
      if (rep > 0) r.push_back(ks[k].bytes * n / dt / 1e9);
    }
    printf(", \"%s\": {\"median\": %.2f, \"max\": %.2f}", ks[k].name, median(r), *std::max_element(r.begin(), r.end()));
  }
  // First touch of fresh pages: mmap, write one float per 4 KiB page, munmap.
  {
    std::vector<double> r;
    const size_t bytes = n * 4;
    for (int rep = 0; rep <= reps; rep++) {
      double t0 = omp_get_wtime();
      float *p = (float *)mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
#pragma omp parallel for schedule(static)
      for (long i = 0; i < n; i += 1024) p[i] = 1.0f;
      double dt = omp_get_wtime() - t0;
      munmap(p, bytes);
      if (rep > 0) r.push_back(bytes / dt / 1e9);
    }
    printf(", \"first_touch\": %.2f", median(r));
  }
  printf("}\n");
  (void)sink;
  free(a); free(b); free(c);
  return 0;
}

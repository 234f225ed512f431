#include "cpu/parallel.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#ifdef TG_HAVE_OPENBLAS
extern "C" void openblas_set_num_threads(int);
#endif

namespace tg {
namespace cpu {
namespace {

inline void cpu_relax();
// About 0.3 ms of pause instructions before a worker sleeps: training loops issue parallel
// regions (products) every ~100 µs, and a futex wake-up per region made the seed-004 loop
// slower on 2 threads than on 1 (384-413 µs vs 361 µs a step; with this spin 287-295 µs).
// OpenBLAS runs single-threaded inside the pool (Note [BLAS threads]), so no BLAS thread
// competes with the spinning worker.
constexpr int kSpin = 20000;
// About 30 µs of pause instructions: how long the caller of a region spins for workers still
// on their last chunk before it sleeps (Note [Pool jobs]). Balanced chunks end within a few
// microseconds of each other; a longer wait means the worker lost its core, and spinning then
// only keeps the core from it (with a CPU hog beside a 2-thread MLP run, spinning as long as
// kSpin measured 1.18x the no-spin step time, this one 1.04x, both within the noise).
constexpr int kJoinSpin = 2000;

// Note [Pool jobs]: the caller of a parallel region works on it too and waits only for the
// workers that joined it. A worker that has not woken by the time the chunks run out never
// joins, so a busy core (OpenBLAS's threads spin after a product) cannot stall the caller
// until the scheduler gets round to that worker. A worker that did join is usually on its
// last chunk, microseconds from done, so the caller spins for it (kJoinSpin) before
// sleeping: a futex wait and wake-up cost tens of microseconds on a loaded host, and with one
// per region a 2-thread MLP run switched context 1765 times against 240.
struct Job {
  const std::function<void(int64_t, int64_t)>* fn;
  int64_t end, chunk;
  std::atomic<int64_t> next;
  std::atomic<int> active{0};  // workers that joined and have not left
  std::mutex error_mu;
  std::exception_ptr error;

  void work() {
    for (;;) {
      int64_t b = next.fetch_add(chunk);
      if (b >= end) return;
      try {
        (*fn)(b, std::min(end, b + chunk));
      } catch (...) {
        std::lock_guard<std::mutex> lock(error_mu);
        if (!error) error = std::current_exception();
      }
    }
  }
};

class ThreadPool {
 public:
  ThreadPool() { resize(default_threads()); }
  ~ThreadPool() { stop_workers(); }

  int size() const { return num_threads_; }

  void resize(int n) {
    n = std::max(1, n);
    stop_workers();
    num_threads_ = n;
    stopping_ = false;
    for (int i = 1; i < n; ++i) workers_.emplace_back([this] { worker_loop(); });
#ifdef TG_HAVE_OPENBLAS
    openblas_set_num_threads(1);  // Note [BLAS threads] (gemm.cpp): products split over this pool
#endif
  }

  void run(int64_t begin, int64_t end, int64_t chunk, const std::function<void(int64_t, int64_t)>& f) {
    std::lock_guard<std::mutex> one_region(region_mu_);
    Job job;
    job.fn = &f;
    job.end = end;
    job.chunk = chunk;
    job.next.store(begin);
    {
      std::lock_guard<std::mutex> lock(mu_);
      job_ = &job;
      generation_.fetch_add(1, std::memory_order_release);
    }
    cv_.notify_all();
    job.work();
    {
      std::lock_guard<std::mutex> lock(mu_);
      job_ = nullptr;  // from here no worker can join
    }
    // Spin, then sleep, until the workers that joined have left (Note [Pool jobs]).
    for (int i = 0; i < kJoinSpin && job.active.load(std::memory_order_acquire) != 0; ++i) cpu_relax();
    if (job.active.load(std::memory_order_acquire) != 0) {
      std::unique_lock<std::mutex> lock(mu_);
      done_cv_.wait(lock, [&] { return job.active.load() == 0; });
    }
    if (job.error) std::rethrow_exception(job.error);
  }

 private:
  static int default_threads() {
    unsigned n = std::thread::hardware_concurrency();
    return n == 0 ? 1 : static_cast<int>(n);
  }

  void worker_loop() {
    uint64_t seen = 0;
    for (;;) {
      for (int i = 0; i < kSpin && generation_.load(std::memory_order_acquire) == seen; ++i) cpu_relax();
      Job* job = nullptr;
      {
        std::unique_lock<std::mutex> lock(mu_);
        cv_.wait(lock, [&] { return stopping_ || generation_.load() != seen; });
        if (stopping_) return;
        seen = generation_.load();
        job = job_;
        if (job) job->active.fetch_add(1);
      }
      if (!job) continue;  // woke too late: the region is over
      job->work();
      {
        std::lock_guard<std::mutex> lock(mu_);
        job->active.fetch_sub(1);
      }
      done_cv_.notify_all();
    }
  }

  void stop_workers() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stopping_ = true;
    }
    cv_.notify_all();
    for (auto& t : workers_) t.join();
    workers_.clear();
  }

  int num_threads_ = 1;
  std::vector<std::thread> workers_;
  std::mutex region_mu_, mu_;
  std::condition_variable cv_, done_cv_;
  Job* job_ = nullptr;
  std::atomic<uint64_t> generation_{0};
  bool stopping_ = false;
};

ThreadPool& pool() {
  // Leaked on purpose: joining threads from a static destructor at process exit can hang.
  static ThreadPool* p = new ThreadPool();
  return *p;
}

thread_local bool t_in_parallel = false;

inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}

}  // namespace

int get_num_threads() { return pool().size(); }
void set_num_threads(int n) { pool().resize(n); }

void parallel_for(int64_t begin, int64_t end, int64_t grain, const std::function<void(int64_t, int64_t)>& f) {
  const int64_t n = end - begin;
  if (n <= 0) return;
  const int threads = pool().size();
  if (threads <= 1 || n < 2 * grain || t_in_parallel) {
    f(begin, end);
    return;
  }
  // A few chunks per thread balance uneven progress without much scheduling cost.
  int64_t chunk = std::max(grain, (n + threads * 4 - 1) / (threads * 4));
  t_in_parallel = true;
  try {
    pool().run(begin, end, chunk, [&](int64_t b, int64_t e) {
      bool prev = t_in_parallel;
      t_in_parallel = true;
      f(b, e);
      t_in_parallel = prev;
    });
  } catch (...) {
    t_in_parallel = false;
    throw;
  }
  t_in_parallel = false;
}

}  // namespace cpu
}  // namespace tg

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
// A few microseconds: long spins steal the core from OpenBLAS threads (measured on 2 cores).
constexpr int kSpin = 200;

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
    stopping_flag_ = false;
    for (int i = 1; i < n; ++i) workers_.emplace_back([this] { worker_loop(); });
#ifdef TG_HAVE_OPENBLAS
    openblas_set_num_threads(n);
#endif
  }

  void run(int64_t begin, int64_t end, int64_t chunk, const std::function<void(int64_t, int64_t)>& f) {
    std::unique_lock<std::mutex> job_lock(job_mu_);  // one parallel region at a time
    {
      std::lock_guard<std::mutex> lock(mu_);
      fn_ = &f;
      begin_ = begin;
      end_ = end;
      chunk_ = chunk;
      next_.store(begin);
      pending_workers_ = static_cast<int>(workers_.size());
      error_ = nullptr;
      generation_.fetch_add(1, std::memory_order_release);
    }
    cv_.notify_all();
    work();
    std::unique_lock<std::mutex> lock(mu_);
    done_cv_.wait(lock, [this] { return pending_workers_ == 0; });
    fn_ = nullptr;
    if (error_) std::rethrow_exception(error_);
  }

 private:
  static int default_threads() {
    unsigned n = std::thread::hardware_concurrency();
    return n == 0 ? 1 : static_cast<int>(n);
  }

  void work() {
    for (;;) {
      int64_t b = next_.fetch_add(chunk_);
      if (b >= end_) return;
      int64_t e = std::min(end_, b + chunk_);
      try {
        (*fn_)(b, e);
      } catch (...) {
        std::lock_guard<std::mutex> lock(mu_);
        if (!error_) error_ = std::current_exception();
      }
    }
  }

  void worker_loop() {
    uint64_t seen = 0;
    for (;;) {
      // Training loops issue parallel regions back to back: spin briefly for the next one
      // before sleeping, since a condition-variable wake-up costs several microseconds.
      for (int i = 0; i < kSpin && generation_.load(std::memory_order_acquire) == seen && !stopping_flag_.load(); ++i)
        cpu_relax();
      {
        std::unique_lock<std::mutex> lock(mu_);
        cv_.wait(lock, [&] { return stopping_ || generation_.load() != seen; });
        if (stopping_) return;
        seen = generation_.load();
      }
      work();
      {
        std::lock_guard<std::mutex> lock(mu_);
        --pending_workers_;
      }
      done_cv_.notify_one();
    }
  }

  void stop_workers() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stopping_ = true;
      stopping_flag_ = true;
    }
    cv_.notify_all();
    for (auto& t : workers_) t.join();
    workers_.clear();
  }

  int num_threads_ = 1;
  std::vector<std::thread> workers_;
  std::mutex job_mu_, mu_;
  std::condition_variable cv_, done_cv_;
  const std::function<void(int64_t, int64_t)>* fn_ = nullptr;
  int64_t begin_ = 0, end_ = 0, chunk_ = 1;
  std::atomic<int64_t> next_{0};
  int pending_workers_ = 0;
  std::atomic<uint64_t> generation_{0};
  bool stopping_ = false;
  std::atomic<bool> stopping_flag_{false};
  std::exception_ptr error_;
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

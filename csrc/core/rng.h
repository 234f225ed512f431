// The process-wide default generator (manualSeed). A counter-based Philox would let threads
// split streams; for now one mt19937_64 on the JS thread.
#pragma once
#include <cstdint>
#include <random>

namespace tg {

class Generator {
 public:
  void seed(uint64_t s) { engine_.seed(s); }
  uint64_t next_u64() { return engine_(); }
  // Uniform in [0, 1) with 53 random bits (24 for float use).
  double next_double() { return static_cast<double>(engine_() >> 11) * (1.0 / 9007199254740992.0); }
  float next_float() { return static_cast<float>(engine_() >> 40) * (1.0f / 16777216.0f); }

 private:
  std::mt19937_64 engine_{67280421310721ULL};
};

Generator& default_generator();

}  // namespace tg

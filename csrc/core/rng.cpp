#include "core/rng.h"

namespace tg {
Generator& default_generator() {
  static Generator g;
  return g;
}
}  // namespace tg

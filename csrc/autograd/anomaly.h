// Anomaly detection mode (spec M): checks each backward node's outputs for NaN and reports
// the forward stack recorded for the failing node.
#pragma once

namespace tg {
struct AnomalyMode {
  static bool is_enabled();
  static void set_enabled(bool enabled, bool check_nan = true);
  static bool should_check_nan();
};
}  // namespace tg

// Anomaly detection mode (spec M): checks each backward node's outputs for NaN and reports
// the forward stack recorded for the failing node.
//
// Note [Anomaly traces]: the autograd layer does not know which language drives it, so the
// binding installs two hooks: `capture` returns the caller's current stack (a JS stack for
// the Node addon) and is called by every node creation while the mode is on; `report` is
// called when a node fails in backward and emits the "Error detected in ..." warning with
// the node's recorded trace. While the mode is off, node creation pays one flag check.
#pragma once
#include <string>

namespace tg {

class Node;

struct AnomalyMode {
  static bool is_enabled();
  static void set_enabled(bool enabled, bool check_nan = true);
  static bool should_check_nan();

  using CaptureFn = std::string (*)();
  using ReportFn = void (*)(const Node& node);
  static void set_trace_hooks(CaptureFn capture, ReportFn report);
  // The caller's current stack, or "" when no binding installed a capture hook.
  static std::string capture_trace();
  // Reports a node that failed in backward (no-op without a report hook). Never throws.
  static void report(const Node& node) noexcept;
};

}  // namespace tg

#include "autograd/anomaly.h"

namespace tg {
namespace {
bool g_enabled = false;
bool g_check_nan = true;
AnomalyMode::CaptureFn g_capture = nullptr;
AnomalyMode::ReportFn g_report = nullptr;
}  // namespace

bool AnomalyMode::is_enabled() { return g_enabled; }
void AnomalyMode::set_enabled(bool enabled, bool check_nan) { g_enabled = enabled; g_check_nan = check_nan; }
bool AnomalyMode::should_check_nan() { return g_check_nan; }

void AnomalyMode::set_trace_hooks(CaptureFn capture, ReportFn report) {
  g_capture = capture;
  g_report = report;
}

std::string AnomalyMode::capture_trace() { return g_capture ? g_capture() : std::string(); }

void AnomalyMode::report(const Node& node) noexcept {
  if (!g_report) return;
  try {
    g_report(node);
  } catch (...) {
    // The report is advice printed next to an error already in flight: never replace it.
  }
}

}  // namespace tg

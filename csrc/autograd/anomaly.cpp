#include "autograd/anomaly.h"

namespace tg {
namespace {
bool g_enabled = false;
bool g_check_nan = true;
}  // namespace
bool AnomalyMode::is_enabled() { return g_enabled; }
void AnomalyMode::set_enabled(bool enabled, bool check_nan) { g_enabled = enabled; g_check_nan = check_nan; }
bool AnomalyMode::should_check_nan() { return g_check_nan; }
}  // namespace tg

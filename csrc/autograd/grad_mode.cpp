#include "autograd/grad_mode.h"
#include "core/tensor_impl.h"

namespace tg {
namespace {
bool g_grad_enabled = true;
}  // namespace

bool GradMode::is_enabled() { return g_grad_enabled; }
void GradMode::set_enabled(bool enabled) { g_grad_enabled = enabled; }
bool InferenceMode::is_enabled() { return create_inference_tensors(); }
void InferenceMode::set_enabled(bool enabled) { set_create_inference_tensors(enabled); }

}  // namespace tg

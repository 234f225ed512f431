// Registration entry points of the binding's function groups.
#pragma once
#include <napi.h>

namespace tg {
namespace binding {
void register_tensor_api(Napi::Env env, Napi::Object exports);
void register_autograd_api(Napi::Env env, Napi::Object exports);
void register_function_api(Napi::Env env, Napi::Object exports);   // custom_function.cpp
void register_multi_view_api(Napi::Env env, Napi::Object exports);  // multi_view_api.cpp
void register_movement_api(Napi::Env env, Napi::Object exports);    // movement_api.cpp
void register_elementwise_api(Napi::Env env, Napi::Object exports);  // elementwise_api.cpp
void register_nn_api(Napi::Env env, Napi::Object exports);          // nn_api.cpp
void register_reduce_api(Napi::Env env, Napi::Object exports);      // reduce_api.cpp
void register_indexing_api(Napi::Env env, Napi::Object exports);    // indexing_api.cpp
void register_conv_api(Napi::Env env, Napi::Object exports);       // conv_api.cpp
void register_module_api(Napi::Env env, Napi::Object exports);      // module_api.cpp
void register_optim_api(Napi::Env env, Napi::Object exports);       // optim_api.cpp
void register_poolnorm_api(Napi::Env env, Napi::Object exports);    // poolnorm_api.cpp
}  // namespace binding
}  // namespace tg

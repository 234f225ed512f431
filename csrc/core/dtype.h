// Element types and PyTorch's type-promotion rules.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>

namespace tg {

// Order matters: promotion picks the larger code within a category.
enum class DType : uint8_t { Bool = 0, UInt8, Int32, Int64, Float32, Float64 };
constexpr int kNumDTypes = 6;

size_t dtype_size(DType t);
const char* dtype_name(DType t);          // "float32"
const char* dtype_legacy_name(DType t);   // "Float", "Double": PyTorch's C++ scalar names
bool dtype_from_name(const std::string& name, DType* out);
inline bool is_floating(DType t) { return t == DType::Float32 || t == DType::Float64; }
inline bool is_integral(DType t, bool include_bool) {
  return t == DType::UInt8 || t == DType::Int32 || t == DType::Int64 || (include_bool && t == DType::Bool);
}

// Promotion of two tensor operands (both "dimensioned" in PyTorch's terms).
DType promote_types(DType a, DType b);

// Category of a Python-style scalar operand: it never promotes a tensor within its own
// category (float32 tensor * 2.5 stays float32), only lifts it to a higher category
// (int64 tensor * 2.5 becomes the default float dtype, float32).
enum class ScalarKind { Bool, Int, Float };
DType result_type_with_scalar(DType tensor, ScalarKind scalar);

constexpr DType kDefaultFloat = DType::Float32;

}  // namespace tg

// Runs `body` with `scalar_t` bound to the C++ type of `dtype`. The body is a generic
// lambda taking a tag: TG_DISPATCH(t, "op", [&](auto tag) { using T = TG_TYPE(tag); ... });
#define TG_TYPE(tag) typename decltype(tag)::type

namespace tg {
template <typename T> struct TypeTag { using type = T; };

template <typename F>
decltype(auto) dispatch_all(DType t, F&& f) {
  switch (t) {
    case DType::Bool: return f(TypeTag<bool>{});
    case DType::UInt8: return f(TypeTag<uint8_t>{});
    case DType::Int32: return f(TypeTag<int32_t>{});
    case DType::Int64: return f(TypeTag<int64_t>{});
    case DType::Float32: return f(TypeTag<float>{});
    case DType::Float64: return f(TypeTag<double>{});
  }
  return f(TypeTag<float>{});
}

template <typename F>
decltype(auto) dispatch_floating(DType t, F&& f) {
  if (t == DType::Float64) return f(TypeTag<double>{});
  return f(TypeTag<float>{});
}

template <typename T> constexpr DType dtype_of();
template <> constexpr DType dtype_of<bool>() { return DType::Bool; }
template <> constexpr DType dtype_of<uint8_t>() { return DType::UInt8; }
template <> constexpr DType dtype_of<int32_t>() { return DType::Int32; }
template <> constexpr DType dtype_of<int64_t>() { return DType::Int64; }
template <> constexpr DType dtype_of<float>() { return DType::Float32; }
template <> constexpr DType dtype_of<double>() { return DType::Float64; }
}  // namespace tg
